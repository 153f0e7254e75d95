//! `grader check`: build the chosen exercises while a server starts, check each one
//! against it, report, and record the learner's progress.

use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context as _, Result};

use super::run_options::RunOptions;
use crate::grade::{self, ExerciseResult};
use crate::launch::{self, count};
use crate::output::{notice, print, warning};
use crate::plan::Plan;
use crate::report::{self, Report, Timings, SCHEMA_VERSION};
use crate::spinner::Spinners;
use crate::workspace::Workspace;
use crate::{reset, shutdown, state};

/// The examples and exit codes under `check --help`.
pub const HELP: &str = "\
Examples:
  cargo grader check              every exercise
  cargo grader check 02           one exercise
  cargo grader check --format json --backend local
  cargo grader check 03 --format junit > junit.xml      for a CI's test report
  cargo grader check --format gradescope > /autograder/results/results.json
  cargo grader check --track python 02        the Python track's exercise 02
  cargo grader check 02 --cmd \"python3 my02.py\"   your own program, in any language

Exit codes:
  0    every exercise checked passed
  1    some exercise failed, is not implemented yet or does not compile
  2    the grader could not do its job (bad arguments, no server, a lost server)
  130  interrupted (Ctrl-C or SIGTERM); the server and programs were stopped";

/// `grader check`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    run: RunOptions,
    /// Check the reference solutions instead of your exercises.
    #[arg(long)]
    solutions: bool,
    /// For people; JSON for scripts (schema in README.md); JUnit XML or Gradescope's
    /// results.json for grading systems, each exercise scored out of its points in course.toml.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

/// How `check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Coloured lines for people.
    Human,
    /// One JSON document on stdout.
    Json,
    /// JUnit XML on stdout: a test case per exercise.
    Junit,
    /// Gradescope's results.json on stdout: a test per exercise, with its points.
    Gradescope,
}

/// A plan made, its programs built and a server up for it.
pub(super) struct Ready {
    pub workspace: Workspace,
    pub plan: Plan,
    pub server: crate::server::Server,
    pub build: crate::compile::Build,
    pub build_time: std::time::Duration,
    pub spinners: Spinners,
}

/// Makes the plan `run` asks for, and builds its programs while a server starts
/// (behind spinners if the report is for people, `human`).
pub(super) fn prepare(
    run: &RunOptions,
    solutions: bool,
    human: bool,
    verbose: bool,
) -> Result<Ready> {
    shutdown::install_handler()?;
    let workspace = Workspace::find_on(run.track.name())?;
    let plan = Plan::new(&workspace.course, &run.request(solutions, &workspace.root))?;
    let settings = run.server.settings(&workspace.paths.config)?;
    reset::snapshot_if_needed(&workspace.root, &workspace.paths, &workspace.course);
    let spinners = Spinners::new(human && std::io::stderr().is_terminal() && !verbose);

    let launched = launch::server_and_build(
        &settings,
        &workspace.paths.server_dir,
        &workspace.root,
        &plan.packages_to_build(),
        &spinners,
        verbose,
    );
    let server = match settings.server_url {
        // The server is the user's own: reaching it is what failed, not starting one.
        Some(_) => launched.server?,
        None => launched.server.context("cannot start a MySQL server")?,
    };
    let build = launched.build?;
    if verbose {
        notice(format!(
            "server: {} backend, {:?}, {}",
            server.backend, server.admin, server.version
        ));
    }
    Ok(Ready { workspace, plan, server, build, build_time: launched.build_time, spinners })
}

/// Checks the exercises `args` name and reports; the exit code says how it went.
pub fn run(args: &Args, verbose: bool) -> Result<ExitCode> {
    let Ready { workspace, plan, server, build, build_time, spinners } =
        prepare(&args.run, args.solutions, args.format == ReportFormat::Human, verbose)?;

    let started = Instant::now();
    let results = {
        let total = plan.items.len();
        let done = AtomicUsize::new(0);
        let spinner = spinners.spinner(format!("Checking {}…", count(total, "exercise")));
        let on_done = |_: &ExerciseResult| {
            let done = done.fetch_add(1, Ordering::Relaxed) + 1;
            spinner.set_message(format!("Checking… {done} of {total} done"));
        };
        grade::check_all(&server, &build, &plan, &on_done)
    };
    let report = Report {
        schema_version: SCHEMA_VERSION,
        seed: plan.seed,
        track: if args.solutions { "solutions" } else { "exercises" },
        language: match (&args.run.command, args.run.track.name()) {
            (Some(_), _) => "command",
            (None, Some("python")) => "python",
            (None, _) => "rust",
        },
        backend: server.backend,
        server_version: server.version.clone(),
        exercises: results,
        timings: Timings {
            server_start: server.start_time,
            build: build_time,
            checks: started.elapsed(),
        },
    };
    print(&match args.format {
        ReportFormat::Human => report::human::render(&report),
        ReportFormat::Json => report::json::render(&report),
        ReportFormat::Junit => report::junit::render(&report, &workspace.course, report.track),
        ReportFormat::Gradescope => report::gradescope::render(&report, &workspace.course),
    });
    let own: Vec<ExerciseResult> = report
        .exercises
        .iter()
        .filter(|result| plan.is_learners_own(&result.name))
        .cloned()
        .collect();
    if !own.is_empty() {
        if let Err(error) = state::record(&workspace.paths.progress, &own) {
            warning(format!("your progress was not saved: {error:#}"));
        }
    }
    Ok(report.exit_code())
}
