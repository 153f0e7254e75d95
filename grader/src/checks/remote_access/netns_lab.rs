//! The lab on the local backend where the grader runs as root: three hosts made of
//! network namespaces ([`crate::netns`]) at addresses drawn from the seed
//! ([`LabAddresses`]: a 10.x.y.0/24 that exists only in the lab), a local server started on the server host
//! with the learner's `bind-address`, and an iptables rule there that admits port
//! 3306's stand-in from the client host alone, as the real lab's firewall does. The
//! grader's own connections and the learner's provisioning program work from the
//! server host itself (127.0.0.1 there), as an administrator on that host would.

use std::net::Ipv4Addr;
use std::time::Duration;

use anyhow::Result;
use mysql::prelude::Queryable as _;
use mysql::{Conn, DriverError, OptsBuilder};

use super::addresses::LabAddresses;
use super::cnf::Networking;
use super::lab::{Attempt, Host, Lab};
use super::local_lab::listen_addresses;
use crate::checks::Problem;
use crate::lab::wire::{clients_say, Reach};
use crate::netns::Hosts;
use crate::runner::RunOutput;
use crate::server::local::LocalServer;

/// The hosts' names.
const SERVER: &str = "srv";
const CLIENT: &str = "cli";
const INTRUDER: &str = "bad";
/// How long the client host's login may take to connect.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the intruder waits before it counts its packets as dropped.
const INTRUDER_TIMEOUT: Duration = Duration::from_secs(2);

/// A running lab of namespaces.
pub struct NetnsLab {
    // Dropped first: the server stops before its host goes.
    server: LocalServer,
    hosts: Hosts,
    addresses: LabAddresses,
    unreachable: Option<String>,
}

impl NetnsLab {
    /// Makes the hosts at `addresses`, starts the server on its host where the
    /// learner's `networking` says, and closes the port to all but the client host.
    pub fn start(networking: &Networking, addresses: LabAddresses) -> Result<NetnsLab, Problem> {
        let listen = listen_addresses(networking, addresses.server())?;
        // Every address of the server's host stands for its network address; the
        // administrator works on the server host, over its own loopback (from
        // 127.0.0.1, whichever loopback address the server listens on).
        let (bind, admin_host) = if listen.contains(&addresses.server()) {
            ("0.0.0.0".to_string(), Ipv4Addr::LOCALHOST)
        } else {
            (listen.iter().map(Ipv4Addr::to_string).collect::<Vec<_>>().join(","), listen[0])
        };
        let hosts = Hosts::create(
            addresses.subnet,
            &[
                (SERVER, addresses.server),
                (CLIENT, addresses.client),
                (INTRUDER, addresses.intruder),
            ],
        )?;
        let server =
            hosts.on(SERVER, || LocalServer::start_bound(&bind, &admin_host.to_string()))??;
        let port = server.admin.port.to_string();
        let client = addresses.client().to_string();
        let rule = ["-A", "INPUT", "-i", "eth0", "-p", "tcp", "--dport", port.as_str()];
        hosts.iptables(SERVER, &[&rule[..], &["-s", client.as_str(), "-j", "ACCEPT"]].concat())?;
        hosts.iptables(SERVER, &[&rule[..], &["-j", "DROP"]].concat())?;
        let mut lab = NetnsLab { server, hosts, addresses, unreachable: None };
        let probe = lab.show_databases(Host::Client, "probe", "")?;
        if let Attempt::Refused { message, .. } = &probe {
            if !probe.refused_by_accounts() {
                lab.unreachable = Some(message.clone());
            }
        }
        Ok(lab)
    }

    fn host(host: Host) -> &'static str {
        match host {
            Host::Client => CLIENT,
            Host::Intruder => INTRUDER,
        }
    }

    fn network_address(&self) -> Ipv4Addr {
        self.addresses.server()
    }

    /// Nothing answered, in the words of both `mysql` utilities.
    fn cannot_connect(&self, why: &str) -> Attempt {
        let reach = if why.contains("timed out") { Reach::TimedOut } else { Reach::Refused };
        Attempt::Refused {
            code: Some(2002),
            message: clients_say(
                &self.network_address().to_string(),
                self.server.admin.port,
                &reach,
            ),
        }
    }
}

impl Lab for NetnsLab {
    fn address(&self, host: Host) -> String {
        match host {
            Host::Client => self.addresses.client(),
            Host::Intruder => self.addresses.intruder(),
        }
        .to_string()
    }

    fn server_address(&self) -> String {
        format!("{}:{}", self.network_address(), self.server.admin.port)
    }

    fn admin_url(&self) -> String {
        super::lab::admin_url(&self.server.admin)
    }

    fn admin_conn(&self) -> Result<Conn> {
        let opts = self.server.admin.opts(None);
        Ok(self.hosts.on(SERVER, || Conn::new(opts))??)
    }

    fn unreachable(&self) -> Option<&str> {
        self.unreachable.as_deref()
    }

    fn show_databases(&self, host: Host, user: &str, password: &str) -> Result<Attempt> {
        let timeout = if host == Host::Client { CLIENT_TIMEOUT } else { INTRUDER_TIMEOUT };
        let opts = OptsBuilder::new()
            .ip_or_hostname(Some(self.network_address().to_string()))
            .tcp_port(self.server.admin.port)
            .user(Some(user))
            .pass(Some(password))
            .prefer_socket(false)
            .tcp_connect_timeout(Some(timeout));
        let listed = self.hosts.on(Self::host(host), || {
            Conn::new(opts).and_then(|mut conn| conn.query::<String, _>("SHOW DATABASES"))
        })?;
        Ok(match listed {
            Ok(names) => Attempt::Listed(names),
            Err(mysql::Error::MySqlError(error)) => Attempt::Refused {
                code: Some(error.code),
                message: format!("ERROR {} ({}): {}", error.code, error.state, error.message),
            },
            Err(mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, why, _))))) => {
                self.cannot_connect(&why)
            }
            Err(mysql::Error::DriverError(DriverError::ConnectTimeout)) => {
                self.cannot_connect("timed out")
            }
            Err(mysql::Error::IoError(error)) => self.cannot_connect(&error.to_string()),
            Err(error) => Attempt::Refused { code: None, message: error.to_string() },
        })
    }

    fn has_firewall(&self) -> bool {
        true
    }

    fn open_firewall_to(&self, host: Host) -> Result<()> {
        let port = self.server.admin.port.to_string();
        let source = self.address(host);
        self.hosts.iptables(
            SERVER,
            &[
                "-I", "INPUT", "1", "-i", "eth0", "-p", "tcp", "--dport", &port, "-s", &source,
                "-j", "ACCEPT",
            ],
        )
    }

    fn run_on_server_host(
        &self,
        work: Box<dyn FnOnce() -> Result<RunOutput> + Send + '_>,
    ) -> Result<RunOutput> {
        self.hosts.on(SERVER, work)?
    }
}
