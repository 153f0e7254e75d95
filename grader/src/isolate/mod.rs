//! Learners' programs run isolated (`--sandbox`): they cannot read the grader's
//! files (the persistent server's `server.json` with its administrator password, a
//! local server's folder and start-up script, `.grader/`), cannot see the grader's
//! processes (nor read their environment), and reach over the network only the
//! addresses the grader lets them: the wire recorder in front of the server, and
//! what a check opens for them.
//!
//! How: the program runs under a supervisor (this binary, `grader __isolate`, see
//! [`supervisor`]) in new mount, network, process, IPC and host-name namespaces. As
//! root the program then runs as the unprivileged user `nobody`; otherwise the
//! namespaces belong to a user namespace of the grader's user, and the program gets
//! one more in which it holds no capability. Its network has only a loopback
//! interface, with a listening socket per address it may reach; the grader accepts
//! there (the socket comes back over the control socket) and relays to the real
//! address ([`relay`]). The grader's connections to a program that serves (exercise
//! 11) are opened inside by the supervisor and handed back the same way.
//!
//! Without root and without user namespaces nothing is isolated: [`Isolation::new`]
//! refuses, saying which setting refuses them.

mod message;
mod mounts;
mod netlink;
mod relay;
pub mod supervisor;
mod userns;

use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsFd as _, OwnedFd};
use std::os::unix::process::ExitStatusExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use std::{fs, io, thread};

use anyhow::{bail, Context as _, Result};
use serde::{Deserialize, Serialize};

use self::message::{Message, Spec};
use self::relay::Relay;

/// The hidden subcommand the supervisor and the init run as.
pub const SUBCOMMAND: &str = "__isolate";
/// The unprivileged user (and group) programs run as when the grader is root.
pub const NOBODY: u32 = 65534;
/// Environment variable that makes a grader running as root isolate with user
/// namespaces as any other user would (`userns`); the kit's tests check both ways.
pub const MODE_ENV: &str = "GRADER_ISOLATION";
/// The environment variables a program gets from the grader's own: the rest (a
/// `GRADER_SERVER` URL, say) stays with the grader.
const PASSED_ENV: [&str; 6] = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TERM"];
/// Folders every program gets fresh and empty.
const FRESH: [&str; 4] = ["/tmp", "/run", "/var/run", "/dev/shm"];
/// How long the supervisor may take to report the program's exit once it ended.
const EXIT_REPORT_WAIT: Duration = Duration::from_secs(2);

/// How programs are isolated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Mode {
    /// The grader is root: the program runs as `nobody`.
    AnotherUser,
    /// The namespaces belong to a user namespace of the grader's user.
    UserNamespace,
}

impl Mode {
    /// How the supervisor's command line names it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::AnotherUser => "another-user",
            Mode::UserNamespace => "user-namespace",
        }
    }
}

/// How every program of a run is isolated, and what it must not see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    mode: Mode,
    supervisor: PathBuf,
    hide: Vec<PathBuf>,
}

impl Isolation {
    /// Isolation that hides `hide` (the grader's folders), proven to work here by a
    /// first isolated run; an error that says what is missing otherwise.
    pub fn new(hide: Vec<PathBuf>) -> Result<Isolation> {
        let supervisor = std::env::current_exe().context("cannot find the grader's own program")?;
        Isolation::with_supervisor(supervisor, hide)
    }

    /// The same, with `supervisor` (the grader's binary) as the supervisor: for
    /// programs that are not the grader (its benchmarks).
    pub fn with_supervisor(supervisor: PathBuf, hide: Vec<PathBuf>) -> Result<Isolation> {
        let root = nix::unistd::geteuid().is_root();
        let mode = match std::env::var(MODE_ENV).as_deref() {
            Ok("userns") => Mode::UserNamespace,
            _ if root => Mode::AnotherUser,
            _ => Mode::UserNamespace,
        };
        let isolation = Isolation { mode, supervisor, hide };
        isolation.probe()?;
        Ok(isolation)
    }

    /// How programs are isolated.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Runs the grader's own `--version` isolated: the namespaces, mounts and user
    /// switch all work, or the error says which did not.
    fn probe(&self) -> Result<()> {
        let (mut command, control) = self.command()?;
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start the isolation's supervisor")?;
        drop(command);
        let run = Run {
            program: &self.supervisor,
            args: vec!["--version".into()],
            env: Vec::new(),
            dir: None,
            reach: &[],
            share: &[],
        };
        let started = self.start(control, &run);
        let status = child.wait().context("cannot wait for the isolation's supervisor")?;
        let mut running = started.context("--sandbox cannot isolate programs here")?;
        let status = running.exit_reports().and_then(ExitReports::wait).unwrap_or(status);
        if !status.success() {
            bail!("--sandbox cannot isolate programs here: a program run isolated ended with {status}");
        }
        Ok(())
    }

    /// The supervisor's command (the caller adds the output pipes and the process
    /// group) and the grader's end of its control socket.
    pub fn command(&self) -> Result<(Command, OwnedFd)> {
        let (ours, theirs) =
            message::pair().context("cannot make the isolation's control socket")?;
        let mut command = Command::new(&self.supervisor);
        // The supervisor and the init get no environment: the program could read theirs.
        command
            .args([SUBCOMMAND, "supervise", self.mode.name()])
            .env_clear()
            .stdin(Stdio::from(theirs));
        Ok((command, ours))
    }

    /// Tells the supervisor started with [`Isolation::command`] what to run, and waits
    /// until the program runs.
    pub fn start(&self, control: OwnedFd, run: &Run<'_>) -> Result<Running> {
        let spec = self.spec(run);
        message::send(control.as_fd(), &Message::Spec(Box::new(spec)), &[])
            .context("cannot tell the isolation what to run")?;
        let listeners = match message::receive(control.as_fd()) {
            Ok(Some((Message::Started, fds))) => fds,
            Ok(Some((Message::Failed(why), _))) => bail!("{why}"),
            Ok(_) => bail!("the isolation's supervisor ended without starting the program"),
            Err(error) => return Err(error).context("cannot hear from the isolation's supervisor"),
        };
        let relays = run
            .reach
            .iter()
            .zip(listeners)
            .map(|(address, listener)| {
                Relay::start(std::net::TcpListener::from(listener), *address)
            })
            .collect::<io::Result<Vec<_>>>()
            .context("cannot relay the program's connections")?;
        Ok(Running::listen(control, relays))
    }

    fn spec(&self, run: &Run<'_>) -> Spec {
        let mut env: Vec<(String, String)> = PASSED_ENV
            .iter()
            .filter_map(|name| Some((name.to_string(), std::env::var(name).ok()?)))
            .collect();
        env.extend([("HOME", "/tmp"), ("TMPDIR", "/tmp")].map(|(n, v)| (n.into(), v.into())));
        env.extend(run.env.iter().cloned());
        let temp = std::env::temp_dir();
        let mut fresh: Vec<PathBuf> = FRESH.iter().map(PathBuf::from).collect();
        if !fresh.contains(&temp) {
            fresh.push(temp.clone());
        }
        let mut hide = self.hide.clone();
        hide.extend(server_folders(&temp));
        let mut keep: Vec<PathBuf> = run.share.to_vec();
        let here = std::env::current_dir().ok();
        keep.extend(run.dir.map(Path::to_path_buf).or(here));
        keep.extend(run.program.parent().map(Path::to_path_buf));
        // The installation an interpreter's link leads to (a venv's python's prefix).
        let real = run.program.canonicalize().ok();
        keep.extend(
            real.as_deref().and_then(Path::parent).and_then(Path::parent).map(Path::to_path_buf),
        );
        Spec {
            mode: self.mode,
            program: run.program.to_path_buf(),
            args: run.args.clone(),
            env,
            dir: run.dir.map(Path::to_path_buf),
            hide,
            fresh,
            keep,
            reach: run.reach.to_vec(),
            ids: (nix::unistd::getuid().as_raw(), nix::unistd::getgid().as_raw()),
        }
    }
}

/// The local servers' folders in `temp` (any grader's), which hold their start-up
/// script with an administrator's password.
fn server_folders(temp: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(temp) else { return Vec::new() };
    entries
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("grader-mysql-"))
        .map(|entry| entry.path())
        .collect()
}

/// One isolated run, as the grader gives it.
#[derive(Debug, Clone)]
pub struct Run<'a> {
    /// The executable.
    pub program: &'a Path,
    /// Its arguments.
    pub args: Vec<String>,
    /// Its environment, beyond the few variables passed from the grader's.
    pub env: Vec<(String, String)>,
    /// The folder it runs in.
    pub dir: Option<&'a Path>,
    /// The addresses it may connect to.
    pub reach: &'a [SocketAddr],
    /// Folders of files the grader gives it, kept in its view.
    pub share: &'a [PathBuf],
}

/// A program running isolated: its relays, and the supervisor to ask for
/// connections inside.
pub struct Running {
    inside: Inside,
    exit: Option<ExitReports>,
    _relays: Vec<Relay>,
}

/// The program's exit as its supervisor reports it.
pub struct ExitReports(mpsc::Receiver<Option<ExitStatus>>);

impl ExitReports {
    /// The program's exit status, once its supervisor has ended; `None` if it ended
    /// without reporting one (it was killed).
    pub fn wait(self) -> Option<ExitStatus> {
        self.0.recv_timeout(EXIT_REPORT_WAIT).ok().flatten()
    }
}

impl Running {
    fn listen(control: OwnedFd, relays: Vec<Relay>) -> Running {
        let control = Arc::new(control);
        let (exit_tx, exit) = mpsc::channel();
        let (reply_tx, replies) = mpsc::channel();
        let reading = control.clone();
        thread::spawn(move || {
            let mut exit = None;
            while let Ok(Some((message, mut fds))) = message::receive(reading.as_fd()) {
                match message {
                    Message::Exited(raw) => exit = Some(ExitStatus::from_raw(raw)),
                    Message::Connected if !fds.is_empty() => {
                        let _ = reply_tx.send(Ok(TcpStream::from(fds.remove(0))));
                    }
                    Message::NotConnected(why) => {
                        let _ = reply_tx
                            .send(Err(io::Error::new(io::ErrorKind::ConnectionRefused, why)));
                    }
                    _ => {}
                }
            }
            let _ = exit_tx.send(exit);
        });
        let inside = Inside(Arc::new(Requests { control, replies: Mutex::new(replies) }));
        Running { inside, exit: Some(ExitReports(exit)), _relays: relays }
    }

    /// The program's exit, as reported (once: later calls get `None`).
    pub fn exit_reports(&mut self) -> Option<ExitReports> {
        self.exit.take()
    }

    /// What opens connections inside the program's network.
    pub fn inside(&self) -> Inside {
        self.inside.clone()
    }
}

/// Opens connections inside an isolated program's network (to a server it runs).
#[derive(Clone)]
pub struct Inside(Arc<Requests>);

struct Requests {
    control: Arc<OwnedFd>,
    replies: Mutex<mpsc::Receiver<io::Result<TcpStream>>>,
}

impl Inside {
    /// A connection to `address` in the program's network, within `timeout`.
    pub fn connect(&self, address: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
        let replies = self.0.replies.lock().unwrap_or_else(PoisonError::into_inner);
        message::send(self.0.control.as_fd(), &Message::Connect(address), &[])?;
        match replies.recv_timeout(timeout + Duration::from_secs(1)) {
            Ok(reply) => reply,
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the program's isolation did not answer a request to connect",
            )),
        }
    }
}
