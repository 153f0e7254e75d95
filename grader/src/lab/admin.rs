//! `grader lab URL --admin ADMIN_URL`: what only the server can say of itself,
//! asked with an administrator's account: where it listens (`bind_address`), and
//! which accounts would let in more than one host (a `%` or `_` wildcard, a
//! netmask) or anyone at all (anonymous accounts, with an empty user name).

use std::time::Duration;

use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};

use super::target::{self, Target};
use super::{Finding, Step};

/// The administrator's findings about the server that `app` reaches.
pub fn examine(admin: &Target, app: &Target, timeout: Duration) -> Vec<Finding> {
    let Some(account) = &admin.account else {
        return vec![Finding::not_proven(
            Step::BindAddress,
            "--admin names no account",
            "give --admin as mysql://ADMIN:PASSWORD@HOST:3306",
        )];
    };
    let opts = OptsBuilder::new()
        .ip_or_hostname(Some(admin.address.ip().to_string()))
        .tcp_port(admin.address.port())
        .user(Some(&account.user))
        .pass(Some(&account.password))
        .prefer_socket(false)
        .tcp_connect_timeout(Some(timeout));
    let mut conn = match Conn::new(opts) {
        Ok(conn) => conn,
        Err(error) => {
            return vec![Finding::not_proven(
                Step::BindAddress,
                format!("the administrator could not log in as {} ({error})", account.user),
                "check --admin's URL; the account must be able to log in from this host",
            )]
        }
    };
    let mut findings = vec![bind_address(&mut conn, app)];
    findings.extend(open_accounts(&mut conn));
    findings
}

fn bind_address(conn: &mut Conn, app: &Target) -> Finding {
    // NULL when the server's configuration sets none: it then listens everywhere.
    let value: Option<Option<String>> =
        match conn.query_first("SELECT @@bind_address") {
            Ok(value) => value,
            Err(error) => return Finding::not_proven(
                Step::BindAddress,
                format!("the server did not say its bind-address ({error})"),
                "on the server: sudo grep -rn bind-address /etc/mysql/ (the last one read wins)",
            ),
        };
    let value = value.flatten().unwrap_or_default();
    let server = app.address.ip().to_string();
    let every =
        value.split(',').map(str::trim).any(|one| matches!(one, "0.0.0.0" | "*" | "::" | ""));
    if every || value.split(',').map(str::trim).any(|one| one == server) {
        Finding::proven(
            Step::BindAddress,
            format!("the server's bind-address is {value:?}: it listens where the client host reaches it"),
        )
    } else {
        Finding::failed(
            Step::BindAddress,
            format!("the server's bind-address is {value:?}: not every address, nor its private one {server}"),
            "set bind-address = 0.0.0.0 (or the server's private address) and restart the server",
        )
    }
}

/// Accounts for many hosts, and anonymous ones.
fn open_accounts(conn: &mut Conn) -> Vec<Finding> {
    let accounts: Vec<(String, String)> =
        match conn.query("SELECT User, Host FROM mysql.user ORDER BY User, Host") {
            Ok(accounts) => accounts,
            Err(error) => {
                return vec![Finding::not_proven(
                    Step::Account,
                    format!("the administrator may not read the accounts ({error})"),
                    "give --admin an account with SELECT on mysql.user",
                )]
            }
        };
    let named = |(user, host): &(String, String)| format!("'{user}'@'{host}'");
    let wide: Vec<String> = accounts
        .iter()
        .filter(|(user, host)| !user.is_empty() && !host.is_empty() && target::is_pattern(host))
        .map(named)
        .collect();
    // MariaDB's roles (PUBLIC among them) are rows with an empty host.
    let anonymous: Vec<String> = accounts
        .iter()
        .filter(|(user, host)| user.is_empty() && !host.is_empty())
        .map(named)
        .collect();
    let mut findings = Vec::new();
    if !wide.is_empty() {
        findings.push(Finding::failed(
            Step::Account,
            format!(
                "accounts for more than one host: {} (the firewall is all that keeps other hosts from them)",
                wide.join(", ")
            ),
            "recreate each for the one address it is used from, then DROP USER the wildcard one",
        ));
    }
    if !anonymous.is_empty() {
        findings.push(Finding::failed(
            Step::Account,
            format!("anonymous accounts, which anyone may log in as: {}", anonymous.join(", ")),
            format!("DROP USER {}", anonymous.join(", ")),
        ));
    }
    if findings.is_empty() {
        findings.push(Finding::proven(
            Step::Account,
            "no account is for every host or for a pattern of hosts, and none is anonymous",
        ));
    }
    findings
}
