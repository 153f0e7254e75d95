//! Hosts made of Linux network namespaces, for exercise 10's lab on the local
//! backend where the grader runs as root: each host is a namespace with one veth
//! interface, plugged into a bridge that lives in a namespace of its own, so the
//! lab's private addresses exist nowhere else and no packet reaches this machine's
//! own network. Work runs "on" a host in a thread that has entered its namespace:
//! sockets it opens, and processes it starts, belong to that host for good.
//!
//! The namespaces (and with them their interfaces, the bridge and any firewall
//! rule) are deleted when the [`Hosts`] are dropped or the grader is interrupted.

use std::fs::File;
use std::net::Ipv4Addr;
use std::process::{Command, Stdio};
use std::thread;

use anyhow::{anyhow, bail, Context as _, Result};
use nix::sched::{setns, CloneFlags};

use crate::shutdown::{self, CleanupGuard};

/// Where `ip netns` keeps its namespaces.
const NETNS_DIR: &str = "/var/run/netns";
/// The start of every namespace's name; the grader's process id follows, so that
/// `grader doctor` can tell a leftover from a lab in use.
const PREFIX: &str = "grader-lab-";

/// Why this machine cannot make hosts of namespaces, if it cannot: not root, no `ip`
/// or no `iptables`, or namespaces refused (a container without the right).
pub fn unavailable() -> Option<String> {
    if !nix::unistd::geteuid().is_root() {
        return Some("the grader does not run as root".into());
    }
    for program in ["ip", "iptables"] {
        let runs = Command::new(program)
            .arg("-V")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !runs {
            return Some(format!("no {program} here"));
        }
    }
    let name = format!("grader-probe-{}-{}", std::process::id(), fastrand::u32(..));
    match ip(&["netns", "add", &name]) {
        Ok(()) => {
            let _ = ip(&["netns", "del", &name]);
            None
        }
        Err(error) => Some(format!("{error:#}")),
    }
}

/// Hosts on one private /24 network, each a network namespace.
pub struct Hosts {
    names: Vec<String>,
    subnet: [u8; 3],
    _cleanup: CleanupGuard,
}

impl Hosts {
    /// Makes one host per entry of `hosts` (its short name, and the last byte of its
    /// address) on the network `subnet`.0/24, plugged into one bridge. The network
    /// exists only between these namespaces, so it may be any, and the same as
    /// another lab's.
    pub fn create(subnet: [u8; 3], hosts: &[(&str, u8)]) -> Result<Hosts> {
        let prefix = format!("{PREFIX}{}-{}", std::process::id(), fastrand::u32(..));
        let names: Vec<String> = std::iter::once("net")
            .chain(hosts.iter().map(|(name, _)| *name))
            .map(|name| format!("{prefix}-{name}"))
            .collect();
        let to_delete = names.clone();
        let cleanup = shutdown::on_interrupt(move || delete(&to_delete));
        let made = Hosts { names, subnet, _cleanup: cleanup };
        made.wire(hosts).context("cannot make the lab's hosts of network namespaces")?;
        Ok(made)
    }

    fn wire(&self, hosts: &[(&str, u8)]) -> Result<()> {
        let bridge = &self.names[0];
        ip(&["netns", "add", bridge])?;
        ip(&["-n", bridge, "link", "add", "br0", "type", "bridge"])?;
        ip(&["-n", bridge, "link", "set", "br0", "up"])?;
        for (index, (short, last)) in hosts.iter().enumerate() {
            let ns = &self.names[index + 1];
            let port = format!("v{index}-{short}");
            let address = format!("{}/24", self.address_of(*last));
            ip(&["netns", "add", ns])?;
            ip(&[
                "-n", bridge, "link", "add", &port, "type", "veth", "peer", "name", "eth0",
                "netns", ns,
            ])?;
            ip(&["-n", bridge, "link", "set", &port, "master", "br0", "up"])?;
            ip(&["-n", ns, "addr", "add", &address, "dev", "eth0"])?;
            ip(&["-n", ns, "link", "set", "eth0", "up"])?;
            ip(&["-n", ns, "link", "set", "lo", "up"])?;
        }
        Ok(())
    }

    /// The address whose last byte is `last` on the hosts' network.
    pub fn address_of(&self, last: u8) -> Ipv4Addr {
        let [a, b, c] = self.subnet;
        Ipv4Addr::new(a, b, c, last)
    }

    fn namespace(&self, host: &str) -> Result<&str> {
        self.names
            .iter()
            .find(|name| name.ends_with(&format!("-{host}")))
            .map(String::as_str)
            .with_context(|| format!("the lab has no host {host}"))
    }

    /// Runs `work` on `host`: in a thread that has entered its network namespace.
    pub fn on<T: Send>(&self, host: &str, work: impl FnOnce() -> T + Send) -> Result<T> {
        let path = format!("{NETNS_DIR}/{}", self.namespace(host)?);
        let namespace = File::open(&path).with_context(|| format!("cannot open {path}"))?;
        thread::scope(|scope| {
            scope
                .spawn(move || -> Result<T> {
                    setns(&namespace, CloneFlags::CLONE_NEWNET)
                        .with_context(|| format!("cannot enter the network namespace {path}"))?;
                    Ok(work())
                })
                .join()
                .map_err(|_| anyhow!("work on the lab's host {host} panicked"))?
        })
    }

    /// Runs `iptables` with `args` on `host`.
    pub fn iptables(&self, host: &str, args: &[&str]) -> Result<()> {
        let namespace = self.namespace(host)?;
        let mut all = vec!["netns", "exec", namespace, "iptables"];
        all.extend_from_slice(args);
        ip(&all)
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        delete(&self.names);
    }
}

/// Every lab namespace on this machine, and the process id of the grader that made it.
pub fn lab_namespaces() -> Vec<(String, u32)> {
    let Ok(entries) = std::fs::read_dir(NETNS_DIR) else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let owner = name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()?;
            Some((name, owner))
        })
        .collect()
}

/// Deletes the namespace `name`.
pub fn delete_one(name: &str) -> Result<()> {
    ip(&["netns", "del", name])
}

fn delete(names: &[String]) {
    for name in names.iter().rev() {
        let _ = ip(&["netns", "del", name]);
    }
}

/// Runs `ip` with `args`, or says what it said.
fn ip(args: &[&str]) -> Result<()> {
    let output = Command::new("ip")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("cannot run ip (iproute2)")?;
    if !output.status.success() {
        bail!("ip {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}
