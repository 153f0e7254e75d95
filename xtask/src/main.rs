//! `cargo xtask`: the kit's own chores (see `cargo xtask --help`).

use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use xtask::new_exercise::{self, NewExercise, BLANK};
use xtask::{guard, workspace_root};

/// The kit's own chores, for its contributors.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make a new exercise in every place it lives: course.toml, its crate, its solution,
    /// its check, its chapter, SUMMARY.md and the introduction's table.
    #[command(
        after_help = "Example:\n  cargo xtask new-exercise 13_stored_procedures \"Call a stored procedure\""
    )]
    NewExercise {
        /// NN_slug: its number and a slug of lower-case words joined by _.
        name: String,
        /// One line that says what it is about.
        title: String,
    },
    /// Say where course.toml and an exercise's other places disagree (exit code 1 if they do).
    Check,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let root = workspace_root(&std::env::current_dir().context("cannot read the current folder")?)?;
    match cli.command {
        Command::NewExercise { name, title } => {
            let exercise = NewExercise::parse(&name, &title)?;
            let written = new_exercise::create(&root, &exercise)?;
            println!("Made exercise {name}:");
            for path in written {
                println!("  {}", path.display());
            }
            println!(
                "\nAs made it asks for the server's version, and its solution passes. Now fill the blanks\n\
                 marked {BLANK} (`grep -rn '{BLANK}' .`): the task and its stub, the solution, the check,\n\
                 the chapter, the hints; add wrong programs under grader/tests/programs/wrong{}_*, each with\n\
                 [package.metadata.grader] exercise and says; then `cargo test --workspace`.",
                exercise.number()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let problems =
                guard::problems(&root, &|name| grader::checks::for_exercise(name).is_some())?;
            if problems.is_empty() {
                println!("Every exercise is in all its places.");
                return Ok(ExitCode::SUCCESS);
            }
            for problem in &problems {
                println!("{problem}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
