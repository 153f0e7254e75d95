//! `grader reset`: an exercise back as it was shipped, after the learner confirms.

use std::process::ExitCode;

use anyhow::Result;
use colored::Colorize as _;

use crate::course::Track;
use crate::output::{notice, print};
use crate::server::persistent;
use crate::workspace::Workspace;
use crate::{reset, state};

/// The examples and exit codes under `reset --help`.
pub const HELP: &str = "\
Examples:
  cargo grader reset 02           asks before it overwrites anything
  cargo grader reset 02 --yes
  cargo grader reset 02 --from origin/main    if you committed your work

The shipped version comes from git (HEAD, or --from), else from the copy the grader took
when it first ran here. Files you added are kept. Its progress and hints are forgotten,
and what its checks left on the persistent server is dropped.
Exit codes: 0 reset, 1 not confirmed, 2 the grader could not do it.";

/// `grader reset`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    track: super::run_options::TrackArg,
    /// The exercise to reset, by number, name or slug.
    #[arg(value_name = "EXERCISE")]
    exercise: String,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    yes: bool,
    /// The git revision that holds the shipped version (default HEAD).
    #[arg(long, value_name = "REVISION")]
    from: Option<String>,
}

/// Restores the exercise's files, forgets its progress and drops its leftovers on
/// the persistent server.
pub fn run(args: &Args) -> Result<ExitCode> {
    let Workspace { root, course, paths } = Workspace::find_on(args.track.name())?;
    let exercise = course.select(std::slice::from_ref(&args.exercise))?.remove(0);
    let shipped = reset::shipped(&root, &paths, &exercise, args.from.as_deref())?;
    let dir = root.join(exercise.dir(Track::Exercises));
    let changes = reset::compare(&dir, &shipped);
    if !changes.is_empty() && !args.yes {
        notice(format!(
            "{} differs from its shipped version ({}):\n{}",
            dir.display(),
            shipped.source,
            reset::describe(&changes, false)
        ));
        if !reset::confirm(&format!("Reset {}", exercise.name))? {
            print("Nothing was changed.\n");
            return Ok(ExitCode::FAILURE);
        }
    }
    reset::restore(&dir, &shipped)?;
    state::update(&paths.progress, |progress| progress.forget(&exercise.name))?;
    let dropped = persistent::drop_sandboxes(&paths.server_dir, exercise.number())?;
    let mut text = if changes.is_empty() {
        format!("{} was as shipped already ({}).\n", exercise.name.bold(), shipped.source)
    } else {
        format!(
            "{} {} is back as shipped ({}):\n{}\n",
            "Reset".green().bold(),
            exercise.name.bold(),
            shipped.source,
            reset::describe(&changes, true)
        )
    };
    text.push_str("Its progress and hints are forgotten.");
    if let Some(count) = dropped {
        text.push_str(&format!(
            " The persistent server had {count} leftovers of its checks; they are dropped."
        ));
    }
    text.push('\n');
    print(&text);
    Ok(ExitCode::SUCCESS)
}
