//! What the grader verifies, one module per exercise. Each check plants data drawn
//! from the run's seed, runs the learner's program, and compares what it printed and
//! did with what the grader reads from the server with its own connection.

mod connect;
mod expect;
mod show_databases;

use std::path::Path;
use std::time::Duration;

use anyhow::Result;

pub use expect::{describe_lines, Failure, Problem};

use crate::runner::{self, Limits, RunOutput};
use crate::sandbox::Sandbox;
use crate::server::Server;

/// One exercise's check.
pub trait Check: Sync {
    /// Runs the learner's program (through `cx`) and judges it.
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem>;
}

/// The check of the exercise named `name` (`NN_slug`), if the grader has one.
pub fn for_exercise(name: &str) -> Option<&'static dyn Check> {
    Some(match name {
        "01_connect" => &connect::Connect,
        "02_show_databases" => &show_databases::ShowDatabases,
        _ => return None,
    })
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
    program: &'a Path,
    limits: Limits,
    program_time: Duration,
}

impl<'a> Context<'a> {
    /// A context for running `program` under `limits`, with a fresh sandbox.
    pub fn new(
        server: &'a Server,
        sandbox: Sandbox<'a>,
        program: &'a Path,
        limits: Limits,
        rng: fastrand::Rng,
    ) -> Self {
        Context { server, sandbox, rng, program, limits, program_time: Duration::ZERO }
    }

    /// Runs the program with the sandbox's `DATABASE_URL` and `args`.
    pub fn run(&mut self, args: &[String]) -> Result<RunOutput> {
        let url = self.sandbox.url();
        self.run_with_url(&url, args)
    }

    /// Runs the program with `DATABASE_URL` set to `url` and `args`.
    pub fn run_with_url(&mut self, url: &str, args: &[String]) -> Result<RunOutput> {
        let output = runner::run(self.program, args, &[("DATABASE_URL", url)], self.limits)?;
        self.program_time += output.elapsed;
        Ok(output)
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
