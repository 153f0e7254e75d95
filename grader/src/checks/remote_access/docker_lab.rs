//! The lab on the docker backend: a user-defined Docker network on a 10.x.y.0/24
//! drawn from the seed ([`LabAddresses`]; another draw when Docker or this machine
//! already has it), with three containers of the server's image. The server runs with the learner's `mysqld.cnf`, and,
//! where the image has `iptables` (the offline images do), an inbound rule in its
//! network namespace that admits port 3306 from the client host alone, as the real
//! lab's firewall group does; the client host and the intruder run `sleep` and the
//! `mysql` utility in them does the logging in. Host checks must come from containers on the network: through a
//! published port, every connection from this machine seems to come from the
//! network's gateway. The containers, then the network, are removed when the lab is
//! dropped or the grader is interrupted.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};
use testcontainers::bollard::models::HostConfig;
use testcontainers::core::{ExecCommand, IntoContainerPort as _, WaitFor};
use testcontainers::runners::SyncRunner as _;
use testcontainers::{Container, ContainerRequest, CopyTargetOptions, GenericImage, ImageExt as _};

use super::addresses::{self, LabAddresses};
use super::lab::{Attempt, Host, Lab};
use crate::checks::{Failure, Problem};
use crate::server::containers;
use crate::server::docker::{split_image, LABEL};
use crate::server::{Endpoint, LEAN_SERVER_ARGS};
use crate::shutdown::{self, CleanupGuard};

/// Where the learner's file goes. The official image reads `conf.d`; the offline
/// MariaDB image reads `conf.d` and then `mariadb.conf.d`, whose `90-container.cnf`
/// sets `bind-address = 0.0.0.0` and would win over `conf.d`. A copy in each, named
/// to be read last, makes the learner's file decide on both.
const CNF_TARGETS: [&str; 2] =
    ["/etc/mysql/conf.d/zz-learner.cnf", "/etc/mysql/mariadb.conf.d/99-learner.cnf"];
/// How long the server may take to start (the official image initialises its data
/// folder first).
const PATIENCE: Duration = Duration::from_secs(120);
/// How long the server may fail to answer through its published port after it said
/// it was ready, before the check concludes that it does not listen on the network.
const GRACE: Duration = Duration::from_millis(600);
/// Pause between two attempts to reach the server.
const RETRY_EVERY: Duration = Duration::from_millis(40);
/// How often the server's log is read while waiting.
const LOG_EVERY: Duration = Duration::from_millis(250);

/// How long the client host's `mysql` may take to connect.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the intruder's `mysql` waits before it counts its packets as dropped.
const INTRUDER_TIMEOUT: Duration = Duration::from_secs(2);

/// How many networks the lab tries before it gives up: a draw can be taken by
/// another lab of the same seed running meanwhile, or by this machine's routes.
const NETWORK_DRAWS: usize = 8;

/// How long an interrupted grader waits for containers still being created, so
/// that it can remove them too.
const STARTS_PATIENCE: Duration = Duration::from_secs(60);

/// The lab's three containers, in this order.
const SERVER: usize = 0;
const CLIENT: usize = 1;
const INTRUDER: usize = 2;
type Slots = [Option<Container<GenericImage>>; 3];

/// The lab's containers, shared with the interrupt handler, and how many are still
/// being created: a container the daemon is creating when Ctrl-C comes is waited for
/// and removed, not left behind.
struct Containers {
    slots: Mutex<Slots>,
    starting: Mutex<usize>,
    started: Condvar,
}

impl Containers {
    fn new(starting: usize) -> Containers {
        Containers {
            slots: Mutex::new([None, None, None]),
            starting: Mutex::new(starting),
            started: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the end of one container's start, and the container if it started.
    fn started(&self, slot: usize, container: Option<Container<GenericImage>>) {
        self.lock()[slot] = container;
        *self.starting.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
        self.started.notify_all();
    }

    /// Takes every container out of the lab, once none is still being created;
    /// dropping them removes them.
    fn remove_all(&self) -> Vec<Container<GenericImage>> {
        let starting = self.starting.lock().unwrap_or_else(PoisonError::into_inner);
        let _none_starting = self
            .started
            .wait_timeout_while(starting, STARTS_PATIENCE, |starting| *starting > 0)
            .unwrap_or_else(PoisonError::into_inner);
        self.lock().iter_mut().filter_map(Option::take).collect()
    }
}

/// A running lab on a Docker network.
pub struct DockerLab {
    containers: Arc<Containers>,
    /// The lab's network, removed after its containers.
    network: Arc<Network>,
    /// Each container's address on the lab's network.
    addresses: [String; 3],
    admin: Endpoint,
    unreachable: Option<String>,
    /// Whether the server's host drops port 3306 to all but the client host.
    firewall: bool,
    _cleanup: CleanupGuard,
}

impl DockerLab {
    /// Starts the three containers of `image` side by side on a new network (the
    /// first free one of `rng`'s draws), the server with `cnf` as its configuration,
    /// and waits until the server has started.
    pub fn start(image: &str, cnf: &[u8], rng: &mut fastrand::Rng) -> Result<DockerLab, Problem> {
        let network = Arc::new(Network::create(rng)?);
        let password = crate::server::random_password();
        let requests = [
            server_request(image, &network.name, &password, cnf),
            idle_request(image, &network.name),
            idle_request(image, &network.name),
        ];
        let containers = Arc::new(Containers::new(requests.len()));
        let (for_interrupt, network_for_interrupt) = (containers.clone(), network.clone());
        let cleanup = shutdown::on_interrupt(move || {
            drop(for_interrupt.remove_all());
            network_for_interrupt.remove();
        });
        start_side_by_side(requests, &containers).map_err(|error| {
            anyhow!("cannot start the lab's containers of {image} on a network of their own ({error:#})")
        })?;
        let (addresses, admin) = locate(&containers, password)?;
        let mut lab = DockerLab {
            containers,
            network,
            addresses,
            admin,
            unreachable: None,
            firewall: false,
            _cleanup: cleanup,
        };
        if lab.wait_for_server()? {
            lab.firewall = lab.close_port()?;
        } else {
            lab.unreachable = Some(lab.why_unreachable()?);
        }
        Ok(lab)
    }

    /// What the client host sees of a server that does not answer on the network.
    fn why_unreachable(&self) -> Result<String, Problem> {
        let probe = self.show_databases(Host::Client, "probe", "")?;
        match &probe {
            Attempt::Refused { message, .. } if !probe.refused_by_accounts() => Ok(message.clone()),
            _ => Err(anyhow!(
                "the lab's server answers on its network but not on its published port {}:{}",
                self.admin.host,
                self.admin.port
            )
            .into()),
        }
    }

    /// Waits until the server answers through its published port (true), or says it
    /// is ready but does not answer there (false: it does not listen on the network).
    fn wait_for_server(&self) -> Result<bool, Problem> {
        let started = Instant::now();
        let opts = OptsBuilder::from_opts(self.admin.opts(None))
            .tcp_connect_timeout(Some(Duration::from_secs(1)));
        let mut log_read: Option<Instant> = None;
        let mut said_ready: Option<Instant> = None;
        loop {
            if Conn::new(opts.clone()).and_then(|mut conn| conn.query_drop("SELECT 1")).is_ok() {
                return Ok(true);
            }
            if log_read.map_or(true, |at| at.elapsed() >= LOG_EVERY) {
                log_read = Some(Instant::now());
                let (running, log) = self.server_state()?;
                if !running {
                    return Err(stopped(&log).into());
                }
                if said_ready.is_none() && says_ready(&log) {
                    said_ready = Some(Instant::now());
                }
            }
            if said_ready.is_some_and(|at| at.elapsed() >= GRACE) {
                return Ok(false);
            }
            if started.elapsed() >= PATIENCE {
                return Err(anyhow!(
                    "the lab's server did not start within {} s (if your mysqld.cnf sets skip-networking or log_error, remove them)",
                    PATIENCE.as_secs()
                )
                .into());
            }
            thread::sleep(RETRY_EVERY);
        }
    }

    /// Whether the server's container runs, and its log so far.
    fn server_state(&self) -> Result<(bool, String)> {
        let slots = self.containers.lock();
        let server = slots[SERVER].as_ref().context("the lab's server is gone")?;
        let running = server.is_running().unwrap_or(true);
        let log = server.stderr_to_vec().unwrap_or_default();
        Ok((running, String::from_utf8_lossy(&log).into_owned()))
    }

    /// Runs `mysql` in `host`'s container against the server; what it printed and
    /// whether it succeeded. The intruder waits less: its packets are meant to be
    /// dropped, and a timeout is the answer then.
    fn mysql_from(&self, host: Host, user: &str, password: &str, sql: &str) -> Result<Attempt> {
        let (slot, timeout) = match host {
            Host::Client => (CLIENT, CLIENT_TIMEOUT),
            Host::Intruder => (INTRUDER, INTRUDER_TIMEOUT),
        };
        let command = vec![
            "mysql".to_string(),
            "--protocol=TCP".into(),
            format!("--host={}", self.addresses[SERVER]),
            "--port=3306".into(),
            format!("--user={user}"),
            format!("--password={password}"),
            format!("--connect-timeout={}", timeout.as_secs()),
            "--batch".into(),
            "--skip-column-names".into(),
            format!("--execute={sql}"),
        ];
        let (code, stdout, stderr) = self.exec(slot, command)?;
        Ok(Attempt::from_client(code == 0, &stdout, &stderr))
    }

    /// Runs `command` in the container of `slot`: its exit code and output.
    fn exec(&self, slot: usize, command: Vec<String>) -> Result<(i64, String, String)> {
        let slots = self.containers.lock();
        let container = slots[slot].as_ref().context("a lab container is gone")?;
        let mut result = container.exec(ExecCommand::new(command))?;
        let stdout = String::from_utf8_lossy(&result.stdout_to_vec()?).into_owned();
        let stderr = String::from_utf8_lossy(&result.stderr_to_vec()?).into_owned();
        let deadline = Instant::now() + Duration::from_secs(5);
        let code = loop {
            if let Some(code) = result.exit_code()? {
                break code;
            }
            if Instant::now() >= deadline {
                anyhow::bail!("a command in the lab's container did not end");
            }
            thread::sleep(Duration::from_millis(10));
        };
        Ok((code, stdout, stderr))
    }

    /// Gives the server's host its inbound rule: TCP 3306 from the client host, and
    /// from the grader itself (the network's gateway, standing for the administrator's
    /// own way in), and from no one else. False when the image has no `iptables` or
    /// the container may not use it: the lab then runs without a firewall, as before.
    fn close_port(&self) -> Result<bool> {
        let seen: Option<String> = self.admin_conn()?.query_first(
            "SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()",
        )?;
        let Some((gateway, _)) = seen.as_deref().and_then(|host| host.rsplit_once(':')) else {
            return Ok(false);
        };
        let client = &self.addresses[CLIENT];
        let rule = |source: &str, target: &str| {
            format!("iptables -A INPUT -p tcp --dport 3306 {source} -j {target}")
        };
        let script = [
            rule(&format!("-s {client}"), "ACCEPT"),
            rule(&format!("-s {gateway}"), "ACCEPT"),
            rule("", "DROP"),
        ]
        .join(" && ");
        let (code, _, _) = self.exec(SERVER, vec!["sh".into(), "-c".into(), script])?;
        Ok(code == 0)
    }
}

impl Lab for DockerLab {
    fn address(&self, host: Host) -> String {
        match host {
            Host::Client => self.addresses[CLIENT].clone(),
            Host::Intruder => self.addresses[INTRUDER].clone(),
        }
    }

    fn server_address(&self) -> String {
        format!("{}:3306", self.addresses[SERVER])
    }

    fn admin_url(&self) -> String {
        let Endpoint { host, port, user, password, .. } = &self.admin;
        format!("mysql://{user}:{password}@{host}:{port}?prefer_socket=false")
    }

    fn admin_conn(&self) -> Result<Conn> {
        Ok(Conn::new(self.admin.opts(None))?)
    }

    fn unreachable(&self) -> Option<&str> {
        self.unreachable.as_deref()
    }

    fn show_databases(&self, host: Host, user: &str, password: &str) -> Result<Attempt> {
        self.mysql_from(host, user, password, "SHOW DATABASES")
    }

    fn has_firewall(&self) -> bool {
        self.firewall
    }

    fn open_firewall_to(&self, host: Host) -> Result<()> {
        let source = match host {
            Host::Client => &self.addresses[CLIENT],
            Host::Intruder => &self.addresses[INTRUDER],
        };
        let command = [
            "iptables",
            "-I",
            "INPUT",
            "1",
            "-p",
            "tcp",
            "--dport",
            "3306",
            "-s",
            source.as_str(),
            "-j",
            "ACCEPT",
        ];
        let (code, _, stderr) = self.exec(SERVER, command.map(String::from).to_vec())?;
        anyhow::ensure!(code == 0, "cannot open the lab's firewall to {source}: {}", stderr.trim());
        Ok(())
    }
}

impl Drop for DockerLab {
    fn drop(&mut self) {
        let containers = self.containers.remove_all();
        // Removing three containers one after the other takes three times as long.
        thread::scope(|scope| {
            for container in containers {
                scope.spawn(move || drop(container));
            }
        });
        self.network.remove();
    }
}

/// The lab's Docker network, on a subnet drawn from the seed.
struct Network {
    name: String,
    removed: Mutex<bool>,
}

impl Network {
    /// Creates the network on the first of `rng`'s draws that neither Docker nor this
    /// machine's routes have.
    fn create(rng: &mut fastrand::Rng) -> Result<Network> {
        let name = format!("mysql-course-lab-{}-{}", std::process::id(), fastrand::u32(..));
        let mut tried = Vec::new();
        for _ in 0..NETWORK_DRAWS {
            let draw = LabAddresses::draw(rng, 10);
            if addresses::routed(draw.subnet) {
                continue;
            }
            if containers::create_network(&name, &draw.network())? {
                return Ok(Network { name, removed: Mutex::new(false) });
            }
            tried.push(draw.network());
        }
        anyhow::bail!(
            "cannot create the lab's Docker network: the networks drawn ({}) are all taken (`docker network prune` removes unused ones)",
            tried.join(", ")
        )
    }

    /// Removes the network, once (its containers must be gone).
    fn remove(&self) {
        let mut removed = self.removed.lock().unwrap_or_else(PoisonError::into_inner);
        if !*removed {
            *removed = containers::remove_network(&self.name).is_ok();
        }
    }
}

impl Drop for Network {
    /// A lab that failed to start drops its containers before its network.
    fn drop(&mut self) {
        self.remove();
    }
}

/// Starts one container per request, each in a thread of its own, recording each in
/// `containers` as it comes.
fn start_side_by_side(
    requests: [ContainerRequest<GenericImage>; 3],
    containers: &Containers,
) -> Result<()> {
    thread::scope(|scope| {
        let handles: Vec<_> = requests
            .into_iter()
            .enumerate()
            .map(|(slot, request)| {
                scope.spawn(move || -> Result<()> {
                    match request.start() {
                        Ok(container) => {
                            containers.started(slot, Some(container));
                            Ok(())
                        }
                        Err(error) => {
                            containers.started(slot, None);
                            Err(error.into())
                        }
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|handle| {
            handle.join().unwrap_or_else(|_| Err(anyhow!("starting a container panicked")))
        })
    })
}

/// Each container's address on the lab's network, and the administrator's way in
/// through the server's published port.
fn locate(containers: &Containers, password: String) -> Result<([String; 3], Endpoint)> {
    let slots = containers.lock();
    let container = |slot: usize| slots[slot].as_ref().context("a lab container is gone");
    let address = |slot: usize| -> Result<String> {
        Ok(container(slot)?.get_bridge_ip_address()?.to_string())
    };
    let addresses = [address(SERVER)?, address(CLIENT)?, address(INTRUDER)?];
    let server = container(SERVER)?;
    let host = match server.get_host()?.to_string() {
        name if name == "localhost" => "127.0.0.1".to_string(),
        name => name,
    };
    let port = server.get_host_port_ipv4(3306)?;
    Ok((addresses, Endpoint { host, port, user: "root".into(), password, source: None }))
}

fn server_request(
    image: &str,
    network: &str,
    password: &str,
    cnf: &[u8],
) -> ContainerRequest<GenericImage> {
    let (name, tag) = split_image(image);
    let mut request = GenericImage::new(name, tag)
        .with_exposed_port(3306.tcp())
        .with_wait_for(WaitFor::Nothing)
        .with_cmd(LEAN_SERVER_ARGS)
        .with_env_var("MYSQL_ROOT_PASSWORD", password)
        .with_label(LABEL, std::process::id().to_string())
        .with_network(network)
        // For the inbound rule, set with iptables in the server's own network namespace.
        .with_cap_add("NET_ADMIN");
    for target in CNF_TARGETS {
        request =
            request.with_copy_to(CopyTargetOptions::new(target).with_mode(0o644), cnf.to_vec());
    }
    request
}

/// A container that idles, for the `mysql` client in it; it publishes no port.
fn idle_request(image: &str, network: &str) -> ContainerRequest<GenericImage> {
    let (name, tag) = split_image(image);
    GenericImage::new(name, tag)
        .with_entrypoint("sleep")
        .with_wait_for(WaitFor::Nothing)
        .with_cmd(["infinity"])
        .with_label(LABEL, std::process::id().to_string())
        .with_network(network)
        .with_host_config_modifier(|config: &mut HostConfig| config.publish_all_ports = Some(false))
}

/// Whether the server's log says that the real server (not the official image's
/// temporary one, which listens on no port) is ready for connections.
fn says_ready(log: &str) -> bool {
    log.match_indices("port: 3306")
        .any(|(at, found)| !log[at + found.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The server stopped: its errors, or else its last lines, are what the learner needs.
fn stopped(log: &str) -> Failure {
    let lines: Vec<&str> = log.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let mut errors: Vec<&str> =
        lines.iter().copied().filter(|line| line.contains("[ERROR]")).collect();
    errors.dedup();
    errors.truncate(3);
    let last =
        if errors.is_empty() { lines[lines.len().saturating_sub(3)..].to_vec() } else { errors };
    Failure::new(
        "the lab's server stopped while starting with your mysqld.cnf",
        "read its last words: an unknown or misspelt setting stops the server; the lab needs only bind-address",
    )
    .got(last.join(" / "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_real_server_is_ready() {
        let temporary = "[Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 0  MySQL Community Server - GPL.\n\
                         [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock";
        assert!(!says_ready(temporary));
        assert!(says_ready("Version: '10.11.6-MariaDB-0+deb12u1'  socket: '/run/mysqld/mysqld.sock'  port: 3306  Debian 12"));
    }
}
