//! Runs a learner's program as a child process, with limits: a wall-clock timeout
//! that stops its whole process group, and a cap on the output kept from each stream.
//! Isolated (`--sandbox`), the child is the isolation's supervisor, in the same group,
//! with the same pipes, and the program's exit is the one the supervisor reports.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use crate::isolate::{self, Isolation};
use crate::shutdown;

/// Bytes kept from each of stdout and stderr; the rest is read and counted, not kept.
pub const OUTPUT_CAP: usize = 64 * 1024;

/// How long to wait for the output pipes to close once the process group is gone.
const PIPE_GRACE: Duration = Duration::from_secs(1);

/// What to start for a run: an executable, or a command line the learner gave
/// (`--cmd`), with what comes before the check's own arguments, extra environment
/// and the folder it runs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The executable started.
    pub path: PathBuf,
    /// Arguments that come before the check's own.
    pub leading_args: Vec<String>,
    /// Environment variables of its own (a Python track's `PYTHONPATH`, say).
    pub env: Vec<(String, String)>,
    /// The folder it runs in; the grader's own when `None`.
    pub dir: Option<PathBuf>,
}

impl Program {
    /// A built executable, run as it is.
    pub fn binary(path: impl Into<PathBuf>) -> Program {
        Program { path: path.into(), leading_args: Vec::new(), env: Vec::new(), dir: None }
    }

    /// A command line run by `/bin/sh` in `dir`, the check's arguments appended to it
    /// (`sh -c 'LINE "$@"' sh ARGS…`), so `python3 my02.py` gets them as its own.
    pub fn command_line(line: &str, dir: impl Into<PathBuf>) -> Program {
        Program {
            path: PathBuf::from("/bin/sh"),
            leading_args: vec!["-c".into(), format!("{line} \"$@\""), "sh".into()],
            env: Vec::new(),
            dir: Some(dir.into()),
        }
    }
}

/// The limits one run is held to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Wall-clock time before the process group is killed.
    pub timeout: Duration,
    /// Bytes kept per output stream.
    pub output_cap: usize,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The program exited with this code.
    Code(i32),
    /// The program was ended by this signal (not by the grader).
    Signal(i32),
    /// The grader stopped it at the time limit.
    TimedOut,
}

/// What one stream of the program carried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    /// The first bytes, as text (invalid UTF-8 replaced).
    pub text: String,
    /// Bytes read beyond the cap and thrown away.
    pub dropped: u64,
}

impl Captured {
    /// Whether the stream carried more than was kept.
    pub fn was_cut(&self) -> bool {
        self.dropped > 0
    }
}

/// Everything the grader learns from one run.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// How the program ended.
    pub exit: Exit,
    /// Its standard output.
    pub stdout: Captured,
    /// Its standard error.
    pub stderr: Captured,
    /// Wall-clock time from start to exit.
    pub elapsed: Duration,
    /// The time limit it ran under.
    pub timeout: Duration,
    /// The folder it ran in, if not the grader's own: places in a Python traceback
    /// are told relative to it.
    pub dir: Option<PathBuf>,
}

impl RunOutput {
    /// Whether the program exited on its own with code 0.
    pub fn succeeded(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    /// The panic the program reported on stderr, if it panicked, or the uncaught
    /// exception that ended a Python program.
    pub fn panic(&self) -> Option<Panic> {
        let panic = Panic::parse(&self.stderr.text)?;
        let Some(dir) = &self.dir else { return Some(panic) };
        let location = match Path::new(&panic.location).strip_prefix(dir) {
            Ok(relative) => relative.display().to_string(),
            Err(_) => panic.location.clone(),
        };
        Some(Panic { location, ..panic })
    }
}

/// A Rust panic, read from the standard message on stderr, or a Python program's
/// uncaught exception, read from its traceback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The panic's message (for Python, `Type: message`).
    pub message: String,
    /// `file:line` where it happened.
    pub location: String,
    /// Whether it is a Python exception rather than a Rust panic.
    pub python: bool,
}

/// What starts a Python traceback on stderr.
const TRACEBACK: &str = "Traceback (most recent call last):";

impl Panic {
    /// Reads the first panic in `stderr`: `thread 'main' (ID) panicked at FILE:LINE:COL:`
    /// followed by the message, up to the `note: run with RUST_BACKTRACE` line; or,
    /// failing that, the last Python traceback (see [`Panic::parse_traceback`]).
    pub fn parse(stderr: &str) -> Option<Panic> {
        let Some((_, after)) = stderr.split_once(" panicked at ") else {
            return Panic::parse_traceback(stderr);
        };
        let (place, rest) = after.split_once('\n').unwrap_or((after, ""));
        let place = place.trim_end_matches(':');
        let location = match place.rsplitn(3, ':').collect::<Vec<_>>()[..] {
            [_column, line, file] => format!("{file}:{line}"),
            _ => place.to_string(),
        };
        let message = rest
            .lines()
            .take_while(|line| {
                !line.starts_with("note: run with `RUST_BACKTRACE")
                    && !line.starts_with("stack backtrace:")
            })
            .collect::<Vec<_>>()
            .join("\n");
        Some(Panic { message: message.trim().to_string(), location, python: false })
    }

    /// Reads the last traceback in `stderr`: its innermost `File "PATH", line N` is
    /// the place, and the unindented lines after the frames are the exception.
    pub fn parse_traceback(stderr: &str) -> Option<Panic> {
        let (_, after) = stderr.rsplit_once(TRACEBACK)?;
        let mut location = String::new();
        let mut message = Vec::new();
        for line in after.lines().skip(1) {
            if let Some(frame) = line.trim_start().strip_prefix("File \"") {
                if message.is_empty() {
                    if let Some((file, rest)) = frame.split_once("\", line ") {
                        let number: String =
                            rest.chars().take_while(char::is_ascii_digit).collect();
                        location = format!("{file}:{number}");
                    }
                }
            } else if !line.starts_with(' ') || !message.is_empty() {
                message.push(line);
            }
        }
        let message = message.join("\n").trim().to_string();
        (!message.is_empty()).then_some(Panic { message, location, python: true })
    }

    /// Whether this is `todo!()`, or Python's `raise NotImplementedError`: the
    /// exercise has not been written yet.
    pub fn is_todo(&self) -> bool {
        self.message.starts_with("not yet implemented")
            || self.message.starts_with("NotImplementedError")
    }

    /// What the program did, in the learner's words: "panicked", or "stopped on an
    /// uncaught exception".
    pub fn what(&self) -> &'static str {
        if self.python {
            "stopped on an uncaught exception"
        } else {
            "panicked"
        }
    }
}

/// Where a program runs.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// As the grader's own child, with the grader's view of the machine.
    Here,
    /// Isolated: it reaches only `reach` over the network and sees the folders of
    /// `share` (files the grader gives it) but none of the grader's own.
    Isolated {
        /// How.
        isolation: &'a Isolation,
        /// The addresses it may connect to.
        reach: &'a [SocketAddr],
        /// Folders of files it is given.
        share: &'a [PathBuf],
    },
}

/// Runs `program` with `args` and extra `env`, within `limits`.
pub fn run(
    program: &Program,
    args: &[String],
    env: &[(&str, &str)],
    limits: Limits,
) -> Result<RunOutput> {
    run_in(Place::Here, program, args, env, limits)
}

/// Runs `program` as [`run`] does, in `place`.
pub fn run_in(
    place: Place<'_>,
    program: &Program,
    args: &[String],
    env: &[(&str, &str)],
    limits: Limits,
) -> Result<RunOutput> {
    let started = Started::spawn(place, program, args, env, limits.output_cap)?;
    let exit = match started.exit_rx.recv_timeout(limits.timeout) {
        Ok(status) => exit_of(status.context("cannot wait for the program")?),
        Err(_) => {
            kill_group(started.group);
            started.exit_rx.recv().ok();
            Exit::TimedOut
        }
    };
    Ok(started.collect(exit, limits.timeout))
}

/// Starts `program` in the background (a server, say), with the same process group,
/// output cap and clean-up as [`run`]; the returned handle stops it.
pub fn spawn(
    program: &Program,
    args: &[String],
    env: &[(&str, &str)],
    limits: Limits,
) -> Result<Background> {
    spawn_in(Place::Here, program, args, env, limits)
}

/// Starts `program` in the background as [`spawn`] does, in `place`.
pub fn spawn_in(
    place: Place<'_>,
    program: &Program,
    args: &[String],
    env: &[(&str, &str)],
    limits: Limits,
) -> Result<Background> {
    let started = Started::spawn(place, program, args, env, limits.output_cap)?;
    Ok(Background { started: Some(started), limits })
}

/// Opens connections to a program that serves, where it runs: directly, or inside
/// its isolation's network.
#[derive(Clone)]
pub struct Connector(Option<isolate::Inside>);

impl Connector {
    /// A connection to `address`, as the program sees it, within `timeout`.
    pub fn connect(&self, address: SocketAddr, timeout: Duration) -> io::Result<TcpStream> {
        match &self.0 {
            None => TcpStream::connect_timeout(&address, timeout),
            Some(inside) => inside.connect(address, timeout),
        }
    }
}

/// A program running in the background. Dropping it kills its process group.
pub struct Background {
    started: Option<Started>,
    limits: Limits,
}

impl Background {
    /// How the program ended, if it has (without waiting).
    pub fn exit(&mut self) -> Option<Exit> {
        let started = self.started.as_mut()?;
        if started.exit.is_none() {
            if let Ok(status) = started.exit_rx.try_recv() {
                started.exit = Some(status.map_or(Exit::Code(-1), exit_of));
            }
        }
        started.exit
    }

    /// What opens connections to it (a server it runs), where it runs.
    pub fn connector(&self) -> Connector {
        Connector(
            self.started.as_ref().and_then(|s| s.running.as_ref()).map(isolate::Running::inside),
        )
    }

    /// What it has written to stdout so far.
    pub fn stdout_so_far(&self) -> String {
        self.started
            .as_ref()
            .map(|s| s.stdout.lock().unwrap_or_else(PoisonError::into_inner).captured().text)
            .unwrap_or_default()
    }

    /// Stops it (if it still runs) and returns what it did. A program stopped by the
    /// grader reports [`Exit::TimedOut`] if it outlived its time limit, and
    /// [`Exit::Signal`] 9 otherwise.
    pub fn stop(mut self) -> RunOutput {
        let exit = self.exit();
        let started = self.started.take().expect("a background run is stopped once");
        let timed_out = started.started.elapsed() > self.limits.timeout;
        let exit = exit.unwrap_or_else(|| {
            kill_group(started.group);
            started.exit_rx.recv().ok();
            if timed_out {
                Exit::TimedOut
            } else {
                Exit::Signal(Signal::SIGKILL as i32)
            }
        });
        started.collect(exit, self.limits.timeout)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(started) = &self.started {
            kill_group(started.group);
        }
    }
}

/// A started child: its process group, its output as it comes, and its exit.
struct Started {
    group: Pid,
    started: Instant,
    stdout: Arc<Mutex<Stream>>,
    stderr: Arc<Mutex<Stream>>,
    done_rx: mpsc::Receiver<()>,
    exit_rx: mpsc::Receiver<std::io::Result<ExitStatus>>,
    /// When the waiting thread saw the program end, so that a background program's
    /// time is its own, not the time until the grader looked.
    ended: Arc<Mutex<Option<Instant>>>,
    exit: Option<Exit>,
    dir: Option<PathBuf>,
    /// The isolated program's relays and supervisor, when isolated.
    running: Option<isolate::Running>,
    _cleanup: shutdown::CleanupGuard,
}

impl Started {
    fn spawn(
        place: Place<'_>,
        program: &Program,
        args: &[String],
        env: &[(&str, &str)],
        cap: usize,
    ) -> Result<Started> {
        let mut command = match place {
            Place::Here => direct(program, args, env),
            Place::Isolated { isolation, reach, share } => {
                let run = isolate::Run {
                    program: &program.path,
                    args: program.leading_args.iter().chain(args).cloned().collect(),
                    env: std::iter::once(("RUST_BACKTRACE".to_string(), "0".to_string()))
                        .chain(program.env.iter().cloned())
                        .chain(
                            env.iter().map(|(name, value)| (name.to_string(), value.to_string())),
                        )
                        .collect(),
                    dir: program.dir.as_deref(),
                    reach,
                    share,
                };
                return Started::isolated(isolation, &run, program, cap);
            }
        };
        command.stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
        let started = Instant::now();
        let child =
            command.spawn().with_context(|| format!("cannot start {}", program.path.display()))?;
        Started::watch(child, started, program, None, cap)
    }

    /// Starts the isolation's supervisor, then `run` under it.
    fn isolated(
        isolation: &Isolation,
        run: &isolate::Run<'_>,
        program: &Program,
        cap: usize,
    ) -> Result<Started> {
        let (mut command, control) = isolation.command()?;
        command.stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
        let mut child = command.spawn().context("cannot start the isolation's supervisor")?;
        // The supervisor's end of the control socket lives on in the supervisor only.
        drop(command);
        match isolation.start(control, run) {
            // The program's time starts once it runs, not while its isolation is made.
            Ok(running) => Started::watch(child, Instant::now(), program, Some(running), cap),
            Err(error) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(error.context(format!("cannot start {} isolated", program.path.display())))
            }
        }
    }

    /// Reads the output of `child`, started at `started`, and waits for its exit.
    fn watch(
        mut child: std::process::Child,
        started: Instant,
        program: &Program,
        mut running: Option<isolate::Running>,
        cap: usize,
    ) -> Result<Started> {
        let group = Pid::from_raw(i32::try_from(child.id()).context("process id out of range")?);
        let cleanup = shutdown::on_interrupt(move || kill_group(group));

        let stdout = Arc::new(Mutex::new(Stream::default()));
        let stderr = Arc::new(Mutex::new(Stream::default()));
        let (done_tx, done_rx) = mpsc::channel();
        let child_stdout = child.stdout.take().context("stdout is piped")?;
        let child_stderr = child.stderr.take().context("stderr is piped")?;
        spawn_reader(child_stdout, stdout.clone(), cap, done_tx.clone());
        spawn_reader(child_stderr, stderr.clone(), cap, done_tx);

        let (exit_tx, exit_rx) = mpsc::channel();
        let ended = Arc::new(Mutex::new(None));
        let ended_at = ended.clone();
        let reported = running.as_mut().and_then(isolate::Running::exit_reports);
        thread::spawn(move || {
            let status = child.wait();
            // Isolated, the child is the supervisor: the program's own exit is reported.
            let status = match reported {
                Some(reported) => status.map(|own| reported.wait().unwrap_or(own)),
                None => status,
            };
            *ended_at.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
            let _ = exit_tx.send(status);
        });
        Ok(Started {
            group,
            started,
            stdout,
            stderr,
            done_rx,
            exit_rx,
            ended,
            exit: None,
            dir: program.dir.clone(),
            running,
            _cleanup: cleanup,
        })
    }

    /// Stops what is left of the group and gathers the output.
    fn collect(self, exit: Exit, timeout: Duration) -> RunOutput {
        let ended = *self.ended.lock().unwrap_or_else(PoisonError::into_inner);
        let elapsed = ended.map_or_else(|| self.started.elapsed(), |ended| ended - self.started);
        // A program's own children may still hold its output open: stop them too.
        kill_group(self.group);
        let deadline = Instant::now() + PIPE_GRACE;
        for _stream in 0..2 {
            let left = deadline.saturating_duration_since(Instant::now());
            if self.done_rx.recv_timeout(left).is_err() {
                break;
            }
        }
        RunOutput {
            exit,
            stdout: self.stdout.lock().unwrap_or_else(PoisonError::into_inner).captured(),
            stderr: self.stderr.lock().unwrap_or_else(PoisonError::into_inner).captured(),
            elapsed,
            timeout,
            dir: self.dir,
        }
    }
}

/// The command that starts `program` directly.
fn direct(program: &Program, args: &[String], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(&program.path);
    if let Some(dir) = &program.dir {
        command.current_dir(dir);
    }
    command
        .args(&program.leading_args)
        .args(args)
        .env("RUST_BACKTRACE", "0")
        .envs(program.env.iter().map(|(key, value)| (key, value)))
        .envs(env.iter().copied())
        .stdin(Stdio::null());
    command
}

fn exit_of(status: ExitStatus) -> Exit {
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        (None, None) => Exit::Code(-1),
    }
}

fn kill_group(group: Pid) {
    // The group may be gone already; that is the usual case.
    let _ = killpg(group, Signal::SIGKILL);
}

/// What a reader thread has seen of one stream so far.
#[derive(Default)]
struct Stream {
    kept: Vec<u8>,
    dropped: u64,
}

impl Stream {
    fn captured(&self) -> Captured {
        Captured { text: String::from_utf8_lossy(&self.kept).into_owned(), dropped: self.dropped }
    }
}

fn spawn_reader(
    mut pipe: impl Read + Send + 'static,
    into: Arc<Mutex<Stream>>,
    cap: usize,
    done: mpsc::Sender<()>,
) {
    thread::spawn(move || {
        let mut buffer = [0; 16 * 1024];
        loop {
            let read = match pipe.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(read) => read,
            };
            let mut stream = into.lock().unwrap_or_else(PoisonError::into_inner);
            let room = cap.saturating_sub(stream.kept.len()).min(read);
            stream.kept.extend_from_slice(&buffer[..room]);
            stream.dropped += (read - room) as u64;
        }
        let _ = done.send(());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, timeout_ms: u64, cap: usize) -> RunOutput {
        let limits = Limits { timeout: Duration::from_millis(timeout_ms), output_cap: cap };
        let sh = Program::binary("/bin/sh");
        run(&sh, &["-c".into(), script.into()], &[("GREETING", "hello")], limits).unwrap()
    }

    #[test]
    fn captures_output_exit_code_and_environment() {
        let output = sh("echo \"$GREETING\"; echo oops >&2; exit 3", 5_000, 1024);
        assert_eq!(output.exit, Exit::Code(3));
        assert_eq!(output.stdout.text, "hello\n");
        assert_eq!(output.stderr.text, "oops\n");
        assert!(!output.stdout.was_cut());
    }

    #[test]
    fn a_command_line_gets_the_arguments_in_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let program = Program::command_line("printf '%s|' \"$(pwd)\"", dir.path());
        let limits = Limits { timeout: Duration::from_secs(5), output_cap: 1024 };
        let output = run(&program, &["a b".into(), "c".into()], &[], limits).unwrap();
        let here = dir.path().canonicalize().unwrap();
        assert_eq!(output.stdout.text, format!("{}|a b|c|", here.display()));
    }

    #[test]
    fn stops_the_whole_group_at_the_timeout() {
        let started = Instant::now();
        let output = sh("sleep 30 & sleep 30", 300, 1024);
        assert_eq!(output.exit, Exit::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    }

    #[test]
    fn keeps_only_the_first_bytes_of_a_flood() {
        let output = sh("yes | head -c 1000000", 10_000, 1000);
        assert_eq!(output.exit, Exit::Code(0));
        assert_eq!(output.stdout.text.len(), 1000);
        assert_eq!(output.stdout.dropped, 999_000);
    }

    #[test]
    fn reports_a_signal() {
        assert_eq!(sh("kill -9 $$", 5_000, 1024).exit, Exit::Signal(9));
    }

    #[test]
    fn a_background_program_runs_until_stopped() {
        let limits = Limits { timeout: Duration::from_secs(30), output_cap: 1024 };
        let script = "echo ready; sleep 30 & sleep 30".to_string();
        let mut server =
            spawn(&Program::binary("/bin/sh"), &["-c".into(), script], &[], limits).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while server.stdout_so_far().is_empty() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(server.stdout_so_far(), "ready\n");
        assert_eq!(server.exit(), None);
        let started = Instant::now();
        let output = server.stop();
        assert_eq!(output.exit, Exit::Signal(9));
        assert_eq!(output.stdout.text, "ready\n");
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    }

    #[test]
    fn a_background_program_that_ends_reports_its_exit() {
        let limits = Limits { timeout: Duration::from_secs(30), output_cap: 1024 };
        let mut quick =
            spawn(&Program::binary("/bin/sh"), &["-c".into(), "exit 4".into()], &[], limits)
                .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        while quick.exit().is_none() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(quick.exit(), Some(Exit::Code(4)));
        assert_eq!(quick.stop().exit, Exit::Code(4));
    }

    #[test]
    fn reads_a_todo_panic_and_its_location() {
        let stderr = "thread 'main' panicked at exercises/01_connect/src/lib.rs:23:5:\n\
                      not yet implemented: open a connection\n\
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        let panic = Panic::parse(stderr).unwrap();
        assert_eq!(panic.location, "exercises/01_connect/src/lib.rs:23");
        assert_eq!(panic.message, "not yet implemented: open a connection");
        assert!(panic.is_todo());
    }

    #[test]
    fn reads_a_multi_line_panic_message() {
        let stderr = "thread 'main' (4242) panicked at src/main.rs:7:51:\ncalled `Result::unwrap()` on an `Err` value: MySqlError { ERROR 1045 (28000): Access denied }\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        let panic = Panic::parse(stderr).unwrap();
        assert_eq!(panic.location, "src/main.rs:7");
        assert!(panic.message.starts_with("called `Result::unwrap()`"));
        assert!(!panic.is_todo());
        assert_eq!(Panic::parse("error: Access denied\n"), None);
    }

    #[test]
    fn reads_a_python_traceback_and_its_innermost_place() {
        let stderr = "Traceback (most recent call last):\n  \
                      File \"/course/tracks/python/exercises/01_connect/main.py\", line 30, in <module>\n    \
                      main()\n  \
                      File \"/course/tracks/python/exercises/01_connect/lib.py\", line 21, in server_info\n    \
                      raise NotImplementedError(\"open a connection\")\n\
                      NotImplementedError: open a connection\n";
        let panic = Panic::parse(stderr).unwrap();
        assert_eq!(panic.location, "/course/tracks/python/exercises/01_connect/lib.py:21");
        assert_eq!(panic.message, "NotImplementedError: open a connection");
        assert!(panic.is_todo() && panic.python);
        let output = RunOutput {
            exit: Exit::Code(1),
            stdout: Captured::default(),
            stderr: Captured { text: stderr.into(), dropped: 0 },
            elapsed: Duration::ZERO,
            timeout: Duration::from_secs(1),
            dir: Some(PathBuf::from("/course")),
        };
        assert_eq!(
            output.panic().unwrap().location,
            "tracks/python/exercises/01_connect/lib.py:21"
        );
        let other = "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    f()\nKeyError: 'id'\n";
        let panic = Panic::parse(other).unwrap();
        assert_eq!((panic.message.as_str(), panic.location.as_str()), ("KeyError: 'id'", "x.py:3"));
        assert!(!panic.is_todo());
    }
}
