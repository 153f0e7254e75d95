//! A real two-host lab made of Linux network namespaces: a server host, a client host
//! and an intruder, each with one veth interface plugged into a bridge that lives in
//! a fourth namespace. The private addresses exist only inside these namespaces, so
//! nothing reaches this machine's own network. The server host runs `mariadbd` with
//! an exercise's `mysqld.cnf` and an iptables rule as its inbound firewall.
//!
//! Everything goes when the [`NetLab`] is dropped, on success or failure: the
//! server's process group, the namespaces (and with them the interfaces, the bridge
//! and the rules), and the server's folder.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::Run;

/// The lab's network: private, and only inside the namespaces.
const SUBNET: &str = "10.213.0";

/// A host of the lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Server,
    Client,
    Intruder,
}

impl Host {
    const ALL: [Host; 3] = [Host::Server, Host::Client, Host::Intruder];

    fn short(self) -> &'static str {
        match self {
            Host::Server => "srv",
            Host::Client => "cli",
            Host::Intruder => "bad",
        }
    }

    /// The host's address on the lab's network.
    pub fn address(self) -> String {
        let last = match self {
            Host::Server => 10,
            Host::Client => 20,
            Host::Intruder => 30,
        };
        format!("{SUBNET}.{last}")
    }
}

/// Who the server's inbound rule lets reach port 3306.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The client host only; packets from anyone else are dropped.
    ClientOnly,
    /// Everyone (the lab's mistake of a rule open to 0.0.0.0/0).
    OpenToAll,
}

/// The namespaces, the server and its folder.
pub struct NetLab {
    prefix: String,
    namespaces: Vec<String>,
    server: Option<Child>,
    dir: tempfile::TempDir,
}

/// Runs `program` with `args`; its output, or a panic that shows it.
#[track_caller]
fn run(program: &str, args: &[&str]) -> Output {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("cannot run {program}: {error}"));
    assert!(
        output.status.success(),
        "{program} {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn has(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
        || Path::new("/usr/sbin").join(program).is_file()
}

/// Whether network namespaces (and the programs the lab needs) are here; if not,
/// says why on stderr, and in CI fails instead: there the lab must run.
pub fn namespaces_here() -> bool {
    let Some(why) = missing() else { return true };
    assert!(std::env::var_os("CI").is_none(), "CI is set but the namespaced lab cannot run: {why}");
    eprintln!("skipped: {why}, so the two-host lab is not tested in namespaces");
    false
}

/// Why the lab cannot be made here, if it cannot.
fn missing() -> Option<String> {
    if !nix::unistd::geteuid().is_root() {
        return Some("not root, and network namespaces need root".into());
    }
    for program in ["ip", "iptables", "mariadbd", "mariadb-install-db", "mariadb"] {
        if !has(program) {
            return Some(format!(
                "no {program} here (.ci/run installs iproute2, iptables and MariaDB)"
            ));
        }
    }
    let name = format!("grlab{}probe", std::process::id());
    let made = Command::new("ip").args(["netns", "add", &name]).output();
    match made {
        Ok(output) if output.status.success() => {
            let _ = Command::new("ip").args(["netns", "del", &name]).output();
            None
        }
        Ok(output) => Some(format!(
            "`ip netns add` fails here ({})",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
        Err(error) => Some(format!("`ip` does not run ({error})")),
    }
}

impl NetLab {
    /// Makes the three hosts and the bridge, or says why it cannot (and, in CI,
    /// fails instead: there the lab must run).
    pub fn create() -> Option<NetLab> {
        if !namespaces_here() {
            return None;
        }
        let prefix = format!("grlab{}", std::process::id());
        let mut lab = NetLab {
            namespaces: Vec::new(),
            server: None,
            dir: tempfile::tempdir().unwrap(),
            prefix: prefix.clone(),
        };
        let bridge_ns = format!("{prefix}-net");
        run("ip", &["netns", "add", &bridge_ns]);
        lab.namespaces.push(bridge_ns.clone());
        run("ip", &["-n", &bridge_ns, "link", "add", "br0", "type", "bridge"]);
        run("ip", &["-n", &bridge_ns, "link", "set", "br0", "up"]);
        for host in Host::ALL {
            let ns = lab.namespace(host);
            run("ip", &["netns", "add", &ns]);
            lab.namespaces.push(ns.clone());
            let port = format!("v{}", host.short());
            run(
                "ip",
                &[
                    "-n", &bridge_ns, "link", "add", &port, "type", "veth", "peer", "name", "eth0",
                    "netns", &ns,
                ],
            );
            run("ip", &["-n", &bridge_ns, "link", "set", &port, "master", "br0", "up"]);
            run(
                "ip",
                &["-n", &ns, "addr", "add", &format!("{}/24", host.address()), "dev", "eth0"],
            );
            run("ip", &["-n", &ns, "link", "set", "eth0", "up"]);
            run("ip", &["-n", &ns, "link", "set", "lo", "up"]);
        }
        let data = lab.path("data");
        let tmp = lab.path("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        run(
            "mariadb-install-db",
            &[
                "--no-defaults",
                &format!("--datadir={}", data.display()),
                &format!("--tmpdir={}", tmp.display()),
                "--skip-test-db",
                "--auth-root-authentication-method=socket",
                "--innodb-log-file-size=4M",
                "--user=root",
            ],
        );
        Some(lab)
    }

    fn namespace(&self, host: Host) -> String {
        format!("{}-{}", self.prefix, host.short())
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Starts the server in the server host with `cnf` as its option file (so its
    /// `bind-address` decides where it listens), and waits until it answers on its
    /// socket.
    pub fn start_server(&mut self, cnf: &Path) {
        self.stop_server();
        let arg = |name: &str, file: &str| format!("--{name}={}", self.path(file).display());
        let log = self.path("error.log");
        let _ = std::fs::remove_file(&log);
        let child = Command::new("ip")
            .args(["netns", "exec", &self.namespace(Host::Server), "mariadbd"])
            .arg(format!("--defaults-file={}", cnf.display()))
            .args([
                arg("datadir", "data"),
                arg("socket", "mysqld.sock"),
                arg("pid-file", "mysqld.pid"),
                arg("log-error", "error.log"),
                arg("tmpdir", "tmp"),
            ])
            .args([
                "--port=3306",
                "--skip-name-resolve",
                "--user=root",
                "--innodb-log-file-size=4M",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("mariadbd starts");
        self.server = Some(child);
        let started = Instant::now();
        while !self.try_sql("SELECT 1").status.success() {
            let exited = self.server.as_mut().unwrap().try_wait().unwrap();
            assert!(
                exited.is_none() && started.elapsed() < Duration::from_secs(120),
                "the lab's server did not start ({exited:?}): {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop_server(&mut self) {
        if let Some(mut child) = self.server.take() {
            let group = nix::unistd::Pid::from_raw(child.id() as i32);
            let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
            let _ = child.wait();
        }
    }

    fn try_sql(&self, sql: &str) -> Output {
        Command::new("mariadb")
            .arg(format!("--socket={}", self.path("mysqld.sock").display()))
            .args(["-uroot", "--batch", "--skip-column-names", "-e", sql])
            .stdin(Stdio::null())
            .output()
            .expect("the mariadb client runs")
    }

    /// Runs `sql` on the server as its root, through its socket.
    #[track_caller]
    pub fn sql(&self, sql: &str) {
        let output = self.try_sql(sql);
        assert!(output.status.success(), "{sql}: {}", String::from_utf8_lossy(&output.stderr));
    }

    /// Makes the server host's inbound rule for port 3306 `rule`.
    pub fn firewall(&self, rule: Rule) {
        let ns = self.namespace(Host::Server);
        run("ip", &["netns", "exec", &ns, "iptables", "-F", "INPUT"]);
        if rule == Rule::ClientOnly {
            let client = Host::Client.address();
            let port = ["-p", "tcp", "--dport", "3306"];
            let mut accept = vec!["netns", "exec", &ns, "iptables", "-A", "INPUT", "-s", &client];
            accept.extend(port);
            accept.extend(["-j", "ACCEPT"]);
            run("ip", &accept);
            let mut drop = vec!["netns", "exec", &ns, "iptables", "-A", "INPUT"];
            drop.extend(port);
            drop.extend(["-j", "DROP"]);
            run("ip", &drop);
        }
    }

    /// Runs the grader on `host` with `args` to the end.
    pub fn grader(&self, host: Host, args: &[&str]) -> Run {
        let child = Command::new("ip")
            .args(["netns", "exec", &self.namespace(host), env!("CARGO_BIN_EXE_grader")])
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("GRADER_LAB_ADMIN")
            .env_remove("GRADER_SERVER")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ip netns exec runs the grader");
        let pid = child.id();
        let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
        Run {
            pid,
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

impl Drop for NetLab {
    fn drop(&mut self) {
        self.stop_server();
        for ns in self.namespaces.iter().rev() {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}
