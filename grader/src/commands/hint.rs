//! `grader hint`: the next hint of an exercise (the next one to do if none is named).

use std::process::ExitCode;

use anyhow::Result;

use crate::output::print;
use crate::workspace::Workspace;
use crate::{hint, state};

/// The examples and exit codes under `hint --help`.
pub const HELP: &str = "\
Examples:
  cargo grader hint               the exercise to do next
  cargo grader hint 02            the first hint of 02, or the next one after you tried again
  cargo grader hint 02 --more     one more hint right now

Exit codes: 0, or 2 for an unknown exercise (the valid names are listed).";

/// `grader hint`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    track: super::run_options::TrackArg,
    /// The exercise, by number, name or slug; the next one to do if none.
    #[arg(value_name = "EXERCISE")]
    exercise: Option<String>,
    /// Show one more hint now, without trying again first.
    #[arg(long)]
    more: bool,
}

/// Shows the hints and records how many were seen.
pub fn run(args: &Args) -> Result<ExitCode> {
    let Workspace { course, paths, .. } = Workspace::find_on(args.track.name())?;
    let exercise = match &args.exercise {
        Some(query) => course.select(std::slice::from_ref(query))?.remove(0),
        None => {
            let progress = state::Progress::load(&paths.progress)?;
            let Some(next) = progress.next_to_do(&course.exercises) else {
                print("Every exercise is done: no hint needed. `cargo grader hint NN` shows an exercise's hints.\n");
                return Ok(ExitCode::SUCCESS);
            };
            next.clone()
        }
    };
    let hints = hint::take_and_record(&paths.progress, &exercise, args.more)?;
    print(&hint::render(&hints, hint::AskedIn::Command));
    Ok(ExitCode::SUCCESS)
}
