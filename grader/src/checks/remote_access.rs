//! Check of exercise 10, the two-host lab. The grader builds a small network of its
//! own: a server started with the learner's `mysqld.cnf`, a client host and an
//! intruder. It runs the learner's provisioning program as the administrator, for the
//! client host's address, then logs in as the application from both hosts: the
//! client host must get in and see the granted database (and `information_schema`)
//! only, the intruder must be refused, and the account must have no other host and no
//! privileges beyond `SELECT`, `INSERT`, `UPDATE` and `DELETE` on its database.
//!
//! On the docker backend the hosts are containers on a network of their own
//! ([`docker_lab`]), and the server's host has a firewall that admits the client host
//! alone: the intruder must first be dropped by that rule, then, with the rule opened
//! to it, refused by the account, so that each layer shows on its own. On the local
//! backend, where the grader runs as root, the hosts are network namespaces with the
//! same firewall ([`netns_lab`]); elsewhere they are loopback addresses
//! ([`local_lab`]), without a firewall, so the accounts do all the filtering.
//! A server the user names cannot be rebuilt, so the external backend cannot check it.

mod addresses;
mod cnf;
mod docker_lab;
mod lab;
mod local_lab;
mod netns_lab;

use std::collections::BTreeSet;
use std::path::Path;

use mysql::prelude::Queryable as _;
use mysql::Conn;

use self::addresses::LabAddresses;
use self::cnf::Networking;
use self::docker_lab::DockerLab;
use self::lab::{Attempt, Host, Lab};
use self::local_lab::LocalLab;
use self::netns_lab::NetnsLab;
use super::expect::finished_ok;
use super::{Check, Context, Failure, Problem};
use crate::server::{Backend, DEFAULT_IMAGE};

/// The check of `10_remote_access`.
pub struct RemoteAccess;

/// What the application is about, for its account's and database's names.
const WORDS: [&str; 8] = ["shop", "ledger", "stock", "crm", "blog", "wiki", "billing", "tickets"];
/// What an application that reads and writes rows needs, and all it may have.
const NEEDED: [&str; 4] = ["SELECT", "INSERT", "UPDATE", "DELETE"];
/// Databases a server may show every account (MySQL shows `performance_schema`).
const SHOWN_TO_ALL: [&str; 2] = ["information_schema", "performance_schema"];
/// How the program's run is named in messages.
const AS_ADMIN: &str = "as the administrator, to create the application's account";

impl Check for RemoteAccess {
    /// The lab starts a server and hosts of its own.
    fn long(&self) -> bool {
        true
    }

    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let cnf_path = cx.package_dir.join("mysqld.cnf");
        let cnf = std::fs::read(&cnf_path).map_err(|error| {
            Failure::new(
                format!("cannot read {}: {error}", shown(&cnf_path)),
                "the lab's server starts with the mysqld.cnf beside your program: put it back",
            )
        })?;
        let networking = cnf::networking(&String::from_utf8_lossy(&cnf));
        stops_at_todo(cx)?;
        let lab = start_lab(cx, &cnf, &networking)?;
        let lab = lab.as_ref();
        let app = App::draw(&mut cx.rng, lab.address(Host::Client));
        // The firewall's layer is judged by waiting for the intruder to time out,
        // which needs nothing of the program: that wait runs beside the rest.
        std::thread::scope(|scope| {
            let firewall = scope.spawn(|| firewall_drops_intruder(lab, &app));
            provision_and_judge(cx, lab, &app, &networking, firewall)
        })
    }
}

/// Runs the learner's provisioning program on the lab and judges what it did;
/// `firewall` ends with the firewall's part of the judgement.
fn provision_and_judge(
    cx: &mut Context<'_>,
    lab: &dyn Lab,
    app: &App,
    networking: &cnf::Networking,
    firewall: Firewall<'_>,
) -> Result<(), Problem> {
    if lab.unreachable().is_none() {
        lab.admin_conn()?.query_drop(format!("CREATE DATABASE `{}`", app.database))?;
    }
    let args = [app.client_host.clone(), app.database.clone(), app.user.clone()];
    let admin_url = lab.admin_url();
    let env = [("ADMIN_URL", admin_url.as_str()), ("APP_PASSWORD", app.password.as_str())];
    // Isolated, the program reaches the lab's server (from the server's host).
    if let Some(address) = crate::wire::address_of(&admin_url) {
        cx.let_reach(address);
    }
    let run = lab.run_on_server_host(Box::new(|| cx.run_with_env(&args, &env)))?;
    if run.panic().is_some() {
        finished_ok(&run, AS_ADMIN)?;
    }
    if let Some(seen) = lab.unreachable() {
        return Err(nothing_listens(lab, networking, seen).into());
    }
    finished_ok(&run, AS_ADMIN)?;
    judge(lab, app, firewall)
}

/// The firewall's part of the judgement, under way in a thread of its own.
type Firewall<'s> = std::thread::ScopedJoinHandle<'s, Result<Option<String>, Problem>>;

/// An untouched exercise stops at its `todo!()` before it needs a server: find that
/// out with `--print`, which connects nowhere, before building a lab takes seconds.
fn stops_at_todo(cx: &mut Context<'_>) -> Result<(), Problem> {
    let args = ["--print", "192.0.2.10", "appdb", "app"].map(String::from);
    let run = cx.run_with_env(&args, &[("APP_PASSWORD", "unused")])?;
    match run.panic() {
        Some(panic) if panic.is_todo() => Err(Problem::NotImplemented(panic.location)),
        _ => Ok(()),
    }
}

/// The lab for the backend the grader runs on, its hosts' addresses drawn from the
/// seed.
fn start_lab(
    cx: &mut Context<'_>,
    cnf: &[u8],
    networking: &Networking,
) -> Result<Box<dyn Lab>, Problem> {
    Ok(match cx.server.backend {
        Backend::Docker => {
            local_lab::names_no_other_host(networking)?;
            let image = cx.server.image.as_deref().unwrap_or(DEFAULT_IMAGE);
            Box::new(DockerLab::start(image, cnf, &mut cx.rng)?)
        }
        Backend::Local if loopback_lab() => {
            Box::new(LocalLab::start(networking, LabAddresses::draw(&mut cx.rng, 127))?)
        }
        Backend::Local => {
            Box::new(NetnsLab::start(networking, LabAddresses::draw(&mut cx.rng, 10))?)
        }
        Backend::External => {
            return Err(Problem::Unavailable {
                why: "exercise 10 builds a lab of its own (a server started with your mysqld.cnf, a client host \
                      and an intruder), which a server you name cannot be"
                    .into(),
                next: "check this exercise with `cargo grader check 10 --backend docker` (or --backend local)".into(),
            })
        }
    })
}

/// Whether the local backend's lab is made of loopback addresses: where hosts cannot
/// be made of network namespaces (the grader is not root, or `ip` or `iptables` is
/// missing), or where `GRADER_LOCAL_LAB=loopback` asks for it (the kit's tests check
/// both labs).
fn loopback_lab() -> bool {
    std::env::var(LOCAL_LAB_ENV).is_ok_and(|lab| lab == "loopback")
        || crate::netns::unavailable().is_some()
}

/// The environment variable that makes the local backend's lab the loopback one.
pub const LOCAL_LAB_ENV: &str = "GRADER_LOCAL_LAB";

/// The application's account, drawn from the seed.
struct App {
    user: String,
    password: String,
    database: String,
    client_host: String,
}

impl App {
    fn draw(rng: &mut fastrand::Rng, client_host: String) -> App {
        let word = WORDS[rng.usize(..WORDS.len())];
        App {
            user: format!("{word}_app{}", rng.u32(10..100)),
            password: (0..20).map(|_| rng.alphanumeric()).collect(),
            // No `_`: in a GRANT's database name it is a wildcard.
            database: format!("{word}{}", rng.u32(100..1000)),
            client_host,
        }
    }
}

/// Logs in from both hosts and reads the account's privileges.
fn judge(lab: &dyn Lab, app: &App, firewall: Firewall<'_>) -> Result<(), Problem> {
    let mut admin = lab.admin_conn()?;
    let listed = match lab.show_databases(Host::Client, &app.user, &app.password)? {
        Attempt::Listed(names) => names,
        Attempt::Refused { code, message } => {
            return Err(client_refused(lab, app, code, &message, &mut admin)?.into())
        }
    };
    let dropped = firewall.join().map_err(|_| {
        anyhow::anyhow!("the lab's firewall could not be tried: its thread panicked")
    })??;
    match lab.show_databases(Host::Intruder, &app.user, &app.password)? {
        Attempt::Listed(_) => {
            return Err(Failure::new(
                format!(
                    "the intruder host ({}) logged in as {}: the account lets in more hosts than the client host{}",
                    lab.address(Host::Intruder),
                    app.user,
                    dropped.unwrap_or_default()
                ),
                format!(
                    "make the account's host part the client host's address, '{}'@'{}', not '%' or a pattern",
                    app.user, app.client_host
                ),
            )
            .expected(format!("{} refused", lab.address(Host::Intruder)))
            .got(format!("accounts: {}", accounts(&mut admin, &app.user)?))
            .into())
        }
        refused if !refused.refused_by_accounts() => {
            return Err(anyhow::anyhow!("the intruder host could not reach the lab's server: {refused:?}").into())
        }
        Attempt::Refused { .. } => {}
    }
    let grantee = the_account(app, &mut admin)?;
    let global: Vec<String> = admin.exec(
        "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES \
         WHERE GRANTEE = ? AND PRIVILEGE_TYPE <> 'USAGE' ORDER BY PRIVILEGE_TYPE",
        (&grantee,),
    )?;
    if !global.is_empty() {
        return Err(Failure::new(
            format!(
                "{} has privileges on every database (ON *.*): {}",
                app.user,
                some_of(&global)
            ),
            format!(
                "grant the four privileges ON `{}`.* only: an application needs nothing on the whole server",
                app.database
            ),
        )
        .got(format!("SHOW DATABASES from the client host: {}", listed.join(", ")))
        .into());
    }
    expect_listed(app, &listed)?;
    expect_privileges(app, &grantee, &mut admin)
}

/// The application's one account, as `information_schema` names it (`'user'@'host'`),
/// once the client host got in and the intruder did not. Its host part may be written
/// in any form the server reads as the client host's address alone: the address, or
/// the address with a full netmask (`/255.255.255.255`, or MySQL's `/32`).
fn the_account(app: &App, admin: &mut Conn) -> Result<String, Problem> {
    let hosts = hosts_of(admin, &app.user)?;
    let [host] = hosts.as_slice() else {
        return Err(Failure::new(
            format!("{} has accounts for other hosts than the client host", app.user),
            "create one account, for the client host's address only",
        )
        .expected(format!("'{}'@'{}'", app.user, app.client_host))
        .got(written(&app.user, &hosts))
        .into());
    };
    if !names_one_host(host, &app.client_host) {
        return Err(Failure::new(
            format!(
                "{}'s account is for '{host}', a pattern that lets in other hosts than the client host ({})",
                app.user, app.client_host
            ),
            "make the account's host part the client host's address alone, not a pattern or a network",
        )
        .expected(format!("'{}'@'{}'", app.user, app.client_host))
        .got(written(&app.user, &hosts))
        .into());
    }
    Ok(format!("'{}'@'{host}'", app.user))
}

/// Whether an account's host part, as the server keeps it, admits the address
/// `client` and no other: the address itself, or with a netmask of all ones.
fn names_one_host(host: &str, client: &str) -> bool {
    match host.split_once('/') {
        None => host == client,
        Some((address, mask)) => address == client && matches!(mask, "255.255.255.255" | "32"),
    }
}

/// On a lab with a firewall, the first of the two layers: the intruder's packets
/// must be dropped by the rule before they reach the server. The rule is then opened
/// to the intruder, as a rule open to all would be, so that the accounts show what
/// they do on their own; what a failure of theirs adds to its summary is returned.
fn firewall_drops_intruder(lab: &dyn Lab, app: &App) -> Result<Option<String>, Problem> {
    if !lab.has_firewall() {
        return Ok(None);
    }
    let attempt = lab.show_databases(Host::Intruder, &app.user, &app.password)?;
    if !attempt.timed_out() {
        return Err(anyhow::anyhow!(
            "the lab's firewall admits port 3306 from the client host only, yet the intruder got an answer: {attempt:?}"
        )
        .into());
    }
    lab.open_firewall_to(Host::Intruder)?;
    Ok(Some(
        " (the lab's firewall dropped its packets first; with the rule opened to it, as a rule open to all \
         would be, the account let it in)"
            .into(),
    ))
}

/// The client host's databases: its own and those every account sees, no more.
fn expect_listed(app: &App, listed: &[String]) -> Result<(), Failure> {
    let expected = format!("{}, information_schema", app.database);
    if !listed.contains(&app.database) {
        return Err(Failure::new(
            format!("the client host logged in, but SHOW DATABASES did not list {}", app.database),
            format!("grant the account its privileges ON `{}`.*", app.database),
        )
        .expected(expected)
        .got(listed.join(", ")));
    }
    let others: Vec<&str> = listed
        .iter()
        .map(String::as_str)
        .filter(|name| *name != app.database && !SHOWN_TO_ALL.contains(name))
        .collect();
    if !others.is_empty() {
        return Err(Failure::new(
            format!("SHOW DATABASES from the client host also lists {}", others.join(", ")),
            format!("grant privileges on `{}` only", app.database),
        )
        .expected(expected)
        .got(listed.join(", ")));
    }
    Ok(())
}

/// Exactly the four privileges on the application's database, none to pass on, for
/// `grantee`, the account as `information_schema` names it.
fn expect_privileges(app: &App, grantee: &str, admin: &mut Conn) -> Result<(), Problem> {
    let rows: Vec<(String, String, String)> = admin.exec(
        "SELECT TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES \
         WHERE GRANTEE = ?",
        (grantee,),
    )?;
    let elsewhere: BTreeSet<String> = rows
        .iter()
        .map(|(schema, _, _)| schema.replace('\\', ""))
        .filter(|schema| *schema != app.database)
        .collect();
    if !elsewhere.is_empty() {
        let names: Vec<String> = elsewhere.into_iter().collect();
        return Err(Failure::new(
            format!("{} also has privileges on {}", app.user, names.join(", ")),
            format!("grant privileges ON `{}`.* only", app.database),
        )
        .into());
    }
    let granted: BTreeSet<&str> = rows.iter().map(|(_, privilege, _)| privilege.as_str()).collect();
    let needed: BTreeSet<&str> = NEEDED.into_iter().collect();
    let expected = format!("{} ON `{}`.*", NEEDED.join(", "), app.database);
    let got: Vec<&str> = granted.iter().copied().collect();
    let got = if got.is_empty() { "none".to_string() } else { got.join(", ") };
    let missing: Vec<&str> = needed.difference(&granted).copied().collect();
    if !missing.is_empty() {
        return Err(Failure::new(
            format!("{} may not {} in {}", app.user, missing.join(", "), app.database),
            "the application reads and writes rows: grant it all four of SELECT, INSERT, UPDATE and DELETE",
        )
        .expected(expected)
        .got(got)
        .into());
    }
    let extra: Vec<&str> = granted.difference(&needed).copied().collect();
    if !extra.is_empty() {
        return Err(Failure::new(
            format!(
                "{} may also {} in {}: more than it needs",
                app.user,
                extra.join(", "),
                app.database
            ),
            "grant SELECT, INSERT, UPDATE and DELETE only, not ALL PRIVILEGES",
        )
        .expected(expected)
        .got(got)
        .into());
    }
    if rows.iter().any(|(_, _, grantable)| grantable == "YES") {
        return Err(Failure::new(
            format!("{} may pass its privileges on (WITH GRANT OPTION)", app.user),
            "leave out WITH GRANT OPTION: handing out rights is the administrator's job",
        )
        .into());
    }
    Ok(())
}

/// Why the client host could not log in, in the learner's terms.
fn client_refused(
    lab: &dyn Lab,
    app: &App,
    code: Option<u16>,
    message: &str,
    admin: &mut Conn,
) -> Result<Failure, Problem> {
    let client = lab.address(Host::Client);
    let hosts = hosts_of(admin, &app.user)?;
    // The server says 1130 when no account at all is for the client's address, and
    // 1045 when another user's account is (a root@'%'): either way, when none of this
    // user's accounts can be for the client host, that is what to say.
    let may_be_for_client =
        |host: &String| names_one_host(host, &client) || host.contains(['%', '_', '/']);
    if matches!(code, Some(1130 | 1045))
        && !hosts.is_empty()
        && !hosts.iter().any(may_be_for_client)
    {
        let quoted: Vec<String> = hosts.iter().map(|host| format!("'{host}'")).collect();
        return Ok(Failure::new(
            format!(
                "the client host ({client}) may not log in as {}: its account is for {}, not for the client host's address",
                app.user,
                quoted.join(", ")
            ),
            "make the account's host part the address the program is given (its first argument, \
             account.client_host), not an address written in the program: the lab's addresses change with every run",
        )
        .expected(format!("'{}'@'{client}'", app.user))
        .got(format!("{message} (accounts: {})", written(&app.user, &hosts))));
    }
    let (summary, next) = match code {
        Some(1130) => (
            format!("the client host ({client}) may not log in as {}: no account is for its address", app.user),
            "create the account for the client host's address (the program's first argument) as its host part",
        ),
        Some(1045) => (
            format!("the client host ({client}) could not log in as {}: access denied", app.user),
            "create the account for the client host's address, with the password from APP_PASSWORD",
        ),
        _ => (
            format!("the client host ({client}) could not log in as {}", app.user),
            "read the client's error: the table in the book's lab chapter says what each one means",
        ),
    };
    Ok(Failure::new(summary, next)
        .expected(format!(
            "mysql -h {} -u {} -p… -e 'SHOW DATABASES' from {client} to succeed",
            lab.server_address(),
            app.user
        ))
        .got(format!("{message} (accounts: {})", written(&app.user, &hosts))))
}

/// The server does not listen where the client host reaches it.
fn nothing_listens(lab: &dyn Lab, networking: &Networking, seen: &str) -> Failure {
    let setting = match (&networking.bind_address, networking.skip_networking) {
        (_, true) => "skip-networking, which closes the TCP port".to_string(),
        (Some(address), false) => format!("bind-address = {address}"),
        (None, false) => "no bind-address".to_string(),
    };
    Failure::new(
        format!(
            "the client host cannot reach the server: nothing listens on its network address {}",
            lab.server_address()
        ),
        format!(
            "your mysqld.cnf has {setting}: make the server listen on every address of its host, \
             so that the client host can reach it"
        ),
    )
    .expected(format!(
        "a connection from the client host ({}) to {}",
        lab.address(Host::Client),
        lab.server_address()
    ))
    .got(seen.to_string())
}

/// Every account named `user`, as `'user'@'host'`, or "none".
fn accounts(admin: &mut Conn, user: &str) -> Result<String, Problem> {
    Ok(written(user, &hosts_of(admin, user)?))
}

/// The host parts of `user`'s accounts, as the server keeps them.
fn hosts_of(admin: &mut Conn, user: &str) -> Result<Vec<String>, Problem> {
    Ok(admin.exec("SELECT Host FROM mysql.user WHERE User = ? ORDER BY Host", (user,))?)
}

/// `user`'s accounts at `hosts`, as SQL writes them.
fn written(user: &str, hosts: &[String]) -> String {
    if hosts.is_empty() {
        return format!("none named {user}");
    }
    hosts.iter().map(|host| format!("'{user}'@'{host}'")).collect::<Vec<_>>().join(", ")
}

/// The first few items of a long list, and how many more there are.
fn some_of(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

/// A path as the learner would type it: relative to the current folder if inside it.
fn shown(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|dir| path.strip_prefix(dir).ok().map(Path::to_path_buf));
    relative.unwrap_or_else(|| path.to_path_buf()).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App::draw(&mut fastrand::Rng::with_seed(7), "10.0.0.2".into())
    }

    #[test]
    fn names_are_plain_and_drawn_from_the_seed() {
        let (first, second) = (app(), app());
        assert_eq!(first.user, second.user);
        assert!(!first.database.contains('_'), "{}", first.database);
        assert_eq!(first.password.len(), 20);
    }

    #[test]
    fn the_listing_allows_what_every_account_sees() {
        let app = app();
        let listed = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert!(expect_listed(&app, &listed(&[&app.database, "information_schema"])).is_ok());
        assert!(expect_listed(
            &app,
            &listed(&["information_schema", "performance_schema", &app.database])
        )
        .is_ok());
        let failure = expect_listed(&app, &listed(&[&app.database, "information_schema", "mysql"]))
            .unwrap_err();
        assert_eq!(failure.summary, "SHOW DATABASES from the client host also lists mysql");
        let failure = expect_listed(&app, &listed(&["information_schema"])).unwrap_err();
        assert!(failure.summary.contains("did not list"), "{}", failure.summary);
    }

    #[test]
    fn an_account_host_names_one_host_in_any_form_the_server_reads_so() {
        let client = "10.61.7.90";
        for one in ["10.61.7.90", "10.61.7.90/255.255.255.255", "10.61.7.90/32"] {
            assert!(names_one_host(one, client), "{one}");
        }
        for wider in [
            "10.61.7.%",
            "10.61.7.9_",
            "10.61.7.0/255.255.255.0",
            "%",
            "10.61.7.9",
            "10.61.7.90/24",
        ] {
            assert!(!names_one_host(wider, client), "{wider}");
        }
    }

    #[test]
    fn long_lists_are_cut() {
        let items: Vec<String> = (1..=7).map(|n| format!("P{n}")).collect();
        assert_eq!(some_of(&items), "P1, P2, P3, P4, P5 and 2 more");
    }
}
