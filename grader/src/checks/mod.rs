//! What the grader verifies, one module per exercise. Each check plants data drawn
//! from the run's seed, runs the learner's program, and compares what it printed and
//! did with what the grader reads from the server with its own connection.

pub mod client_env;
mod connect;
mod connection_pool;
mod counters;
mod create_schema;
mod errors;
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

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

pub use expect::{describe_lines, Failure, Problem};

use crate::runner::{self, Limits, Program, RunOutput};
use crate::sandbox::Sandbox;
use crate::server::Server;

/// One exercise's check.
pub trait Check: Sync {
    /// Runs the learner's program (through `cx`) and judges it.
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem>;

    /// Whether the check must have the server to itself, because it reads
    /// server-wide counters (`SHOW GLOBAL STATUS`) that other checks would disturb.
    fn needs_server_alone(&self) -> bool {
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
    program: &'a Program,
    limits: Limits,
    program_time: Duration,
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
        Context { server, sandbox, rng, package_dir, program, limits, program_time: Duration::ZERO }
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
    /// `MYSQL_HOST` and the rest).
    pub fn run_with_env(&mut self, args: &[String], env: &[(&str, &str)]) -> Result<RunOutput> {
        let env = client_env::expand(env);
        let output = runner::run(self.program, args, &borrowed(&env), self.limits)?;
        self.program_time += output.elapsed;
        Ok(output)
    }

    /// Runs the program once per entry of `runs` (its arguments), all at the same
    /// time, each with the sandbox's `DATABASE_URL`; results come in the same order.
    pub fn run_concurrently(&mut self, runs: &[Vec<String>]) -> Result<Vec<RunOutput>> {
        let env = client_env::expand(&[("DATABASE_URL", &self.sandbox.url())]);
        let env = borrowed(&env);
        let (program, limits) = (self.program, self.limits);
        let outputs: Vec<Result<RunOutput>> = std::thread::scope(|scope| {
            let handles: Vec<_> = runs
                .iter()
                .map(|args| {
                    let env = &env;
                    scope.spawn(move || runner::run(program, args, env, limits))
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a run panicked")))
                })
                .collect()
        });
        let outputs = outputs.into_iter().collect::<Result<Vec<_>>>()?;
        self.program_time += outputs.iter().map(|o| o.elapsed).max().unwrap_or_default();
        Ok(outputs)
    }

    /// Starts the program in the background (a server, say) with the sandbox's
    /// `DATABASE_URL`, `args` and extra `env`. Stop it with [`runner::Background::stop`];
    /// dropping the handle kills it.
    pub fn spawn(&mut self, args: &[String], env: &[(&str, &str)]) -> Result<runner::Background> {
        let url = self.sandbox.url();
        let mut all_env = vec![("DATABASE_URL", url.as_str())];
        all_env.extend_from_slice(env);
        let all_env = client_env::expand(&all_env);
        runner::spawn(self.program, args, &borrowed(&all_env), self.limits)
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
    pub fn finish(self) -> Result<()> {
        self.sandbox.remove()
    }
}

/// `env` as the runner takes it.
fn borrowed(env: &[(String, String)]) -> Vec<(&str, &str)> {
    env.iter().map(|(key, value)| (key.as_str(), value.as_str())).collect()
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
