//! `grader lab probe HOST[:PORT]` from a host that is not the client host (your own
//! machine, a third host): port 3306 must stay shut to it. How it stays shut says
//! which layer shut it: a timeout is a firewall that drops, a refusal a closed port
//! (bind-address, or a rule that rejects), a 1130 or an "Access denied" the accounts
//! (so the port itself is open to this host, which the lab does not want).

use std::time::Duration;

use mysql::{Conn, OptsBuilder};

use super::target::Target;
use super::wire::{self, FirstPacket, Reach};
use super::{Finding, LabReport, Step, Vantage};

/// Probes `target` from this host, and tries its account if it names one.
pub fn probe(target: &Target, timeout: Duration) -> LabReport {
    let reach = wire::reach(target.address, timeout);
    let findings = judge(target, &reach, timeout);
    LabReport::new(Vantage::Elsewhere, target.shown(), findings)
}

fn judge(target: &Target, reach: &Reach, timeout: Duration) -> Vec<Finding> {
    let shown = target.shown();
    let clients = wire::clients_say(&target.host, target.address.port(), reach);
    let rule = "limit the server's inbound rule for TCP 3306 to the client host's private address, with /32";
    match reach {
        Reach::TimedOut => vec![Finding::proven(
            Step::Firewall,
            format!(
                "{shown} did not answer within {} s: the packets are dropped before they reach the server, \
                 as a firewall rule that admits only the client host does (the clients wait, then say: {clients})",
                timeout.as_secs()
            ),
        )],
        Reach::Refused => vec![Finding::not_proven(
            Step::Firewall,
            format!(
                "{shown} refused at once: port 3306 is shut to this host, but by what cannot be told from here: \
                 nothing listens on that address (bind-address), or a rule rejects rather than drops \
                 (the clients say: {clients})"
            ),
            "run `cargo grader lab URL` on the client host: if it gets in, the server listens on the network, \
             and a firewall rule rejected this host",
        )],
        Reach::NoRoute(why) => vec![Finding::not_proven(
            Step::Firewall,
            format!("this host has no route to {shown} ({why}): the port is shut to it, but not by the lab's rule"),
            "probe from a host in the same private network as the server, to test the rule itself",
        )],
        Reach::Open(FirstPacket::Error { code, message }) => vec![
            Finding::failed(
                Step::Firewall,
                format!(
                    "{shown} let this host through to the server: the firewall and bind-address admit it, \
                     only the accounts turned it away (ERROR {code}: {message})"
                ),
                rule,
            ),
            Finding::proven(Step::Account, "the server has no account for this host's address"),
        ],
        Reach::Open(FirstPacket::Greeting { version, .. }) => {
            let mut findings = vec![Finding::failed(
                Step::Firewall,
                format!("{shown} greets this host (server {version}): port 3306 is open to it"),
                rule,
            )];
            findings.push(account_from_here(target, timeout));
            findings
        }
        Reach::Open(FirstPacket::Other(what)) => vec![Finding::failed(
            Step::Firewall,
            format!("{shown} is open to this host, and something other than a MySQL server answers: {what}"),
            rule,
        )],
    }
}

/// With the application's account in the target, whether it logs in from here.
fn account_from_here(target: &Target, timeout: Duration) -> Finding {
    let Some(account) = &target.account else {
        return Finding::not_proven(
            Step::Account,
            "the port is open to this host, so only the accounts stand in its way",
            "probe with the application's URL (mysql://APP_USER:PASSWORD@HOST:3306) to try its account from here",
        );
    };
    let opts = OptsBuilder::new()
        .ip_or_hostname(Some(target.address.ip().to_string()))
        .tcp_port(target.address.port())
        .user(Some(&account.user))
        .pass(Some(&account.password))
        .prefer_socket(false)
        .tcp_connect_timeout(Some(timeout));
    match Conn::new(opts) {
        Ok(_) => Finding::failed(
            Step::Account,
            format!("{} logged in from this host: its account admits more hosts than the client host", account.user),
            format!("make the account '{}'@'CLIENT_PRIVATE_IP', not '%' or a pattern", account.user),
        ),
        Err(mysql::Error::MySqlError(error)) if matches!(error.code, 1045 | 1130 | 1698) => Finding::proven(
            Step::Account,
            format!(
                "the account {} refuses this host (ERROR {}: {}): it would keep this host out even with the port open",
                account.user, error.code, error.message
            ),
        ),
        Err(error) => Finding::not_proven(
            Step::Account,
            format!("the login as {} from here failed otherwise: {error}", account.user),
            "read the error: the table at the end of the book's two-host chapter says what each one means",
        ),
    }
}
