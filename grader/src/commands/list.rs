//! `grader list`: every exercise in course order, done or not, and the next one to do.

use std::process::ExitCode;

use anyhow::Result;

use super::Format;
use crate::output::print;
use crate::workspace::Workspace;
use crate::{list, reset, state};

/// The examples under `list --help`.
pub const HELP: &str = "\
Examples:
  cargo grader list
  cargo grader list --format json

Your progress is in .grader/progress.json (GRADER_STATE_DIR moves it); every check updates it.";

/// `grader list`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    track: super::run_options::TrackArg,
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Prints the listing; it needs no server.
pub fn run(args: &Args) -> Result<ExitCode> {
    let workspace = Workspace::find_on(args.track.name())?;
    reset::snapshot_if_needed(&workspace.root, &workspace.paths, &workspace.course);
    let progress = state::Progress::load(&workspace.paths.progress)?;
    let untouched =
        list::untouched(&workspace.root, &workspace.paths, &workspace.course, &progress);
    let listing = list::listing(&workspace.course, &progress, &untouched);
    print(&match args.format {
        Format::Human => list::render(&listing, state::now()),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&listing)?),
    });
    Ok(ExitCode::SUCCESS)
}
