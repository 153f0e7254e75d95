//! `grader lab`: the two-host lab on the learner's real hosts, checked from where
//! they run it. From the client host ([`client`]) it logs in with the application's
//! account and proves what that host can prove (and, with an administrator's URL,
//! what the server says of itself: [`admin`]); from any other host ([`probe`]) it
//! expects port 3306 to stay shut and says which layer shut it.
//!
//! Every finding belongs to one step of the source lab ([`Step`]), and the summary
//! says of each step whether it is proven, disproven, or not proven from here, with
//! the next step for each.

pub mod admin;
pub mod client;
pub mod grants;
pub mod probe;
pub mod render;
pub mod target;
pub mod wire;

use serde::Serialize;

/// The steps of the two-host lab, as the source lab numbers them, and the account
/// that the book's step 6 and exercise 10 add.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 1. Two hosts in one private network.
    TwoHosts,
    /// 2. A MySQL server on "mysql server".
    Server,
    /// 3. The MySQL client on "mysql client".
    Client,
    /// 4. Port 3306 open to the client's private address, and to no one else.
    Firewall,
    /// 5. The server listening on the network (`bind-address`).
    BindAddress,
    /// 6. The client connecting over the private network, without SSH.
    Connect,
    /// 7. `SHOW DATABASES` listing the lab's database.
    ShowDatabases,
    /// The application's account: at the client's address only, with exactly the
    /// privileges exercise 10 asks for, and no account open to every host.
    Account,
}

impl Step {
    /// Every step, in the lab's order.
    pub const ALL: [Step; 8] = [
        Step::TwoHosts,
        Step::Server,
        Step::Client,
        Step::Firewall,
        Step::BindAddress,
        Step::Connect,
        Step::ShowDatabases,
        Step::Account,
    ];

    /// The step's label in the summary: its number in the source lab.
    pub fn label(self) -> &'static str {
        match self {
            Step::TwoHosts => "1",
            Step::Server => "2",
            Step::Client => "3",
            Step::Firewall => "4",
            Step::BindAddress => "5",
            Step::Connect => "6",
            Step::ShowDatabases => "7",
            Step::Account => "+",
        }
    }

    /// What the step sets up, in a few words.
    pub fn title(self) -> &'static str {
        match self {
            Step::TwoHosts => "two hosts in one private network",
            Step::Server => "a MySQL server on \"mysql server\"",
            Step::Client => "the mysql client on \"mysql client\"",
            Step::Firewall => "port 3306 open to the client's private address only",
            Step::BindAddress => "the server listening on the network (bind-address)",
            Step::Connect => "the client connecting over the network, without SSH",
            Step::ShowDatabases => "SHOW DATABASES listing the lab's database",
            Step::Account => "the application's account: this host only, exercise 10's grants",
        }
    }
}

/// What a finding says of its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Shown to be set up as the lab asks.
    Proven,
    /// Shown to be set up otherwise.
    Failed,
    /// Not shown either way from where the grader ran.
    NotProven,
}

/// One thing the grader found out, for one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The step it is about.
    pub step: Step,
    /// Whether it proves the step, disproves it, or neither.
    pub verdict: Verdict,
    /// What was expected and what happened, in a line or two.
    pub said: String,
    /// What to try next; `None` when there is nothing to do.
    pub next: Option<String>,
}

impl Finding {
    /// A finding that proves `step`.
    pub fn proven(step: Step, said: impl Into<String>) -> Finding {
        Finding { step, verdict: Verdict::Proven, said: said.into(), next: None }
    }

    /// A finding that shows `step` set up otherwise, and what to do about it.
    pub fn failed(step: Step, said: impl Into<String>, next: impl Into<String>) -> Finding {
        Finding { step, verdict: Verdict::Failed, said: said.into(), next: Some(next.into()) }
    }

    /// A finding that leaves `step` open, and how to prove it.
    pub fn not_proven(step: Step, said: impl Into<String>, next: impl Into<String>) -> Finding {
        Finding { step, verdict: Verdict::NotProven, said: said.into(), next: Some(next.into()) }
    }
}

/// Where `grader lab` ran, which decides what it can prove and what it cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Vantage {
    /// The client host, with the application's account.
    ClientHost,
    /// Any other host, probing the server's port.
    Elsewhere,
}

/// One step's standing in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The step.
    pub step: Step,
    /// A failed finding wins, then a proof; without either, not proven.
    pub verdict: Verdict,
    /// The next step: the first failed finding's, else how to prove it.
    pub next: Option<String>,
}

/// Everything a `grader lab` run found, and where it ran.
#[derive(Debug, Clone, Serialize)]
pub struct LabReport {
    /// Where it ran.
    pub vantage: Vantage,
    /// The server it looked at, `host:port`.
    pub server: String,
    /// What it found, in the order it found it.
    pub findings: Vec<Finding>,
    /// Each step's standing.
    pub steps: Vec<Standing>,
}

impl LabReport {
    /// A report of `findings`, with each step's standing worked out.
    pub fn new(vantage: Vantage, server: String, findings: Vec<Finding>) -> LabReport {
        let steps =
            Step::ALL.iter().map(|&step| standing(step, vantage, &server, &findings)).collect();
        LabReport { vantage, server, findings, steps }
    }

    /// Whether any finding shows a step set up otherwise than the lab asks.
    pub fn has_failures(&self) -> bool {
        self.findings.iter().any(|finding| finding.verdict == Verdict::Failed)
    }
}

fn standing(step: Step, vantage: Vantage, server: &str, findings: &[Finding]) -> Standing {
    let mine = || findings.iter().filter(move |finding| finding.step == step);
    if let Some(failed) = mine().find(|finding| finding.verdict == Verdict::Failed) {
        return Standing { step, verdict: Verdict::Failed, next: failed.next.clone() };
    }
    if mine().any(|finding| finding.verdict == Verdict::Proven) {
        return Standing { step, verdict: Verdict::Proven, next: None };
    }
    let next = mine()
        .find_map(|finding| finding.next.clone())
        .unwrap_or_else(|| how_to_prove(step, vantage, server));
    Standing { step, verdict: Verdict::NotProven, next: Some(next) }
}

/// How to prove `step` when this run could not.
fn how_to_prove(step: Step, vantage: Vantage, server: &str) -> String {
    let host = server.rsplit_once(':').map_or(server, |(host, _)| host);
    let on_client = "run `cargo grader lab mysql://APP_USER:PASSWORD@SERVER_PRIVATE_IP:3306/DATABASE` on the client host";
    match (step, vantage) {
        (Step::Firewall, Vantage::ClientHost) => format!(
            "from a third host or your own machine, run `cargo grader lab probe {host}`: the port must stay shut to it"
        ),
        (Step::BindAddress | Step::Account, Vantage::ClientHost) => format!(
            "add --admin mysql://ADMIN:PASSWORD@{host}:3306 (an account that may read mysql.user) to see the server's side"
        ),
        (Step::Client, Vantage::ClientHost) => {
            "install the client here: sudo apt install mariadb-client (or mysql-client)".into()
        }
        (_, Vantage::Elsewhere) => on_client.into(),
        _ => "fix the steps before this one, then run the lab check again".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_wins_over_a_proof_and_silence_says_how_to_prove() {
        let findings = vec![
            Finding::proven(Step::Firewall, "reached"),
            Finding::failed(Step::Firewall, "open to all", "close it"),
            Finding::proven(Step::Server, "a server answers"),
        ];
        let report = LabReport::new(Vantage::ClientHost, "10.0.0.10:3306".into(), findings);
        assert!(report.has_failures());
        let of = |step| report.steps.iter().find(|s| s.step == step).unwrap().clone();
        assert_eq!(of(Step::Firewall).verdict, Verdict::Failed);
        assert_eq!(of(Step::Firewall).next.as_deref(), Some("close it"));
        assert_eq!(of(Step::Server).verdict, Verdict::Proven);
        assert_eq!(of(Step::BindAddress).verdict, Verdict::NotProven);
        assert!(of(Step::BindAddress)
            .next
            .unwrap()
            .contains("--admin mysql://ADMIN:PASSWORD@10.0.0.10:3306"));
        assert_eq!(report.steps.len(), Step::ALL.len());
    }
}
