//! The lab on the local backend: a second local server, and loopback addresses for
//! hosts. Linux delivers all of 127.0.0.0/8 locally, so each host of the lab is an
//! address of its own, drawn from the seed on a 127.x.y.0/24 ([`LabAddresses`]):
//! the server's network address, the client host's (the `mysql` crate's
//! `bind_address` picks a login's source) and the intruder's. A server bound to
//! 127.0.0.1 only does not answer its network address, as a server bound to
//! 127.0.0.1 on a real host does not answer its own.
//!
//! The learner's file is not handed to the local server (it may name folders of
//! this machine); its `bind-address` is read and applied, every address of the
//! server's host (`0.0.0.0`, `*`, `::`) standing for the lab's network address.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use anyhow::{anyhow, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, DriverError, OptsBuilder};

use super::addresses::LabAddresses;
use super::cnf::Networking;
use super::lab::{Attempt, Host, Lab};
use crate::checks::{Failure, Problem};
use crate::lab::wire::{clients_say, Reach};
use crate::server::local::LocalServer;

/// How long one login may take to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// A running lab on this machine's loopback addresses.
pub struct LocalLab {
    server: LocalServer,
    hosts: LabAddresses,
    unreachable: Option<String>,
}

impl LocalLab {
    /// Starts a server that listens where the learner's `networking` says, with the
    /// lab's hosts at `hosts` (on a 127.x.y.0/24).
    pub fn start(networking: &Networking, hosts: LabAddresses) -> Result<LocalLab, Problem> {
        for address in [hosts.client(), hosts.intruder(), hosts.server()] {
            TcpListener::bind((address, 0)).map_err(|error| {
                anyhow!(
                    "this machine does not answer on {address} ({error}), which the lab uses as a host's address: \
                     use --backend docker, or a system that delivers all of 127.0.0.0/8 locally (as Linux does)"
                )
            })?;
        }
        let network_address = hosts.server();
        let addresses = listen_addresses(networking, network_address)?;
        let admin_host =
            if addresses.contains(&network_address) { network_address } else { addresses[0] };
        let bind: Vec<String> = addresses.iter().map(Ipv4Addr::to_string).collect();
        let server = LocalServer::start_bound(&bind.join(","), &admin_host.to_string())?;
        let mut lab = LocalLab { server, hosts, unreachable: None };
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
        self.source(host).to_string()
    }

    fn server_address(&self) -> String {
        format!("{}:{}", self.hosts.server(), self.server.admin.port)
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
        let source = self.source(host);
        let opts = OptsBuilder::new()
            .ip_or_hostname(Some(self.hosts.server().to_string()))
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
    /// Where `host` logs in from.
    fn source(&self, host: Host) -> Ipv4Addr {
        match host {
            Host::Client => self.hosts.client(),
            Host::Intruder => self.hosts.intruder(),
        }
    }

    /// Nothing answered, in the words of both `mysql` utilities (MariaDB's and
    /// MySQL's word it differently), with the operating system's code.
    fn cannot_connect(&self, why: &str) -> Attempt {
        let reach = if why.contains("timed out") { Reach::TimedOut } else { Reach::Refused };
        Attempt::Refused {
            code: Some(2002),
            message: clients_say(&self.hosts.server().to_string(), self.server.admin.port, &reach),
        }
    }
}

/// The loopback addresses the lab's server listens on for the learner's settings,
/// every address of its host standing for `network_address`. An address of another
/// host cannot be listened on, as a real server cannot bind an address its host does
/// not have: the lab's addresses are drawn for each run, so no address written in
/// advance is the server's.
pub(super) fn listen_addresses(
    networking: &Networking,
    network_address: Ipv4Addr,
) -> Result<Vec<Ipv4Addr>, Failure> {
    if networking.skip_networking {
        return Err(Failure::new(
            "your mysqld.cnf turns on skip-networking: the server opens no TCP port, so no other host can reach it",
            "remove skip-networking from mysqld.cnf",
        ));
    }
    let mut addresses = Vec::new();
    for entry in bind_entries(networking) {
        let address = match listened(entry) {
            Listened::Every => network_address,
            Listened::Loopback(address) => address,
            // By chance this run's address: a real server would listen there.
            Listened::Other(address) if address == network_address => address,
            Listened::Other(_) | Listened::Elsewhere => {
                return Err(unusable_address(entry, Some(network_address)))
            }
        };
        if !addresses.contains(&address) {
            addresses.push(address);
        }
    }
    Ok(addresses)
}

/// For a lab whose server gets its address only once it runs (docker's): refuses a
/// bind-address that names an address of another host before anything starts, with
/// the words [`listen_addresses`] uses.
pub(super) fn names_no_other_host(networking: &Networking) -> Result<(), Failure> {
    let elsewhere =
        |entry: &&str| matches!(listened(entry), Listened::Other(_) | Listened::Elsewhere);
    match bind_entries(networking).find(elsewhere) {
        Some(entry) => Err(unusable_address(entry, None)),
        None => Ok(()),
    }
}

/// The addresses a `bind-address` lists; without one, both servers listen on every address.
fn bind_entries(networking: &Networking) -> impl Iterator<Item = &str> {
    networking.bind_address.as_deref().unwrap_or("*").split(',').map(str::trim)
}

/// What one entry of a `bind-address` makes a server listen on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listened {
    /// Every address of its host.
    Every,
    /// One loopback address (`localhost` is 127.0.0.1).
    Loopback(Ipv4Addr),
    /// Another IPv4 address: another host's, unless it is by chance this run's.
    Other(Ipv4Addr),
    /// Something the lab's hosts cannot have: an IPv6 address, a host name.
    Elsewhere,
}

fn listened(entry: &str) -> Listened {
    match entry {
        "*" | "0.0.0.0" | "::" => Listened::Every,
        "localhost" => Listened::Loopback(Ipv4Addr::LOCALHOST),
        other => match other.parse::<Ipv4Addr>() {
            Ok(address) if address.is_loopback() => Listened::Loopback(address),
            Ok(address) => Listened::Other(address),
            Err(_) => Listened::Elsewhere,
        },
    }
}

fn unusable_address(entry: &str, network_address: Option<Ipv4Addr>) -> Failure {
    let this_run = network_address.map_or("the address the lab gives it".to_string(), |address| {
        format!("{address}, this run's address")
    });
    Failure::new(
        format!(
            "the lab's server cannot listen on {entry:?}, the bind-address in your mysqld.cnf: \
             its host has no such address"
        ),
        "the lab gives the server an address of its own for each run, which you cannot know in advance \
         (as with a new cloud host): make it listen on every address of its host instead (bind-address = 0.0.0.0)",
    )
    .expected(format!("a bind-address under which the server listens on {this_run}"))
    .got(format!("bind-address = {entry}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NETWORK: Ipv4Addr = Ipv4Addr::new(10, 61, 7, 33);

    fn addresses(bind_address: Option<&str>) -> Result<Vec<Ipv4Addr>, Failure> {
        let networking =
            Networking { bind_address: bind_address.map(String::from), skip_networking: false };
        listen_addresses(&networking, NETWORK)
    }

    #[test]
    fn every_address_stands_for_the_network_address() {
        for every in [None, Some("0.0.0.0"), Some("*"), Some("::"), Some("10.61.7.33")] {
            assert_eq!(addresses(every).unwrap(), [NETWORK]);
        }
        assert_eq!(addresses(Some("localhost")).unwrap(), [Ipv4Addr::LOCALHOST]);
        assert_eq!(addresses(Some("127.0.0.4")).unwrap(), [Ipv4Addr::new(127, 0, 0, 4)]);
        assert_eq!(addresses(Some("127.0.0.1, 0.0.0.0")).unwrap(), [Ipv4Addr::LOCALHOST, NETWORK]);
    }

    #[test]
    fn addresses_of_other_hosts_are_refused() {
        let failure = addresses(Some("172.31.5.10")).unwrap_err();
        assert!(failure.summary.contains("\"172.31.5.10\""), "{}", failure.summary);
        assert_eq!(failure.got.as_deref(), Some("bind-address = 172.31.5.10"));
        assert!(failure.expected.as_deref().is_some_and(|text| text.contains("10.61.7.33")));
        assert!(addresses(Some("::1")).is_err());
        let skip = Networking { bind_address: None, skip_networking: true };
        let failure = listen_addresses(&skip, NETWORK).unwrap_err();
        assert!(failure.summary.contains("skip-networking"));
    }

    #[test]
    fn a_lab_that_learns_its_address_later_refuses_other_hosts_first() {
        let check = |bind: &str| {
            names_no_other_host(&Networking {
                bind_address: Some(bind.into()),
                skip_networking: false,
            })
        };
        for fine in ["0.0.0.0", "*", "127.0.0.1", "127.0.0.1, ::"] {
            assert!(check(fine).is_ok(), "{fine}");
        }
        let failure = check("172.18.0.2").unwrap_err();
        assert_eq!(failure.got.as_deref(), Some("bind-address = 172.18.0.2"));
        assert!(failure
            .expected
            .as_deref()
            .is_some_and(|text| text.contains("the address the lab gives it")));
        assert!(check("db.example.org").is_err());
    }
}
