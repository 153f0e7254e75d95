//! `grader watch`: check an exercise each time it is saved, and move on when it passes.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::Result;

use super::run_options::RunOptions;
use super::Format;
use crate::plan::Plan;
use crate::watch;
use crate::workspace::Workspace;

/// The examples and exit codes under `watch --help`.
pub const HELP: &str = "\
Examples:
  cargo grader watch              every exercise, starting with the next one to do
  cargo grader watch 03 04        only these two
  cargo grader server start && cargo grader watch    checks begin without a server's start

Exit codes: 0 after q, 2 if it cannot start (bad arguments), 130 after Ctrl-C.";

/// `grader watch`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    run: RunOptions,
    /// For people, or JSON for scripts: one event per line.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs a watch session until `q` or Ctrl-C.
pub fn run(args: &Args) -> Result<ExitCode> {
    let workspace = Workspace::find_on(args.run.track.name())?;
    let plan = Plan::new(&workspace.course, &args.run.request(false, &workspace.root))?;
    let options = watch::Options {
        settings: args.run.server.settings(&workspace.paths.config)?,
        json: args.format == Format::Json,
        seed: args.run.seed,
        workspace,
        plan,
    };
    watch::run(options, std::io::stdout().is_terminal())
}
