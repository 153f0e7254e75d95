//! `grader lab` on a real two-host lab made of network namespaces ([`NetLab`]): run
//! from the client host and from an intruder, against a server started with the
//! exercise's `mysqld.cnf` behind an iptables rule. The right set-up is proven step
//! by step; each classic mistake (the shipped bind-address, a rule open to all, an
//! account at `'%'`, more grants than exercise 10 allows) is named by the layer it
//! is in. Skipped where namespaces cannot be made; required in CI.

use snapbox::str;

use crate::netns::{Host, NetLab, Rule};
use crate::support::{assert_text, grader, workspace_root, Run};

const APP_PASSWORD: &str = "app0pass0word";
const ADMIN_PASSWORD: &str = "admin0pass0word";

fn app_url() -> String {
    format!("mysql://app:{APP_PASSWORD}@{}:3306/appdb", Host::Server.address())
}

fn admin_url() -> String {
    format!("mysql://labadmin:{ADMIN_PASSWORD}@{}:3306", Host::Server.address())
}

/// The application's account for `host`, with `privileges` on appdb.
fn account(lab: &NetLab, host: &str, privileges: &str) {
    lab.sql("DROP USER IF EXISTS 'app'@'%', 'app'@'10.213.0.20'");
    lab.sql(&format!("CREATE USER 'app'@'{host}' IDENTIFIED BY '{APP_PASSWORD}'"));
    lab.sql(&format!("GRANT {privileges} ON appdb.* TO 'app'@'{host}'"));
}

fn client(lab: &NetLab) -> Run {
    lab.grader(Host::Client, &["lab", &app_url(), "--admin", &admin_url(), "--timeout", "2"])
}

fn probe(lab: &NetLab, target: &str) -> Run {
    lab.grader(Host::Intruder, &["lab", "probe", target, "--timeout", "2"])
}

/// A finding's line (and its next step) in a lab report, found by its start.
#[track_caller]
fn line_of(run: &Run, start: &str) -> String {
    let mut lines = run.stdout.lines();
    let found = lines.by_ref().find(|line| line.starts_with(start));
    let Some(found) = found else {
        panic!("no line starting {start:?} in:\n{}\nstderr:\n{}", run.stdout, run.stderr)
    };
    let mut text = format!("{found}\n");
    if let Some(next) = lines.next().filter(|line| line.starts_with("    →")) {
        text += &format!("{next}\n");
    }
    text
}

#[test]
fn the_two_host_lab_in_namespaces_is_proven_and_each_mistake_named() {
    let Some(mut lab) = NetLab::create() else { return };
    let shipped = workspace_root().join("exercises/10_remote_access/mysqld.cnf");
    let solved = workspace_root().join("solutions/10_remote_access/mysqld.cnf");

    // The shipped bind-address: the client host is refused at once.
    lab.start_server(&shipped);
    lab.firewall(Rule::ClientOnly);
    lab.sql("CREATE DATABASE appdb");
    lab.sql(&format!("CREATE USER 'labadmin'@'10.213.0.20' IDENTIFIED BY '{ADMIN_PASSWORD}'"));
    lab.sql("GRANT SELECT ON mysql.user TO 'labadmin'@'10.213.0.20'");
    account(&lab, "10.213.0.20", "SELECT, INSERT, UPDATE, DELETE");
    let run = client(&lab);
    run.assert_code(1);
    assert_text(
        &line_of(&run, "✗ 10.213.0.10:3306 refused"),
        str![[r#"
✗ 10.213.0.10:3306 refused the connection at once: the server's host answers, but nothing listens on that address and port (the clients say: MariaDB's client: ERROR 2002 (HY000): Can't connect to server on '10.213.0.10' (115); MySQL's: ERROR 2003 (HY000): Can't connect to MySQL server on '10.213.0.10:3306' (111))
    → set bind-address = 0.0.0.0 (or the server's private address) in the server's configuration and restart it (sudo systemctl restart mariadb, or mysql); a firewall rule that rejects instead of dropping says the same, so check the server's own firewall (sudo ufw status) too

"#]],
    );

    // The lab as it should be: every step proven from the client host...
    lab.start_server(&solved);
    let run = client(&lab);
    run.assert_code(0);
    assert_text(
        &run.stdout,
        str![[r#"
The lab from this host, the client host, to 10.213.0.10:3306

✓ the server's address 10.213.0.10 is a private one
· this host reaches 10.213.0.10:3306 over TCP: the firewall admits it (that it admits no other host shows only from another host)
✓ the server listens on its network address 10.213.0.10
✓ the server greets this host: protocol 10, version [VERSION]
✓ connected to 10.213.0.10:3306 over TCP as app@10.213.0.20, no SSH in between (the server's process list shows the session from 10.213.0.20, a TCP client)
✓ the server sees this host as 10.213.0.20, another private address than its own
✓ the server chose the account app@10.213.0.20, for this host's address only
✓ SHOW DATABASES lists appdb, information_schema
✓ 'app'@'10.213.0.20' may SELECT, INSERT, UPDATE and DELETE in appdb, and nothing else
✓ the server's bind-address is "0.0.0.0": it listens where the client host reaches it
✓ no account is for every host or for a pattern of hosts, and none is anonymous
✓ the client is installed here: [..]

The lab's steps:
✓ 1 two hosts in one private network: proven
✓ 2 a MySQL server on "mysql server": proven
✓ 3 the mysql client on "mysql client": proven
· 4 port 3306 open to the client's private address only: not proven from here
    → from a third host or your own machine, run `cargo grader lab probe 10.213.0.10`: the port must stay shut to it
✓ 5 the server listening on the network (bind-address): proven
✓ 6 the client connecting over the network, without SSH: proven
✓ 7 SHOW DATABASES listing the lab's database: proven
✓ + the application's account: this host only, exercise 10's grants: proven

7 of 8 steps proven, 0 not as the lab asks, 1 not proven from here

"#]],
    );
    // ...and the intruder's packets dropped by the rule.
    let run = probe(&lab, &Host::Server.address());
    run.assert_code(0);
    assert_text(
        &run.stdout,
        str![[r#"
The lab from this host, which is not the client host, to 10.213.0.10:3306

✓ 10.213.0.10:3306 did not answer within 2 s: the packets are dropped before they reach the server, as a firewall rule that admits only the client host does (the clients wait, then say: MariaDB's client: ERROR 2002 (HY000): Can't connect to server on '10.213.0.10' (110); MySQL's: ERROR 2003 (HY000): Can't connect to MySQL server on '10.213.0.10:3306' (110))

The lab's steps:
· 1 two hosts in one private network: not proven from here
· 2 a MySQL server on "mysql server": not proven from here
· 3 the mysql client on "mysql client": not proven from here
    → run `cargo grader lab mysql://APP_USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE` on the client host
✓ 4 port 3306 open to the client's private address only: proven
· 5 the server listening on the network (bind-address): not proven from here
· 6 the client connecting over the network, without SSH: not proven from here
· 7 SHOW DATABASES listing the lab's database: not proven from here
· + the application's account: this host only, exercise 10's grants: not proven from here
    → run `cargo grader lab mysql://APP_USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE` on the client host

1 of 8 steps proven, 0 not as the lab asks, 7 not proven from here

"#]],
    );

    // The same for scripts: one JSON document.
    let run = lab.grader(
        Host::Intruder,
        &["lab", "probe", &Host::Server.address(), "--timeout", "2", "--format", "json"],
    );
    run.assert_code(0);
    let report = run.json();
    assert_eq!(report["vantage"], "elsewhere", "{report:#}");
    let firewall = report["steps"].as_array().unwrap().iter().find(|s| s["step"] == "firewall");
    assert_eq!(firewall.unwrap()["verdict"], "proven", "{report:#}");

    // A rule open to all: the intruder reaches the server, only the account stops it.
    lab.firewall(Rule::OpenToAll);
    let run = probe(&lab, &app_url());
    run.assert_code(1);
    assert_text(
        &format!("{}{}", line_of(&run, "✗ "), line_of(&run, "✓ ")),
        str![[r#"
✗ 10.213.0.10:3306 let this host through to the server: the firewall and bind-address admit it, only the accounts turned it away (ERROR 1130: Host '10.213.0.30' is not allowed to connect to this MariaDB server)
    → limit the server's inbound rule for TCP 3306 to the client host's private address, with /32
✓ the server has no account for this host's address

"#]],
    );

    // An account at '%': the rule still stops the intruder, the client host names the account.
    lab.firewall(Rule::ClientOnly);
    account(&lab, "%", "SELECT, INSERT, UPDATE, DELETE");
    let run = client(&lab);
    run.assert_code(1);
    assert_text(
        &format!(
            "{}{}",
            line_of(&run, "✗ the server let this host in as app@%"),
            line_of(&run, "✗ accounts for more than one host")
        ),
        str![[r#"
✗ the server let this host in as app@%, an account for other hosts too, not for this host's address 10.213.0.20 alone: the firewall is then all that keeps others out
    → on the server: CREATE USER 'app'@'10.213.0.20' …, GRANT it the same, then DROP USER 'app'@'%'
✗ accounts for more than one host: 'app'@'%' (the firewall is all that keeps other hosts from them)
    → recreate each for the one address it is used from, then DROP USER the wildcard one

"#]],
    );
    probe(&lab, &app_url()).assert_code(0);
    // With the rule open too, nothing stops the intruder: both layers are named.
    lab.firewall(Rule::OpenToAll);
    let run = probe(&lab, &app_url());
    run.assert_code(1);
    assert_text(
        &format!(
            "{}{}",
            line_of(&run, "✗ 10.213.0.10:3306 greets"),
            line_of(&run, "✗ app logged in")
        ),
        str![[r#"
✗ 10.213.0.10:3306 greets this host (server [VERSION]): port 3306 is open to it
    → limit the server's inbound rule for TCP 3306 to the client host's private address, with /32
✗ app logged in from this host: its account admits more hosts than the client host
    → make the account 'app'@'CLIENT_PRIVATE_IP', not '%' or a pattern

"#]],
    );

    // More grants than exercise 10 allows.
    lab.firewall(Rule::ClientOnly);
    account(&lab, "10.213.0.20", "ALL PRIVILEGES");
    let run = client(&lab);
    run.assert_code(1);
    assert_text(
        &line_of(&run, "✗ 'app'@'10.213.0.20' may"),
        str![[r#"
✗ 'app'@'10.213.0.20' may ALTER, ALTER ROUTINE, CREATE, CREATE ROUTINE, CREATE TEMPORARY TABLES, CREATE VIEW, DELETE, DELETE HISTORY, DROP, EVENT, EXECUTE, INDEX, INSERT, LOCK TABLES, REFERENCES, SELECT, SHOW VIEW, TRIGGER, UPDATE in appdb; exercise 10 asks for SELECT, INSERT, UPDATE and DELETE only
    → REVOKE ALL PRIVILEGES ON `appdb`.* FROM 'app'@'10.213.0.20'; then GRANT SELECT, INSERT, UPDATE, DELETE ON `appdb`.* TO 'app'@'10.213.0.20'

"#]],
    );
}

#[test]
fn lab_without_an_account_or_with_a_bad_target_is_refused() {
    let run = grader(&["lab"]);
    run.assert_code(2);
    assert_text(
        &run.stderr,
        str![[r#"
error: name the application's account: cargo grader lab mysql://USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE (or set DATABASE_URL); from a host that is not the client host, run cargo grader lab probe HOST

"#]],
    );
    let run = grader(&["lab", "probe", "mysql://app:pa/ss@10.1.2.3:3306/db"]);
    run.assert_code(2);
    assert_text(
        &run.stderr,
        str![[r#"
error: "mysql://app:…@10.1.2.3:3306/db" is not a valid URL (URL ParseError { invalid port number }): expected mysql://USER:PASSWORD@HOST:PORT/DATABASE, with any /, +, @, : or % in the password percent-encoded (%2F, %2B, %40, %3A, %25)

"#]],
    );
}

#[test]
fn a_killed_graders_lab_namespace_is_a_leftover_for_doctor() {
    if !crate::netns::namespaces_here() {
        return;
    }
    // A process id above the kernel's limit (4194304) never runs.
    let name = "grader-lab-4194305-1-srv";
    let made = std::process::Command::new("ip").args(["netns", "add", name]).status().unwrap();
    assert!(made.success());
    let run = grader(&["doctor"]);
    let _ = std::process::Command::new("ip").args(["netns", "del", name]).status();
    let line = run.stdout.lines().position(|line| line.contains(name));
    let Some(line) = line else { panic!("doctor did not name {name}:\n{}", run.stdout) };
    let lines: Vec<&str> = run.stdout.lines().skip(line).take(2).collect();
    assert_text(
        &format!("{}\n", lines.join("\n")),
        str![[r#"
✗ leftover  a network namespace of exercise 10's lab, grader-lab-4194305-1-srv, of a grader that is gone (process [PID])
            → cargo grader doctor --fix (or ip netns del grader-lab-4194305-1-srv)

"#]],
    );
}
