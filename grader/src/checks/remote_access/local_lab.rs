//! The lab on the local backend: a second local server, and loopback addresses for
//! hosts. Linux delivers all of 127.0.0.0/8 locally, so each host of the lab is an
//! address of its own: the server's network address is 127.0.0.4, the client host
//! logs in from 127.0.0.2 and the intruder from 127.0.0.3 (the `mysql` crate's
//! `bind_address` picks the source). A server bound to 127.0.0.1 only does not
//! answer 127.0.0.4, as a server bound to 127.0.0.1 on a real host does not answer
//! its network address.
//!
//! The learner's file is not handed to the local server (it may name folders of
//! this machine); its `bind-address` is read and applied, every address of the
//! server's host (`0.0.0.0`, `*`, `::`) standing for the lab's network address.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use anyhow::{anyhow, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, DriverError, OptsBuilder};

use super::cnf::Networking;
use super::lab::{Attempt, Host, Lab};
use crate::checks::{Failure, Problem};
use crate::lab::wire::{clients_say, Reach};
use crate::server::local::LocalServer;

/// The server's address on the lab's pretend network.
pub const NETWORK_ADDRESS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 4);
/// The client host's address.
pub const CLIENT_ADDRESS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// The intruder's address.
pub const INTRUDER_ADDRESS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
/// How long one login may take to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A running lab on this machine's loopback addresses.
pub struct LocalLab {
    server: LocalServer,
    unreachable: Option<String>,
}

impl LocalLab {
    /// Starts a server that listens where the learner's `networking` says.
    pub fn start(networking: &Networking) -> Result<LocalLab, Problem> {
        for address in [CLIENT_ADDRESS, INTRUDER_ADDRESS, NETWORK_ADDRESS] {
            TcpListener::bind((address, 0)).map_err(|error| {
                anyhow!(
                    "this machine does not answer on {address} ({error}), which the lab uses as a host's address: \
                     use --backend docker, or add the addresses 127.0.0.2 to 127.0.0.4 to the loopback interface"
                )
            })?;
        }
        let addresses = listen_addresses(networking)?;
        let admin_host =
            if addresses.contains(&NETWORK_ADDRESS) { NETWORK_ADDRESS } else { addresses[0] };
        let bind: Vec<String> = addresses.iter().map(Ipv4Addr::to_string).collect();
        let server = LocalServer::start_bound(&bind.join(","), &admin_host.to_string())?;
        let mut lab = LocalLab { server, unreachable: None };
        let probe = lab.show_databases(Host::Client, "probe", "")?;
        if let Attempt::Refused { message, .. } = &probe {
            if !probe.refused_by_accounts() {
                lab.unreachable = Some(message.clone());
            }
        }
        Ok(lab)
    }
}

impl Lab for LocalLab {
    fn address(&self, host: Host) -> String {
        match host {
            Host::Client => CLIENT_ADDRESS.to_string(),
            Host::Intruder => INTRUDER_ADDRESS.to_string(),
        }
    }

    fn server_address(&self) -> String {
        format!("{NETWORK_ADDRESS}:{}", self.server.admin.port)
    }

    fn admin_url(&self) -> String {
        super::lab::admin_url(&self.server.admin)
    }

    fn admin_conn(&self) -> Result<Conn> {
        Ok(Conn::new(self.server.admin.opts(None))?)
    }

    fn unreachable(&self) -> Option<&str> {
        self.unreachable.as_deref()
    }

    fn show_databases(&self, host: Host, user: &str, password: &str) -> Result<Attempt> {
        let source = match host {
            Host::Client => CLIENT_ADDRESS,
            Host::Intruder => INTRUDER_ADDRESS,
        };
        let opts = OptsBuilder::new()
            .ip_or_hostname(Some(NETWORK_ADDRESS.to_string()))
            .tcp_port(self.server.admin.port)
            .user(Some(user))
            .pass(Some(password))
            .prefer_socket(false)
            .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
            .bind_address(Some(SocketAddr::from((source, 0))));
        let listed = Conn::new(opts).and_then(|mut conn| conn.query::<String, _>("SHOW DATABASES"));
        Ok(match listed {
            Ok(names) => Attempt::Listed(names),
            Err(mysql::Error::MySqlError(error)) => Attempt::Refused {
                code: Some(error.code),
                message: format!("ERROR {} ({}): {}", error.code, error.state, error.message),
            },
            Err(mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, why, _))))) => {
                self.cannot_connect(&why)
            }
            Err(mysql::Error::IoError(error)) => self.cannot_connect(&error.to_string()),
            Err(error) => Attempt::Refused { code: None, message: error.to_string() },
        })
    }
}

impl LocalLab {
    /// Nothing answered, in the words of both `mysql` utilities (MariaDB's and
    /// MySQL's word it differently), with the operating system's code.
    fn cannot_connect(&self, why: &str) -> Attempt {
        let reach = if why.contains("timed out") { Reach::TimedOut } else { Reach::Refused };
        Attempt::Refused {
            code: Some(2002),
            message: clients_say(&NETWORK_ADDRESS.to_string(), self.server.admin.port, &reach),
        }
    }
}

/// The loopback addresses the lab's server listens on for the learner's settings.
pub(super) fn listen_addresses(networking: &Networking) -> Result<Vec<Ipv4Addr>, Failure> {
    if networking.skip_networking {
        return Err(Failure::new(
            "your mysqld.cnf turns on skip-networking: the server opens no TCP port, so no other host can reach it",
            "remove skip-networking from mysqld.cnf",
        ));
    }
    // Without bind-address, both servers listen on every address.
    let setting = networking.bind_address.as_deref().unwrap_or("*");
    let mut addresses = Vec::new();
    for entry in setting.split(',').map(str::trim) {
        let address = match entry {
            "*" | "0.0.0.0" | "::" => NETWORK_ADDRESS,
            "localhost" => Ipv4Addr::LOCALHOST,
            other => match other.parse::<Ipv4Addr>() {
                Ok(address) if address.is_loopback() => address,
                _ => return Err(unusable_address(entry)),
            },
        };
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    Ok(addresses)
}

fn unusable_address(entry: &str) -> Failure {
    Failure::new(
        format!("the lab's server cannot listen on {entry:?}, the bind-address in your mysqld.cnf"),
        "the lab gives the server an address of its own, which you cannot know in advance \
         (as with a new cloud host): make it listen on every address of its host instead",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(bind_address: Option<&str>) -> Result<Vec<Ipv4Addr>, Failure> {
        listen_addresses(&Networking {
            bind_address: bind_address.map(String::from),
            skip_networking: false,
        })
    }

    #[test]
    fn every_address_stands_for_the_network_address() {
        for every in [None, Some("0.0.0.0"), Some("*"), Some("::")] {
            assert_eq!(addresses(every).unwrap(), [NETWORK_ADDRESS]);
        }
        assert_eq!(addresses(Some("localhost")).unwrap(), [Ipv4Addr::LOCALHOST]);
        assert_eq!(
            addresses(Some("127.0.0.1, 0.0.0.0")).unwrap(),
            [Ipv4Addr::LOCALHOST, NETWORK_ADDRESS]
        );
    }

    #[test]
    fn addresses_of_other_hosts_are_refused() {
        let failure = addresses(Some("172.31.5.10")).unwrap_err();
        assert!(failure.summary.contains("\"172.31.5.10\""), "{}", failure.summary);
        assert!(addresses(Some("::1")).is_err());
        let skip = Networking { bind_address: None, skip_networking: true };
        assert!(listen_addresses(&skip).unwrap_err().summary.contains("skip-networking"));
    }
}
