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
"#]],
    );

    // The lab as it should be: every step proven from the client host...
    lab.start_server(&solved);
    let run = client(&lab);
    run.assert_code(0);
    assert_text(
        &run.stdout,
        str![[r#"
"#]],
    );
    // ...and the intruder's packets dropped by the rule.
    let run = probe(&lab, &Host::Server.address());
    run.assert_code(0);
    assert_text(
        &run.stdout,
        str![[r#"
"#]],
    );

    // A rule open to all: the intruder reaches the server, only the account stops it.
    lab.firewall(Rule::OpenToAll);
    let run = probe(&lab, &app_url());
    run.assert_code(1);
    assert_text(
        &format!("{}{}", line_of(&run, "✗ "), line_of(&run, "✓ ")),
        str![[r#"
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
"#]],
    );
    let run = grader(&["lab", "probe", "mysql://app:pa/ss@10.1.2.3:3306/db"]);
    run.assert_code(2);
    assert_text(
        &run.stderr,
        str![[r#"
"#]],
    );
}
