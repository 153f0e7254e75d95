//! `grader sandbox`: a database and an account for one exercise that stay on the
//! persistent server, planted as its check plants them, to run the program by hand
//! (the work is in [`crate::by_hand`]).

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::by_hand;
use crate::checks::{self, client_env, ByHand};
use crate::course::Track;
use crate::output::{notice, print};
use crate::python;
use crate::workspace::Workspace;

/// The examples and exit codes under `sandbox --help`.
pub const HELP: &str = "\
Examples:
  cargo grader server start       first: the sandbox lives on the persistent server
  cargo grader sandbox 06         prints `export DATABASE_URL=mysql://… MYSQL_HOST=…` and how to run 06
  cargo grader sandbox --track python 06    the same, with how to run the Python track's 06
  eval \"$(cargo grader sandbox 06)\"  sets DATABASE_URL in this shell, and runs nothing
  cargo grader sandbox 06 --drop  removes it

The database and account are named grNN_sandbox. Running the command again replaces
them with freshly planted data; `cargo grader reset NN` drops them too.
Exit codes: 0 done, 2 no persistent server, an exercise without a sandbox, or another error.";

/// `grader sandbox`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    track: super::run_options::TrackArg,
    /// The exercise, by number, name or slug.
    #[arg(value_name = "EXERCISE")]
    exercise: String,
    /// Remove the exercise's sandbox instead of creating one.
    #[arg(long)]
    drop: bool,
}

/// Creates (or replaces, or with `--drop` removes) the exercise's standing sandbox on
/// the persistent server, and prints the line to paste and how to run the program.
pub fn run(args: &Args) -> Result<ExitCode> {
    let Workspace { course, paths, .. } = Workspace::find_on(args.track.name())?;
    let exercise = course.select(std::slice::from_ref(&args.exercise))?.remove(0);
    let number = exercise.number().to_string();
    if args.drop {
        let command = format!("cargo grader sandbox {number} --drop");
        let server = by_hand::persistent_server(&paths.server_dir, &command)?;
        let removed = by_hand::remove(&server, &exercise)?;
        print(&if removed == 0 {
            format!(
                "{} had no sandbox on the persistent server: nothing to remove.\n",
                exercise.name
            )
        } else {
            format!(
                "Removed the sandbox {} of {} (its database and account).\n",
                by_hand::name(&exercise),
                exercise.name
            )
        });
        return Ok(ExitCode::SUCCESS);
    }
    let plant = match checks::by_hand(&exercise.name) {
        ByHand::Planted(plant) => plant,
        ByHand::Refused(why) => {
            bail!("{} has no sandbox to run it by hand: {why}", exercise.name)
        }
    };
    let command = format!("cargo grader sandbox {number}");
    let server = by_hand::persistent_server(&paths.server_dir, &command)?;
    let standing = by_hand::create(&server, &exercise, plant)?;
    notice(format!(
        "{} the sandbox {} of {} on the persistent {} server{}: {}.",
        if standing.replaced { "Replaced" } else { "Created" },
        standing.database,
        exercise.name,
        server.backend,
        if standing.replaced { " with freshly planted data" } else { "" },
        standing.holds
    ));
    let program = if exercise.is_python() {
        let main = exercise.dir(Track::Exercises).join("main.py");
        let folder = exercise.track_folder.clone().unwrap_or_default();
        let python = folder.join(python::VENV).join("bin").join("python");
        format!("{} {}", python.display(), main.display())
    } else {
        format!("cargo run -p {} --", exercise.package(Track::Exercises))
    };
    let number = format!("{}{number}", exercise.track_option());
    print(&instructions(&standing, &program, &number));
    Ok(ExitCode::SUCCESS)
}

/// What `sandbox` prints on stdout: the line to paste, then, as shell comments, how
/// to run the program (`program`, the check's arguments after it) and how to remove
/// the sandbox (`number`, with its track). The whole of it may be pasted (or given to
/// `eval`): it sets `DATABASE_URL` and its parts, `MYSQL_HOST` and the rest, as a check
/// does, and runs nothing.
fn instructions(standing: &by_hand::Standing, program: &str, number: &str) -> String {
    let variables: Vec<String> = client_env::for_url(&standing.url)
        .iter()
        .map(|(name, value)| format!("{name}={}", shell_quote(value)))
        .collect();
    let mut text = format!("export {}\n", variables.join(" "));
    text.push_str("# Then run the program by hand with it, as the check does:\n");
    let runs = if standing.runs.is_empty() {
        vec![checks::Run::new(Vec::<String>::new(), String::new())]
    } else {
        standing.runs.clone()
    };
    for run in &runs {
        let mut line = format!("#   {}", program.strip_suffix(" --").unwrap_or(program));
        if !run.args.is_empty() {
            line = format!("#   {program}");
            for arg in &run.args {
                line.push(' ');
                line.push_str(&shell_quote(arg));
            }
        }
        if !run.note.is_empty() {
            line.push_str(&format!("    ({})", run.note));
        }
        let _ = writeln!(text, "{line}");
    }
    let _ = writeln!(
        text,
        "# `cargo grader sandbox {number}` again starts afresh; `cargo grader sandbox {number} --drop` removes it."
    );
    text
}

/// `text` as one word for a POSIX shell: as it is when it holds nothing the shell
/// reads, else in single quotes, or in double quotes when it holds a single quote
/// and nothing double quotes would read.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    if !text.contains(['"', '\\', '$', '`', '!']) {
        return format!("\"{text}\"");
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_for_the_shell_only_as_needed() {
        assert_eq!(shell_quote("42"), "42");
        assert_eq!(shell_quote("Ana Silva"), "'Ana Silva'");
        assert_eq!(shell_quote("' OR '1'='1"), "\"' OR '1'='1\"");
        assert_eq!(shell_quote("\\' OR 1=1 -- "), "'\\'\\'' OR 1=1 -- '");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn the_instructions_can_be_pasted_whole() {
        let standing = by_hand::Standing {
            database: "gr06_sandbox".into(),
            url: "mysql://gr06_sandbox:pw@127.0.0.1:4000/gr06_sandbox".into(),
            holds: String::new(),
            runs: vec![checks::Run::new(["Zoë O'Brien"], "a name")],
            replaced: false,
        };
        assert_eq!(
            instructions(&standing, "cargo run -p ex06_sql_injection --", "06"),
            "export DATABASE_URL=mysql://gr06_sandbox:pw@127.0.0.1:4000/gr06_sandbox MYSQL_HOST=127.0.0.1 MYSQL_PORT=4000 MYSQL_USER=gr06_sandbox MYSQL_PASSWORD=pw MYSQL_DATABASE=gr06_sandbox
# Then run the program by hand with it, as the check does:
#   cargo run -p ex06_sql_injection -- \"Zoë O'Brien\"    (a name)
# `cargo grader sandbox 06` again starts afresh; `cargo grader sandbox 06 --drop` removes it.
"
        );
    }
}
