//! What the grader verifies, one module per exercise. Each check plants data drawn
//! from the run's seed, runs the learner's program, and compares what it printed and
//! did with what the grader reads from the server with its own connection.

pub mod client_env;
mod closed_port;
mod connect;
mod connection_pool;
mod counters;
mod create_schema;
mod errors;
mod evidence;
mod expect;
mod insert_rows;
mod query_rows;
mod remote_access;
mod second_client;
pub mod shop;
mod show_databases;
mod sql_injection;
mod transactions;
mod web_tier;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};

pub use expect::{describe_lines, Failure, Problem};

use crate::isolate::Isolation;
use crate::runner::{self, Limits, Place, Program, RunOutput};
use crate::sandbox::Sandbox;
use crate::server::Server;
use crate::wire::{Recorder, Recording};

/// One exercise's check.
pub trait Check: Sync {
    /// Runs the learner's program (through `cx`) and judges it.
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem>;

    /// Whether this check takes seconds longer than the others (it builds servers or
    /// hosts of its own), so that a run of several starts it first and the others
    /// fill the time it takes, rather than it starting last and running alone.
    fn long(&self) -> bool {
        false
    }
}

/// Every exercise's check, by the exercise's name (`cargo xtask new-exercise` adds
/// a line for the exercise it makes).
const CHECKS: &[(&str, &dyn Check)] = &[
    ("01_connect", &connect::Connect),
    ("02_show_databases", &show_databases::ShowDatabases),
    ("03_create_schema", &create_schema::CreateSchema),
    ("04_insert_rows", &insert_rows::InsertRows),
    ("05_query_rows", &query_rows::QueryRows),
    ("06_sql_injection", &sql_injection::SqlInjection),
    ("07_transactions", &transactions::Transactions),
    ("08_connection_pool", &connection_pool::ConnectionPool),
    ("09_errors", &errors::Errors),
    ("10_remote_access", &remote_access::RemoteAccess),
    ("11_web_tier", &web_tier::WebTier),
    ("12_second_client", &second_client::SecondClient),
];

/// What `grader sandbox` makes of each exercise whose check does not start from an
/// empty database and account, or whose program cannot be run by hand on a standing
/// sandbox. An exercise not listed here gets an empty database and is run without
/// arguments (as a new check, which plants nothing yet, starts).
const BY_HAND: &[(&str, ByHand)] = &[
    ("02_show_databases", ByHand::Planted(show_databases::plant_by_hand)),
    ("03_create_schema", ByHand::Planted(create_schema::plant_by_hand)),
    ("04_insert_rows", ByHand::Planted(insert_rows::plant_by_hand)),
    ("05_query_rows", ByHand::Planted(query_rows::plant_by_hand)),
    ("06_sql_injection", ByHand::Planted(sql_injection::plant_by_hand)),
    ("07_transactions", ByHand::Planted(transactions::plant_by_hand)),
    ("08_connection_pool", ByHand::Planted(connection_pool::plant_by_hand)),
    ("09_errors", ByHand::Planted(errors::plant_by_hand)),
    (
        "10_remote_access",
        ByHand::Refused(
            "its check builds a lab of its own for each run (a server started with your mysqld.cnf, \
             a client host and an intruder), which a standing sandbox on the persistent server cannot be; \
             run `cargo grader check 10`, and follow the chapter's lab to try it by hand",
        ),
    ),
    ("11_web_tier", ByHand::Planted(web_tier::plant_by_hand)),
    ("12_second_client", ByHand::Planted(query_rows::plant_by_hand)),
];

/// What `grader sandbox` can give an exercise's program to run by hand.
#[derive(Clone, Copy)]
pub enum ByHand {
    /// A standing database and account, planted by this function the way the check
    /// plants its own.
    Planted(Plant),
    /// No standing sandbox: why not, and what to do instead.
    Refused(&'static str),
}

/// Plants a standing sandbox as an exercise's check plants its own, and says how to
/// run the program on it.
pub type Plant = fn(&mut Planting<'_, '_>) -> Result<Planted>;

/// What a [`Plant`] works with: the server, the sandbox and a random source.
pub struct Planting<'p, 's> {
    /// The server, for the grader's own connections.
    pub server: &'s Server,
    /// The sandbox to plant in.
    pub sandbox: &'p mut Sandbox<'s>,
    /// Random data, as a check draws it.
    pub rng: &'p mut fastrand::Rng,
}

impl Planting<'_, '_> {
    /// An administrator's connection to the sandbox's database.
    pub fn admin(&self) -> Result<mysql::Conn> {
        Ok(mysql::Conn::new(self.server.admin.opts(Some(&self.sandbox.database)))?)
    }
}

/// What was planted, and runs of the program worth trying on it.
#[derive(Debug, Clone, Default)]
pub struct Planted {
    /// What the database holds, in words ("an empty database" when empty).
    pub holds: String,
    /// Runs to try, each its arguments and what to look for; none: one run without
    /// arguments.
    pub runs: Vec<Run>,
}

/// One run of the program to try by hand.
#[derive(Debug, Clone)]
pub struct Run {
    /// The program's arguments.
    pub args: Vec<String>,
    /// What to look for in what it does.
    pub note: String,
}

impl Run {
    /// A run with `args` and `note`.
    pub fn new<S: Into<String>>(args: impl IntoIterator<Item = S>, note: impl Into<String>) -> Run {
        Run { args: args.into_iter().map(Into::into).collect(), note: note.into() }
    }
}

/// What `grader sandbox` does for the exercise `name`.
pub fn by_hand(name: &str) -> ByHand {
    BY_HAND
        .iter()
        .find(|(exercise, _)| *exercise == name)
        .map_or(ByHand::Planted(plant_nothing), |(_, by_hand)| *by_hand)
}

/// An empty database, as the check starts from.
fn plant_nothing(_: &mut Planting<'_, '_>) -> Result<Planted> {
    Ok(Planted { holds: "an empty database".into(), runs: Vec::new() })
}

/// The check of the exercise named `name` (`NN_slug`), if the grader has one.
pub fn for_exercise(name: &str) -> Option<&'static dyn Check> {
    CHECKS.iter().find(|(exercise, _)| *exercise == name).map(|(_, check)| *check)
}

/// The names of the exercises the grader has a check for.
pub fn exercises() -> impl Iterator<Item = &'static str> {
    CHECKS.iter().map(|(exercise, _)| *exercise)
}

/// What a check works with: the server, its own sandbox, the program and a seeded
/// random source.
pub struct Context<'a> {
    /// The server, for the grader's own queries (`server.admin_conn()`).
    pub server: &'a Server,
    /// This check's database and account.
    pub sandbox: Sandbox<'a>,
    /// Random data for this check, drawn from the run's seed and the exercise's name.
    pub rng: fastrand::Rng,
    /// The folder of the package being checked, for files that come with the
    /// program (such as a server configuration).
    pub package_dir: &'a Path,
    /// Whether the program is the Python track's (whose drivers bind parameters their
    /// own way: SQLAlchemy quotes them into the SQL text on the client).
    pub python: bool,
    /// How the program runs isolated, if it does (`--sandbox`).
    pub isolation: Option<&'a Isolation>,
    program: &'a Program,
    limits: Limits,
    program_time: Duration,
    wire: Vec<WireRun>,
    live: Vec<WireRun<Recorder>>,
    reach: Vec<SocketAddr>,
    files: Option<tempfile::TempDir>,
}

/// The recording of one run of the program (or of several started together).
#[derive(Debug, Clone)]
pub struct WireRun<R = Recording> {
    /// The program's arguments (for runs started together, those of the first).
    pub args: Vec<String>,
    /// What it said to the server.
    pub recording: R,
}

impl<'a> Context<'a> {
    /// A context for running `program` (built from the package in `package_dir`)
    /// under `limits`, with a fresh sandbox.
    pub fn new(
        server: &'a Server,
        sandbox: Sandbox<'a>,
        program: &'a Program,
        package_dir: &'a Path,
        limits: Limits,
        rng: fastrand::Rng,
    ) -> Self {
        Context {
            server,
            sandbox,
            rng,
            package_dir,
            python: false,
            isolation: None,
            program,
            limits,
            program_time: Duration::ZERO,
            wire: Vec::new(),
            live: Vec::new(),
            reach: Vec::new(),
            files: None,
        }
    }

    /// Lets the program connect to `address` (a port the check listens on) when it
    /// runs isolated, where it otherwise reaches only the server through the
    /// recorder; runs started from now on reach it.
    pub fn let_reach(&mut self, address: SocketAddr) {
        self.reach.push(address);
    }

    /// Writes `contents` to a new file that the program can read, isolated or not,
    /// named `PREFIX…SUFFIX`; it is removed when the check ends.
    pub fn program_file(&mut self, prefix: &str, suffix: &str, contents: &[u8]) -> Result<PathBuf> {
        use std::os::unix::fs::PermissionsExt as _;
        let readable = |mode| std::fs::Permissions::from_mode(mode);
        if self.files.is_none() {
            let dir = tempfile::Builder::new()
                .prefix("grader-files-")
                .tempdir()
                .context("cannot create a folder for the program's files")?;
            std::fs::set_permissions(dir.path(), readable(0o755))
                .context("cannot open the program's files' folder to it")?;
            self.files = Some(dir);
        }
        let dir = self.files.as_ref().map(tempfile::TempDir::path).context("a files' folder")?;
        let file = tempfile::Builder::new()
            .prefix(prefix)
            .suffix(suffix)
            .permissions(readable(0o644))
            .tempfile_in(dir)
            .context("cannot create a file for the program")?;
        std::fs::write(file.path(), contents).context("cannot write a file for the program")?;
        let (_, path) = file.keep().context("cannot keep a file for the program")?;
        Ok(path)
    }

    /// Where a run goes: here, or isolated, reaching `reach` and given `share`.
    fn place<'p>(&'p self, reach: &'p [SocketAddr], share: &'p [PathBuf]) -> Place<'p> {
        match self.isolation {
            None => Place::Here,
            Some(isolation) => Place::Isolated { isolation, reach, share },
        }
    }

    /// The addresses a run with `recorder` may reach, and the folders it is given.
    fn reachable(&self, recorder: Option<&Recorder>) -> (Vec<SocketAddr>, Vec<PathBuf>) {
        let mut reach = self.reach.clone();
        reach.extend(recorder.map(|r| SocketAddr::from(([127, 0, 0, 1], r.port()))));
        let share = self.files.iter().map(|dir| dir.path().to_path_buf()).collect();
        (reach, share)
    }

    /// The limits each run of the program is held to.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Runs the program with the sandbox's `DATABASE_URL` and `args`.
    pub fn run(&mut self, args: &[String]) -> Result<RunOutput> {
        let url = self.sandbox.url();
        self.run_with_url(&url, args)
    }

    /// Runs the program with `DATABASE_URL` set to `url` and `args`.
    pub fn run_with_url(&mut self, url: &str, args: &[String]) -> Result<RunOutput> {
        self.run_with_env(args, &[("DATABASE_URL", url)])
    }

    /// Runs the program with `args` and exactly the extra environment `env` (no
    /// `DATABASE_URL` unless `env` has one; a `DATABASE_URL` comes with its parts,
    /// `MYSQL_HOST` and the rest). A `DATABASE_URL` that names this check's server
    /// goes through the wire recorder.
    pub fn run_with_env(&mut self, args: &[String], env: &[(&str, &str)]) -> Result<RunOutput> {
        let (recorder, env) = self.recorded(env)?;
        let (reach, share) = self.reachable(recorder.as_ref());
        let place = self.place(&reach, &share);
        let output = runner::run_in(place, self.program, args, &borrowed(&env), self.limits);
        self.keep(args, recorder);
        let output = output?;
        self.program_time += output.elapsed;
        Ok(output)
    }

    /// Runs the program once per entry of `runs` (its arguments), all at the same
    /// time, each with the sandbox's `DATABASE_URL`; results come in the same order.
    /// One recording holds all their connections.
    pub fn run_concurrently(&mut self, runs: &[Vec<String>]) -> Result<Vec<RunOutput>> {
        let url = self.sandbox.url();
        let (recorder, env) = self.recorded(&[("DATABASE_URL", &url)])?;
        let env = borrowed(&env);
        let (program, limits) = (self.program, self.limits);
        let (reach, share) = self.reachable(recorder.as_ref());
        let place = self.place(&reach, &share);
        let outputs: Vec<Result<RunOutput>> = std::thread::scope(|scope| {
            let handles: Vec<_> = runs
                .iter()
                .map(|args| {
                    let env = env.as_slice();
                    scope.spawn(move || runner::run_in(place, program, args, env, limits))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a run panicked")))
                })
                .collect()
        });
        self.keep(runs.first().map_or(&[][..], Vec::as_slice), recorder);
        let outputs = outputs.into_iter().collect::<Result<Vec<_>>>()?;
        self.program_time += outputs.iter().map(|o| o.elapsed).max().unwrap_or_default();
        Ok(outputs)
    }

    /// Starts the program in the background (a server, say) with the sandbox's
    /// `DATABASE_URL`, `args` and extra `env` (which may name another
    /// `DATABASE_URL`). Stop it with [`runner::Background::stop`]; dropping the
    /// handle kills it. Its recording is kept until [`Context::wire_since`] asks.
    pub fn spawn(&mut self, args: &[String], env: &[(&str, &str)]) -> Result<runner::Background> {
        let url = self.sandbox.url();
        let mut all_env = vec![("DATABASE_URL", url.as_str())];
        all_env.extend_from_slice(env);
        // The last DATABASE_URL wins, as it would in the program's environment.
        if let Some(last) = all_env.iter().rposition(|(name, _)| *name == "DATABASE_URL") {
            let chosen = all_env[last];
            all_env.retain(|(name, _)| *name != "DATABASE_URL");
            all_env.insert(0, chosen);
        }
        let (recorder, all_env) = self.recorded(&all_env)?;
        let (reach, share) = self.reachable(recorder.as_ref());
        let place = self.place(&reach, &share);
        let background =
            runner::spawn_in(place, self.program, args, &borrowed(&all_env), self.limits);
        if let Some(recording) = recorder {
            self.live.push(WireRun { args: args.to_vec(), recording });
        }
        background
    }

    /// A position in the recordings, for [`Context::wire_since`].
    pub fn wire_mark(&self) -> usize {
        self.wire.len() + self.live.len()
    }

    /// What the program said to the server in the runs since `mark`, as one
    /// recording. Background programs' recordings end here: stop them first.
    pub fn wire_since(&mut self, mark: usize) -> Recording {
        self.end_live_recordings();
        Recording::merge(self.wire.iter().skip(mark).map(|run| run.recording.clone()))
    }

    /// What the last run said to the server (empty if it did not reach the server
    /// through the recorder).
    pub fn last_wire(&self) -> Recording {
        self.wire.last().map(|run| run.recording.clone()).unwrap_or_default()
    }

    /// Every recording so far, run by run.
    pub fn take_wire(&mut self) -> Vec<WireRun> {
        self.end_live_recordings();
        std::mem::take(&mut self.wire)
    }

    fn end_live_recordings(&mut self) {
        for run in self.live.drain(..) {
            self.wire.push(WireRun { args: run.args, recording: run.recording.finish() });
        }
    }

    /// A recorder, and `env` with its `DATABASE_URL` pointed at it, when that URL
    /// names this check's server (else no recorder); the URL is then spelled out in
    /// its parts too (`client_env`), so the parts name the recorder as well.
    fn recorded(&self, env: &[(&str, &str)]) -> Result<(Option<Recorder>, Env)> {
        let admin = &self.server.admin;
        let mut recorder = None;
        let mut owned = Vec::with_capacity(env.len());
        for (name, value) in env {
            let value = if *name == "DATABASE_URL"
                && crate::wire::names_server(value, &admin.host, admin.port)
            {
                let started = Recorder::start(&admin.host, admin.port, self.sandbox.source)?;
                let url = started.url(value);
                recorder = Some(started);
                url
            } else {
                value.to_string()
            };
            owned.push((name.to_string(), value));
        }
        Ok((recorder, client_env::expand(&borrowed(&owned))))
    }

    fn keep(&mut self, args: &[String], recorder: Option<Recorder>) {
        if let Some(recorder) = recorder {
            self.wire.push(WireRun { args: args.to_vec(), recording: recorder.finish() });
        }
    }

    /// Counts time spent in a background program towards the program's total.
    pub fn add_program_time(&mut self, time: Duration) {
        self.program_time += time;
    }

    /// Time spent in the learner's program so far.
    pub fn program_time(&self) -> Duration {
        self.program_time
    }

    /// Ends the check: drops the sandbox and what it created.
    pub fn finish(mut self) -> Result<()> {
        self.live.clear();
        self.sandbox.remove()
    }
}

/// An environment of owned name and value pairs.
type Env = Vec<(String, String)>;

/// An environment of owned pairs, borrowed as `runner` takes it.
fn borrowed(env: &[(String, String)]) -> Vec<(&str, &str)> {
    env.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sandbox_choice_names_an_exercise_with_a_check() {
        for (name, _) in BY_HAND {
            assert!(for_exercise(name).is_some(), "BY_HAND names {name}, which has no check");
        }
        assert!(matches!(by_hand("10_remote_access"), ByHand::Refused(_)));
        assert!(matches!(by_hand("01_connect"), ByHand::Planted(_)));
    }
}
