//! The two processes between the grader and an isolated program, both this same
//! binary run as `grader __isolate …` (a fresh process with one thread, which may
//! change its namespaces):
//!
//! - the *supervisor* enters new namespaces (as root: mount, network, process, IPC
//!   and host name; otherwise a user namespace that owns them, with the grader's
//!   user as its root) and starts the init;
//! - the *init*, the first process of the new process namespace, reads what to run
//!   from the control socket (its standard input), builds the program's view of the
//!   file system, brings the loopback interface up, opens the listening sockets the
//!   grader relays from, and starts the program: as root, as the unprivileged user
//!   `nobody`; otherwise in one more user namespace, where it has no capability and
//!   cannot undo the mounts. It then answers the grader's requests for connections
//!   inside, reports the program's exit, and ends, which ends every process left in
//!   the namespace.

use std::io;
use std::net::{IpAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd as _, AsRawFd as _};
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use anyhow::{Context as _, Result};
use nix::sched::{unshare, CloneFlags};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use super::message::{self, Message, Spec};
use super::{mounts, netlink, Mode, NOBODY, SUBCOMMAND};

/// How long a connection asked for inside may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The namespaces every isolated program gets.
fn namespaces() -> CloneFlags {
    CloneFlags::CLONE_NEWNS
        | CloneFlags::CLONE_NEWNET
        | CloneFlags::CLONE_NEWPID
        | CloneFlags::CLONE_NEWIPC
        | CloneFlags::CLONE_NEWUTS
}

/// The supervisor: enters the namespaces for `mode`, runs the init, and exits as it did.
pub fn supervise(mode: Mode) -> ExitCode {
    let stdin = io::stdin();
    let control = stdin.as_fd();
    if let Err(error) = enter(mode) {
        let why = format!("{error:#}{}", super::userns::advice(mode));
        let _ = message::send(control, &Message::Failed(why), &[]);
        return ExitCode::from(125);
    }
    let init = std::env::current_exe()
        .and_then(|exe| Command::new(exe).args([SUBCOMMAND, "init"]).status());
    match init {
        Ok(status) => match (status.code(), status.signal()) {
            (Some(code), _) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            (None, Some(signal)) => ExitCode::from(u8::try_from(128 + signal).unwrap_or(1)),
            (None, None) => ExitCode::from(1),
        },
        Err(error) => {
            let why = format!("cannot start the isolated program's init: {error}");
            let _ = message::send(control, &Message::Failed(why), &[]);
            ExitCode::from(125)
        }
    }
}

/// Enters new namespaces; without root, inside a user namespace of the grader's user.
fn enter(mode: Mode) -> Result<()> {
    match mode {
        Mode::AnotherUser => unshare(namespaces()).context("cannot make new namespaces"),
        Mode::UserNamespace => {
            let (uid, gid) = (nix::unistd::getuid(), nix::unistd::getgid());
            unshare(namespaces() | CloneFlags::CLONE_NEWUSER)
                .context("cannot make a user namespace")?;
            map_ids(&format!("0 {uid} 1"), &format!("0 {gid} 1"))
        }
    }
}

/// Writes this process's user namespace's maps (its groups can no longer change).
fn map_ids(users: &str, groups: &str) -> Result<()> {
    std::fs::write("/proc/self/setgroups", "deny").context("cannot write /proc/self/setgroups")?;
    std::fs::write("/proc/self/uid_map", users).context("cannot write /proc/self/uid_map")?;
    std::fs::write("/proc/self/gid_map", groups).context("cannot write /proc/self/gid_map")?;
    Ok(())
}

/// The init: prepares, runs the program, serves the grader, reports the exit.
pub fn init() -> ExitCode {
    // The program cannot read this process's memory or trace it, which holds the
    // capabilities the program lacks.
    if nix::sys::prctl::set_dumpable(false).is_err() {
        return ExitCode::from(125);
    }
    let stdin = io::stdin();
    let control = stdin.as_fd();
    let spec = match message::receive(control) {
        Ok(Some((Message::Spec(spec), _))) => spec,
        _ => return ExitCode::from(125),
    };
    let started = prepare(&spec).and_then(|listeners| Ok((listeners, start(&spec)?)));
    let (listeners, mut child) = match started {
        Ok(started) => started,
        Err(error) => {
            // A setting that restricts user namespaces may let them be made, and then
            // refuse what they are for.
            let refusing = match spec.mode {
                Mode::UserNamespace => super::userns::refusing().unwrap_or_default(),
                Mode::AnotherUser => String::new(),
            };
            let why = format!("{error:#}{refusing}");
            let _ = message::send(control, &Message::Failed(why), &[]);
            return ExitCode::from(125);
        }
    };
    let fds: Vec<_> = listeners.iter().map(|listener| listener.as_raw_fd()).collect();
    if message::send(control, &Message::Started, &fds).is_err() {
        return ExitCode::from(125);
    }
    drop(listeners);
    let program = Pid::from_raw(i32::try_from(child.id()).unwrap_or(0));
    std::thread::spawn(move || serve(program));
    let status = child.wait().map_or(1 << 8, |status| status.into_raw());
    let _ = message::send(control, &Message::Exited(status), &[]);
    ExitCode::SUCCESS
}

/// The file system's view, the loopback interface, and a listener per address to reach.
fn prepare(spec: &Spec) -> Result<Vec<TcpListener>> {
    mounts::apply(spec)?;
    netlink::loopback_up().context("cannot bring the program's loopback interface up")?;
    let mut listeners = Vec::with_capacity(spec.reach.len());
    for address in &spec.reach {
        match address.ip() {
            IpAddr::V4(ip) if !ip.is_loopback() => netlink::add_to_loopback(ip)
                .with_context(|| format!("cannot give the program's network the address {ip}"))?,
            _ => {}
        }
        let listener = TcpListener::bind(address)
            .with_context(|| format!("cannot open {address} in the program's network"))?;
        listeners.push(listener);
    }
    Ok(listeners)
}

/// Starts the program, without the capabilities the init has.
fn start(spec: &Spec) -> Result<std::process::Child> {
    let mut command = Command::new(&spec.program);
    command
        .args(&spec.args)
        .env_clear()
        .envs(spec.env.iter().map(|(name, value)| (name, value)))
        .stdin(Stdio::null());
    // By path, after the mounts: a folder inherited by reference could be one the
    // mounts hide.
    match &spec.dir {
        Some(dir) => command.current_dir(dir),
        None => command.current_dir(std::env::current_dir().context("no current folder")?),
    };
    let who = match spec.mode {
        Mode::AnotherUser => {
            command.uid(NOBODY).gid(NOBODY);
            format!(" as the unprivileged user {NOBODY}")
        }
        Mode::UserNamespace => {
            // One more user namespace, in which the program's user is the grader's
            // and holds no capability: the mounts above are locked for it.
            unshare(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWNS)
                .context("cannot make the program's user namespace")?;
            // The grader's own ids, unless it is root: then nobody's.
            let (uid, gid) = match spec.ids {
                (0, _) | (_, 0) => (NOBODY, NOBODY),
                ids => ids,
            };
            map_ids(&format!("{uid} 0 1"), &format!("{gid} 0 1"))?;
            String::new()
        }
    };
    nix::sys::prctl::set_no_new_privs().context("cannot forbid the program new privileges")?;
    command.spawn().with_context(|| {
        let hint = match spec.mode {
            Mode::AnotherUser => {
                "; every folder on its path must be open to other users (chmod o+rx FOLDER)"
            }
            Mode::UserNamespace => "",
        };
        format!("cannot start {}{who}{hint}", spec.program.display())
    })
}

/// Answers the grader's requests until it closes its end; then ends the program.
fn serve(program: Pid) {
    let stdin = io::stdin();
    let control = stdin.as_fd();
    while let Ok(Some((message, _))) = message::receive(control) {
        if let Message::Connect(address) = message {
            let _ = match TcpStream::connect_timeout(&address, CONNECT_TIMEOUT) {
                Ok(stream) => message::send(control, &Message::Connected, &[stream.as_raw_fd()]),
                Err(error) => {
                    message::send(control, &Message::NotConnected(error.to_string()), &[])
                }
            };
        }
    }
    // The grader is gone or done: nothing in here outlives it.
    let _ = kill(program, Signal::SIGKILL);
}
