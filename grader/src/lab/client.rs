//! `grader lab URL` on the client host: each layer of the lab in the order a
//! connection crosses them. The server's address, the port (firewall), the
//! listening address (greeting), the login (account), then what the server says of
//! the session: who it thinks we are, from where, over what, and what the account
//! may see and do.

use std::net::IpAddr;
use std::process::Command;
use std::time::Duration;

use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};

use super::target::{self, Account, Kind, Target};
use super::wire::{self, FirstPacket, Reach};
use super::{admin, grants, Finding, LabReport, Step, Vantage};

/// Databases a server may show every account.
const SHOWN_TO_ALL: [&str; 2] = ["information_schema", "performance_schema"];

/// Examines the lab from the client host with the application's account (`app`),
/// and with the administrator's (`admin`) if given.
pub fn examine(app: &Target, admin: Option<&Target>, timeout: Duration) -> LabReport {
    let mut findings = Vec::new();
    examine_into(app, timeout, &mut findings);
    if let Some(admin) = admin {
        findings.extend(admin::examine(admin, app, timeout));
    }
    findings.push(client_program());
    LabReport::new(Vantage::ClientHost, app.shown(), findings)
}

fn examine_into(app: &Target, timeout: Duration, findings: &mut Vec<Finding>) {
    let server = app.address.ip();
    let shown = app.shown();
    match target::kind(server) {
        Kind::Private => findings.push(Finding::proven(
            Step::TwoHosts,
            format!("the server's address {server} is a private one"),
        )),
        Kind::Loopback => {
            findings.push(Finding::failed(
                Step::TwoHosts,
                format!("{shown} is this very host: the lab's server is another host"),
                "use the server host's private IP address (hostname -I on the server)",
            ));
            return;
        }
        Kind::Public => findings.push(Finding::failed(
            Step::TwoHosts,
            format!("{server} is a public address: traffic to it leaves the private network"),
            "use the server host's private IP address (hostname -I on the server, or the cloud console)",
        )),
    }
    let reach = wire::reach(app.address, timeout);
    if !reached(&reach, app, timeout, findings) {
        return;
    }
    let Some(account) = &app.account else {
        findings.push(Finding::not_proven(
            Step::Connect,
            format!("{} names no account, so the grader did not log in", app.shown()),
            "give the application's URL: mysql://USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE",
        ));
        return;
    };
    let mut conn = match log_in(app, account, timeout) {
        Ok(conn) => conn,
        Err(finding) => {
            findings.push(finding);
            return;
        }
    };
    if let Err(error) = session(&mut conn, app, account, findings) {
        findings.push(Finding::not_proven(
            Step::Account,
            format!("the grader's question to the server failed: {error}"),
            "run the lab check again; if it fails the same way, ask the server's log (journalctl -u mariadb)",
        ));
    }
}

/// Judges the TCP connection and the first packet; whether the login can follow.
fn reached(reach: &Reach, app: &Target, timeout: Duration, findings: &mut Vec<Finding>) -> bool {
    let (shown, host, port) = (app.shown(), app.host.as_str(), app.address.port());
    let clients = wire::clients_say(host, port, reach);
    match reach {
        Reach::TimedOut => findings.push(Finding::failed(
            Step::Firewall,
            format!(
                "no answer from {shown} within {} s: the packets are dropped on the way, as a firewall \
                 does for a host it does not admit (the clients wait, then say: {clients})",
                timeout.as_secs()
            ),
            "add an inbound rule to the server's firewall group: TCP 3306 from this host's private address \
             with /32; check also that you used the server's private address",
        )),
        Reach::Refused => findings.push(Finding::failed(
            Step::BindAddress,
            format!(
                "{shown} refused the connection at once: the server's host answers, but nothing listens on \
                 that address and port (the clients say: {clients})"
            ),
            "set bind-address = 0.0.0.0 (or the server's private address) in the server's configuration and \
             restart it (sudo systemctl restart mariadb, or mysql); a firewall rule that rejects instead of \
             dropping says the same, so check the server's own firewall (sudo ufw status) too",
        )),
        Reach::NoRoute(why) => findings.push(Finding::failed(
            Step::TwoHosts,
            format!("this host has no route to {shown} ({why})"),
            "put both hosts in the same private network (the same VPC), and use the server's private address",
        )),
        Reach::Open(FirstPacket::Other(what)) => findings.push(Finding::failed(
            Step::Server,
            format!("something answers on {shown}, but not a MySQL server: {what}"),
            "check the port: a MySQL server listens on 3306 unless its configuration says otherwise",
        )),
        Reach::Open(packet) => {
            findings.push(Finding::not_proven(
                Step::Firewall,
                format!(
                    "this host reaches {shown} over TCP: the firewall admits it (that it admits no other host \
                     shows only from another host)"
                ),
                format!(
                    "from a third host or your own machine, run `cargo grader lab probe {}`: the port must stay \
                     shut to it",
                    app.host
                ),
            ));
            findings.push(Finding::proven(
                Step::BindAddress,
                format!("the server listens on its network address {}", app.address.ip()),
            ));
            match packet {
                FirstPacket::Greeting { protocol, version } => findings.push(Finding::proven(
                    Step::Server,
                    format!("the server greets this host: protocol {protocol}, version {version}"),
                )),
                FirstPacket::Error { code, message } => {
                    findings.push(Finding::proven(
                        Step::Server,
                        format!("a MySQL server answers on {shown}"),
                    ));
                    findings.push(refusal(*code, message, app));
                    return false;
                }
                FirstPacket::Other(_) => {}
            }
        }
    }
    matches!(reach, Reach::Open(FirstPacket::Greeting { .. }))
}

fn log_in(app: &Target, account: &Account, timeout: Duration) -> Result<Conn, Finding> {
    let opts = OptsBuilder::new()
        .ip_or_hostname(Some(app.address.ip().to_string()))
        .tcp_port(app.address.port())
        .user(Some(&account.user))
        .pass(Some(&account.password))
        .db_name(account.database.as_deref())
        .prefer_socket(false)
        .tcp_connect_timeout(Some(timeout));
    Conn::new(opts).map_err(|error| match error {
        mysql::Error::MySqlError(error) => refusal(error.code, &error.message, app),
        other => Finding::failed(
            Step::Connect,
            format!("the login as {} failed: {other}", account.user),
            "run the same login with the mysql utility to see the server's words: mysql -h SERVER -u USER -p",
        ),
    })
}

/// What a refusal by the server means, for the account.
fn refusal(code: u16, message: &str, app: &Target) -> Finding {
    let user = app.account.as_ref().map_or("the user", |account| account.user.as_str());
    let quoted = format!("ERROR {code}: {message}");
    let (what, next) = match code {
        1130 => (
            "the server answered, but has no account at all for this host's address",
            format!("on the server: CREATE USER '{user}'@'THIS_HOST_PRIVATE_IP' IDENTIFIED BY '…' (hostname -I here gives the address)"),
        ),
        1045 => (
            "an account could match this host, but not with this user name and password",
            "check the password (percent-encoded in the URL), the user name, and the account's host part".to_string(),
        ),
        1698 => (
            "MariaDB refuses this way a user name it has no account for at this host (or an account that logs in through the socket only)",
            format!("check the user name; SELECT user, host FROM mysql.user WHERE user = '{user}' on the server"),
        ),
        1044 => (
            "the login worked, but the account may not use the database the URL names",
            "GRANT the account its privileges on that database, or fix the database's name in the URL".to_string(),
        ),
        _ => (
            "the server refused the login",
            "the table at the end of the book's chapter \"A server and a client on two hosts\" says what each error means".to_string(),
        ),
    };
    Finding::failed(Step::Account, format!("{what} ({quoted})"), next)
}

/// What the server says of the session once logged in.
fn session(
    conn: &mut Conn,
    app: &Target,
    account: &Account,
    findings: &mut Vec<Finding>,
) -> mysql::Result<()> {
    let (current, user): (String, String) =
        conn.query_first("SELECT CURRENT_USER(), USER()")?.unwrap_or_default();
    let seen_from = user.rsplit_once('@').map_or("", |(_, host)| host).to_string();
    let over: Option<String> = conn
        .query_first("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()")
        .unwrap_or(None);
    let tcp = over.as_deref().is_some_and(|host| host.contains(':'));
    let shown = app.shown();
    if tcp {
        findings.push(Finding::proven(
            Step::Connect,
            format!(
                "connected to {shown} over TCP as {user}, no SSH in between (the server's process list \
                 shows the session from {}, a TCP client)",
                over.as_deref().and_then(|host| host.rsplit_once(':')).map_or("", |(address, _)| address)
            ),
        ));
    } else {
        findings.push(Finding::failed(
            Step::Connect,
            format!(
                "the server sees this session from {:?}, not over TCP",
                over.unwrap_or_default()
            ),
            "connect with the server's private address, not through a socket or an SSH tunnel",
        ));
    }
    match seen_from.parse::<IpAddr>().map(target::kind) {
        Ok(Kind::Private) if seen_from != app.address.ip().to_string() => findings.push(Finding::proven(
            Step::TwoHosts,
            format!("the server sees this host as {seen_from}, another private address than its own"),
        )),
        _ => findings.push(Finding::failed(
            Step::TwoHosts,
            format!("the server sees this host as {seen_from:?}: not another host of its private network"),
            "run the lab check on the client host, against the server's private address",
        )),
    }
    let account_host = current.rsplit_once('@').map_or("", |(_, host)| host);
    if target::is_pattern(account_host) || account_host != seen_from {
        findings.push(Finding::failed(
            Step::Account,
            format!(
                "the server let this host in as {current}, an account for other hosts too, not for this \
                 host's address {seen_from} alone: the firewall is then all that keeps others out"
            ),
            format!(
                "on the server: CREATE USER '{}'@'{seen_from}' …, GRANT it the same, then DROP USER '{}'@'{account_host}'",
                account.user, account.user
            ),
        ));
    } else {
        findings.push(Finding::proven(
            Step::Account,
            format!("the server chose the account {current}, for this host's address only"),
        ));
    }
    let listed: Vec<String> = conn.query("SHOW DATABASES")?;
    show_databases(account, &listed, findings);
    let grantee = match current.rsplit_once('@') {
        Some((name, host)) => format!("'{name}'@'{host}'"),
        None => current.clone(),
    };
    grants::examine(conn, &grantee, account, findings)
}

fn show_databases(account: &Account, listed: &[String], findings: &mut Vec<Finding>) {
    let Some(database) = &account.database else {
        findings.push(Finding::not_proven(
            Step::ShowDatabases,
            format!(
                "SHOW DATABASES lists {}, but the URL names no lab database",
                listed.join(", ")
            ),
            "name the lab's database at the end of the URL: mysql://USER:PASSWORD@HOST:3306/appdb",
        ));
        return;
    };
    if listed.contains(database) {
        findings.push(Finding::proven(
            Step::ShowDatabases,
            format!("SHOW DATABASES lists {}", listed.join(", ")),
        ));
    } else {
        findings.push(Finding::failed(
            Step::ShowDatabases,
            format!("SHOW DATABASES lists {}, without {database}", listed.join(", ")),
            format!("on the server: CREATE DATABASE {database}, and grant the account its privileges on it"),
        ));
    }
    let others: Vec<&str> = listed
        .iter()
        .map(String::as_str)
        .filter(|name| name != database && !SHOWN_TO_ALL.contains(name))
        .collect();
    if !others.is_empty() {
        findings.push(Finding::failed(
            Step::Account,
            format!(
                "the account also sees {}: it has privileges beyond {database}",
                others.join(", ")
            ),
            format!("grant privileges ON `{database}`.* only"),
        ));
    }
}

/// Whether the `mysql` utility (or MariaDB's `mariadb`) is installed on this host.
fn client_program() -> Finding {
    for name in ["mysql", "mariadb"] {
        if let Ok(output) = Command::new(name).arg("--version").output() {
            if output.status.success() {
                let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
                return Finding::proven(
                    Step::Client,
                    format!("the client is installed here: {version}"),
                );
            }
        }
    }
    Finding::not_proven(
        Step::Client,
        "no mysql (or mariadb) client on this host's PATH",
        "install the client here: sudo apt install mariadb-client (or mysql-client), then connect with it once",
    )
}
