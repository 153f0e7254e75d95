//! `grader wire`: checks one exercise as `check` does, then prints what its program
//! said to the server on every run, packet exchange by packet exchange, and the
//! verdict.

use std::process::ExitCode;

use anyhow::{bail, Result};
use colored::Colorize as _;
use serde::Serialize;

use super::check::{prepare, Ready};
use super::run_options::RunOptions;
use super::Format;
use crate::checks::WireRun;
use crate::grade::{self, ExerciseResult, Status};
use crate::output::print;
use crate::report;
use crate::wire::{self, Connection, Line};

/// The examples and exit codes under `wire --help`.
pub const HELP: &str = "\
Examples:
  cargo grader wire 06                 what your exercise 06 sends, run as its check runs it
  cargo grader wire 06 --solutions     the same for the reference solution
  cargo grader wire 04 --format json   the same events as JSON (schema in README.md)

Lines starting with → are what the program sent, ← what the server answered. The
grader relays every connection through a recorder on a loopback port; it hides the
server's offer of TLS, so the conversation can be read.

Exit codes:
  0    the exercise's check passed (or cannot run on this backend: skipped)
  1    it failed, is not implemented yet or does not compile
  2    the grader could not do its job";

/// The version of `wire --format json`'s document.
pub const WIRE_SCHEMA_VERSION: u32 = 1;

/// `grader wire`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    run: RunOptions,
    /// Record the reference solution instead of your exercise.
    #[arg(long)]
    solutions: bool,
    /// For people, or JSON for scripts (schema in README.md).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// The JSON document `wire --format json` prints.
#[derive(Debug, Serialize)]
struct Document<'a> {
    schema_version: u32,
    exercise: &'a str,
    seed: u64,
    status: Status,
    message: Option<&'a str>,
    runs: Vec<RunDocument<'a>>,
}

#[derive(Debug, Serialize)]
struct RunDocument<'a> {
    args: &'a [String],
    connections: &'a [Connection],
}

/// Checks the one exercise `args` names and prints its conversations.
pub fn run(args: &Args, verbose: bool) -> Result<ExitCode> {
    if args.run.exercises.len() != 1 {
        bail!(
            "wire shows one exercise at a time, and {} were named: name one, such as `cargo grader wire 06`",
            args.run.exercises.len()
        );
    }
    let Ready { plan, server, build, .. } =
        prepare(&args.run, args.solutions, args.format == Format::Human, verbose)?;
    let results = grade::check_all(&server, &build, &plan, &|_: &ExerciseResult| {});
    let Some(result) = results.first() else { bail!("the plan checked nothing") };
    match args.format {
        Format::Human => print(&render(result, plan.seed)),
        Format::Json => {
            let document = Document {
                schema_version: WIRE_SCHEMA_VERSION,
                exercise: &result.name,
                seed: plan.seed,
                status: result.status,
                message: result.message.as_deref(),
                runs: result
                    .wire
                    .iter()
                    .map(|run| RunDocument {
                        args: &run.args,
                        connections: &run.recording.connections,
                    })
                    .collect(),
            };
            print(&format!("{}\n", serde_json::to_string_pretty(&document)?));
        }
    }
    Ok(match result.status {
        Status::Passed | Status::Skipped => ExitCode::SUCCESS,
        Status::Error => ExitCode::from(2),
        _ => ExitCode::from(1),
    })
}

/// The conversations of every run, then the verdict, for people.
fn render(result: &ExerciseResult, seed: u64) -> String {
    let mut out = format!(
        "What {} said to the server, run by run (→ sent, ← answered; seed {seed}):\n",
        result.name
    );
    if result.wire.is_empty() {
        out += "\nIt never reached the server: it did not build, or stopped before connecting.\n";
    }
    for (number, run) in result.wire.iter().enumerate() {
        out += &render_run(number + 1, run);
    }
    out += "\n";
    out += &report::human::render_result(result, result.name.len());
    out
}

fn render_run(number: usize, run: &WireRun) -> String {
    let args = if run.args.is_empty() {
        "no arguments".to_string()
    } else {
        run.args.iter().map(|arg| format!("{arg:?}")).collect::<Vec<_>>().join(" ")
    };
    let mut out = format!("\n{}\n", format!("Run {number}: {args}").bold());
    if run.recording.connections.is_empty() {
        out += "  no connection to the server\n";
    }
    for line in wire::lines(&run.recording) {
        out += &match line {
            Line::Connection(text) => format!("  {}\n", text.underline()),
            Line::Sent(text) => format!("    {} {text}\n", "→".cyan()),
            Line::Answered(text) => format!("    {} {text}\n", "←".green()),
            Line::Note(text) => format!("      {}\n", format!("({text})").dimmed()),
        };
    }
    out
}
