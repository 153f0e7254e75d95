//! `cargo xtask`: the kit's own chores (see `cargo xtask --help`).

use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{Parser, Subcommand};
use xtask::new_exercise::{self, NewExercise, BLANK};
use xtask::sync_book::{self, Source};
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
    /// Write classroom/classroom.yml, the GitHub Classroom workflow, from course.toml (a test
    /// per exercise, worth its points).
    #[command(
        after_help = "Example:\n  cargo xtask classroom    # after changing an exercise's points"
    )]
    Classroom,
    /// Say where course.toml and an exercise's other places disagree, or the book's copies
    /// of exercise files and the files as committed (exit code 1 if they do).
    Check,
    /// Copy the exercise files the chapters include into book/shipped/, as committed in git
    /// (HEAD), and point the chapters' includes at the copies.
    #[command(
        after_help = "The book includes these copies, not the exercises themselves, so a learner's edits\n\
                      never show in it. Without git, or for a file git has no version of yet, the\n\
                      file in the working tree is copied.\n\n\
                      Examples:\n  cargo xtask sync-book                  # after committing a change to a stub\n  \
                      cargo xtask sync-book --working-tree   # to commit the stub and its copy together"
    )]
    SyncBook {
        /// Copy the exercise files as they are in the working tree, uncommitted changes
        /// included (for a contributor changing a stub; never for a learner's work).
        #[arg(long)]
        working_tree: bool,
    },
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
                 [package.metadata.grader] exercise and says; then `cargo xtask sync-book` (the book\n\
                 shows copies of the stub and scaffold) and `cargo test --workspace`.",
                exercise.number()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Classroom => {
            let course = grader::course::Course::load(&root)?;
            let path = root.join(xtask::classroom::PATH);
            std::fs::write(&path, xtask::classroom::workflow(&course))
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("Wrote {}", xtask::classroom::PATH);
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let problems =
                guard::problems(&root, &|name| grader::checks::for_exercise(name).is_some())?;
            if problems.is_empty() {
                println!("Every exercise is in all its places, and the book's copies of exercise files are as committed.");
                return Ok(ExitCode::SUCCESS);
            }
            for problem in &problems {
                println!("{problem}");
            }
            Ok(ExitCode::FAILURE)
        }
        Command::SyncBook { working_tree } => {
            let source = if working_tree { Source::WorkingTree } else { Source::Committed };
            let synced = sync_book::sync(&root, source)?;
            let dir = sync_book::copies_dir();
            for chapter in &synced.chapters {
                println!("Pointed the includes of {} at the copies.", chapter.display());
            }
            for copy in &synced.written {
                println!("Wrote {}", copy.display());
            }
            for copy in &synced.removed {
                println!("Removed {} (no chapter includes it)", copy.display());
            }
            let from = match source {
                Source::Committed => {
                    "as committed in git (HEAD), or in the working tree where git has none"
                }
                Source::WorkingTree => "as they are in the working tree",
            };
            if synced.chapters.is_empty() && synced.written.is_empty() && synced.removed.is_empty()
            {
                println!(
                    "The copies in {} were up to date: {} exercise files, {from}.",
                    dir.display(),
                    synced.unchanged
                );
            } else {
                println!(
                    "The copies in {} are the exercise files {from} ({} written, {} already right); commit them with the exercises.",
                    dir.display(),
                    synced.written.len(),
                    synced.unchanged
                );
            }
            for note in &synced.notes {
                println!("note: {note}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
