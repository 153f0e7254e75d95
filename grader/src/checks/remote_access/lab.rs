//! What the check of exercise 10 needs from a lab, whatever builds it: a server on a
//! network, a client host and an intruder beside it, the administrator's way in, and
//! a way to log in from each host as the application would.

use anyhow::Result;
use mysql::Conn;

use crate::runner::RunOutput;

/// A host of the lab that logs in to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// The client host: the application's account is for it.
    Client,
    /// Another host on the same network, which the account must keep out.
    Intruder,
}

/// How one attempt to log in and run `SHOW DATABASES` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Logged in; the databases `SHOW DATABASES` listed, in order.
    Listed(Vec<String>),
    /// Did not get in: the error's code if there was one, and the client's message.
    Refused {
        /// The MySQL error code: 1045 and 1130 come from the server's accounts,
        /// 2002 and 2003 mean that nothing answered.
        code: Option<u16>,
        /// The message as a client shows it: `ERROR 1130 (HY000): Host …`.
        message: String,
    },
}

impl Attempt {
    /// Whether nothing answered in time: the packets were dropped on the way, as a
    /// firewall drops them (the clients' code 110).
    pub fn timed_out(&self) -> bool {
        matches!(self, Attempt::Refused { code: Some(2002 | 2003), message } if message.ends_with("(110)"))
    }

    /// Whether the server answered and turned the login down (wrong host, user or
    /// password), as opposed to nothing answering at all.
    pub fn refused_by_accounts(&self) -> bool {
        matches!(self, Attempt::Refused { code: Some(1044 | 1045 | 1130 | 1698), .. })
    }

    /// An attempt from a `mysql` client's exit status and output.
    pub fn from_client(succeeded: bool, stdout: &str, stderr: &str) -> Attempt {
        if succeeded {
            return Attempt::Listed(
                stdout.lines().map(|line| line.trim_end().to_string()).collect(),
            );
        }
        let message = stderr
            .lines()
            .find(|line| line.starts_with("ERROR"))
            .or_else(|| stderr.lines().rev().find(|line| !line.trim().is_empty()))
            .unwrap_or("the client ended without a message")
            .trim()
            .to_string();
        let code = message
            .strip_prefix("ERROR ")
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|digits| digits.parse().ok());
        Attempt::Refused { code, message }
    }
}

/// A lab the check runs in.
pub trait Lab: Sync {
    /// The address of `host`, as the server sees it.
    fn address(&self, host: Host) -> String;
    /// Where the lab's hosts reach the server: `address:port`.
    fn server_address(&self) -> String;
    /// The administrator's URL, for the learner's provisioning program.
    fn admin_url(&self) -> String;
    /// A connection of the grader's own, as administrator.
    fn admin_conn(&self) -> Result<Conn>;
    /// What the client host saw if nothing listens on the server's network
    /// address; `None` if the server answers there.
    fn unreachable(&self) -> Option<&str>;
    /// Logs in from `host` as `user` and runs `SHOW DATABASES`.
    fn show_databases(&self, host: Host, user: &str, password: &str) -> Result<Attempt>;
    /// Whether the server's host has a firewall of its own that admits the client
    /// host alone (the lab's inbound rule), so that the intruder's packets are
    /// dropped before they reach the server.
    fn has_firewall(&self) -> bool {
        false
    }
    /// Opens the firewall to `host` as well, as a rule open to all would: what the
    /// accounts do on their own shows then.
    fn open_firewall_to(&self, _host: Host) -> Result<()> {
        Ok(())
    }
    /// Runs `work` (the learner's provisioning program) where an administrator of
    /// the server would: on this machine, or on the server's host when it is one of
    /// the lab's own.
    fn run_on_server_host(
        &self,
        work: Box<dyn FnOnce() -> Result<RunOutput> + Send + '_>,
    ) -> Result<RunOutput> {
        work()
    }
}

/// The URL of a server's administrator that a lab on this machine hands to the
/// learner's provisioning program (TCP only, no database).
pub(super) fn admin_url(admin: &crate::server::Endpoint) -> String {
    format!(
        "mysql://{}:{}@{}:{}?prefer_socket=false",
        admin.user, admin.password, admin.host, admin.port
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_error_is_read_for_its_code() {
        let attempt = Attempt::from_client(
            false,
            "",
            "mysql: [Warning] Using a password on the command line interface can be insecure.\n\
             ERROR 1130 (HY000): Host '172.18.0.4' is not allowed to connect to this MySQL server\n",
        );
        assert!(attempt.refused_by_accounts());
        let Attempt::Refused { code, message } = attempt else { panic!() };
        assert_eq!(code, Some(1130));
        assert!(message.starts_with("ERROR 1130 (HY000): Host"), "{message}");

        let attempt = Attempt::from_client(
            false,
            "",
            "ERROR 2002 (HY000): Can't connect to server on '172.18.0.2' (115)\n",
        );
        assert!(!attempt.refused_by_accounts());
        assert!(!attempt.timed_out());
        let dropped = Attempt::from_client(
            false,
            "",
            "ERROR 2003 (HY000): Can't connect to MySQL server on '172.18.0.2:3306' (110)\n",
        );
        assert!(dropped.timed_out() && !dropped.refused_by_accounts());
        assert_eq!(
            Attempt::from_client(true, "appdb\ninformation_schema\n", ""),
            Attempt::Listed(vec!["appdb".into(), "information_schema".into()])
        );
    }
}
