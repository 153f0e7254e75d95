//! The command line: `grader check` and `grader list`, their options, and exit codes.

use std::collections::HashMap;
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use colored::Colorize as _;

use crate::course::{self, Course, Track};
use crate::grade::{self, ExerciseResult, Plan};
use crate::progress::Progress;
use crate::report::{self, Report, Timings, SCHEMA_VERSION};
use crate::server::{docker, external, BackendChoice, Server, ServerSettings, DEFAULT_IMAGE};
use crate::{compile, shutdown};

const EXIT_CODES: &str = "\
Exit codes:
  0    every exercise checked passed
  1    some exercise failed, is not implemented yet or does not compile
  2    the grader could not do its job (bad arguments, no server, a lost server)
  130  interrupted (Ctrl-C or SIGTERM); the server and programs were stopped";

/// Checks your exercises against a real MySQL server and says what to fix.
#[derive(Debug, Parser)]
#[command(name = "grader", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour the output; NO_COLOR in the environment also turns colour off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    /// Show more: cargo's own output while building, and the server the grader uses.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build exercises, run each against a MySQL server, and report.
    ///
    /// Examples:
    ///   cargo grader check              every exercise
    ///   cargo grader check 02           one exercise
    ///   cargo grader check --format json --backend local
    #[command(after_help = EXIT_CODES, verbatim_doc_comment)]
    Check(CheckArgs),
    /// List the exercises in course order.
    List,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Exercises to check, by number (02), name (02_show_databases) or slug (show_databases); all if none.
    #[arg(value_name = "EXERCISE")]
    exercises: Vec<String>,
    /// Check the reference solutions instead of your exercises.
    #[arg(long)]
    solutions: bool,
    /// Where the MySQL server comes from.
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto, env = "GRADER_BACKEND")]
    backend: BackendChoice,
    /// An existing server to check against, as mysql://USER:PASSWORD@HOST:PORT; the account must be able to
    /// create databases and users.
    #[arg(long, value_name = "URL", env = "GRADER_SERVER", hide_env_values = true)]
    server: Option<String>,
    /// The image the docker backend starts (the offline one is mysql-course/server:offline).
    #[arg(long, value_name = "IMAGE", env = docker::IMAGE_ENV, default_value = DEFAULT_IMAGE)]
    image: String,
    /// How to report: for people, or one JSON document for scripts (schema in README.md).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Draw the checks' random data from this seed, to replay an earlier run.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Stop each run of a program after this many seconds, instead of the exercise's own limit.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Check another package of the workspace in an exercise's place (the kit's own tests use it).
    #[arg(long = "program", value_name = "EXERCISE=PACKAGE", hide = true)]
    programs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Coloured lines for people.
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Runs the grader with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    colored::control::set_override(match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
        }
    });
    let code = match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{} {error:#}", "error:".red().bold());
            ExitCode::from(2)
        }
    };
    shutdown::finish(code)
}

/// Writes `text` to stdout; a closed pipe (`grader list | head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check(args, cli.verbose),
        Command::List => list(),
    }
}

fn list() -> Result<ExitCode> {
    let course = Course::load(&course::find_root()?)?;
    let width = course.exercises.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let lines: String = course
        .exercises
        .iter()
        .map(|exercise| format!("{:width$}  {}\n", exercise.name.bold(), exercise.title))
        .collect();
    print(&lines);
    Ok(ExitCode::SUCCESS)
}

fn check(args: CheckArgs, verbose: bool) -> Result<ExitCode> {
    shutdown::install_handler()?;
    let root = course::find_root()?;
    let course = Course::load(&root)?;
    let exercises = course.select(&args.exercises)?;
    let overrides = parse_overrides(&args.programs, &course)?;
    if let Some(url) = &args.server {
        external::parse(url)?;
    }
    let track = if args.solutions { Track::Solutions } else { Track::Exercises };
    let items: Vec<_> = exercises
        .into_iter()
        .map(|exercise| {
            let package =
                overrides.get(&exercise.name).cloned().unwrap_or_else(|| exercise.package(track));
            (exercise, package)
        })
        .collect();
    let plan = Plan {
        items,
        seed: args.seed.unwrap_or_else(|| fastrand::u64(..1_000_000)),
        timeout: args.timeout.map(Duration::from_secs),
    };
    let settings = ServerSettings {
        backend: args.backend,
        server_url: args.server.clone(),
        image: args.image.clone(),
    };
    let progress =
        Progress::new(args.format == Format::Human && std::io::stderr().is_terminal() && !verbose);

    let packages: Vec<String> = plan.items.iter().map(|(_, package)| package.clone()).collect();
    let (server, (build, build_time)) = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let _spinner = progress.spinner("Starting a MySQL server…");
            Server::start(&settings)
        });
        let started = Instant::now();
        let build = {
            let count = packages.len();
            let _spinner = progress
                .spinner(format!("Building {count} program{}…", if count == 1 { "" } else { "s" }));
            compile::build(&root, &packages, verbose)
        };
        let build_time = started.elapsed();
        let server = server.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (server, (build, build_time))
    });
    let server = server.context("cannot start a MySQL server")?;
    let build = build?;
    if verbose {
        eprintln!("server: {} backend, {:?}, {}", server.backend, server.admin, server.version);
    }

    let started = Instant::now();
    let results = {
        let total = plan.items.len();
        let done = AtomicUsize::new(0);
        let spinner = progress
            .spinner(format!("Checking {total} exercise{}…", if total == 1 { "" } else { "s" }));
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
        Format::Human => report::human::render(&report),
        Format::Json => report::json::render(&report),
    });
    Ok(report.exit_code())
}

/// Reads the hidden `--program EXERCISE=PACKAGE` options.
fn parse_overrides(specs: &[String], course: &Course) -> Result<HashMap<String, String>> {
    specs
        .iter()
        .map(|spec| {
            let Some((exercise, package)) = spec.split_once('=') else {
                bail!("--program {spec:?} is not EXERCISE=PACKAGE");
            };
            let [exercise] = &course.select(&[exercise.to_string()])?[..] else {
                bail!("--program {spec:?} names more than one exercise");
            };
            Ok((exercise.name.clone(), package.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_documents_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("2    the grader could not do its job"), "{help}");
    }
}
