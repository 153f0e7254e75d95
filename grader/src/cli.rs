//! The command line: the top-level parser, its global options, and dispatch to the
//! subcommands in [`crate::commands`].

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::Result;
use clap::{CommandFactory as _, Parser, Subcommand, ValueEnum};

use crate::commands::{
    self, check, completions, config, doctor, grade, hint, isolate, lab, list, reset, sandbox,
    server, watch, wire,
};
use crate::{output, shutdown};

const EXIT_CODES: &str = "\
Start here:
  cargo grader list               where you are, and the next exercise
  cargo grader watch              check each exercise as you save it
  cargo grader doctor             if something does not work

Exit codes (of check):
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
    #[command(after_help = check::HELP)]
    Check(check::Args),
    /// Grade a class: check every submission against one server, and write a gradebook.
    #[command(after_help = grade::HELP)]
    Grade(grade::Args),
    /// Check an exercise each time you save it, and move on when it passes.
    ///
    /// Watches the exercises' folders; on each save, rebuilds and checks only the exercise
    /// that changed, against one server kept up for the whole session (the persistent one if
    /// it is up). While it runs, type h (hint), l (list), c (check again) or q (quit), then Enter.
    #[command(after_help = watch::HELP)]
    Watch(watch::Args),
    /// List the exercises in course order, with your progress and the next one to do.
    #[command(after_help = list::HELP)]
    List(list::Args),
    /// Show an exercise's hints, one more each time you try again (or with --more).
    #[command(after_help = hint::HELP)]
    Hint(hint::Args),
    /// Put an exercise back as it was shipped (your changes to it are lost).
    #[command(after_help = reset::HELP)]
    Reset(reset::Args),
    /// Start, stop or look at a persistent server that check and watch reuse.
    #[command(subcommand, after_help = server::HELP)]
    Server(server::Command),
    /// Show what an exercise's program says to the server: every query, statement and answer.
    #[command(after_help = wire::HELP)]
    Wire(wire::Args),
    /// A database of an exercise's own on the persistent server, to run its program by hand.
    #[command(after_help = sandbox::HELP)]
    Sandbox(sandbox::Args),
    /// Show or change this course's settings: which backend and image check and watch use.
    #[command(subcommand, after_help = config::HELP)]
    Config(config::Command),
    /// Check the two-host lab on your own hosts: from the client host, or `lab probe` from elsewhere.
    #[command(after_help = lab::HELP)]
    Lab(lab::Args),
    /// Look for what could stop the grader from working, and say how to fix it.
    #[command(after_help = doctor::HELP)]
    Doctor(doctor::Args),
    /// Print a shell completion script for the grader's commands.
    #[command(after_help = completions::HELP)]
    Completions(completions::Args),
    /// The supervisor of a program run isolated (the grader starts it itself).
    #[command(name = "__isolate", hide = true)]
    Isolate(isolate::Args),
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
            output::error(format!("{error:#}"));
            ExitCode::from(2)
        }
    };
    shutdown::finish(code)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check(args) => commands::check::run(&args, cli.verbose),
        Command::Grade(args) => commands::grade::run(&args),
        Command::Watch(args) => commands::watch::run(&args),
        Command::List(args) => commands::list::run(&args),
        Command::Hint(args) => commands::hint::run(&args),
        Command::Reset(args) => commands::reset::run(&args),
        Command::Server(command) => commands::server::run(command),
        Command::Wire(args) => commands::wire::run(&args, cli.verbose),
        Command::Sandbox(args) => commands::sandbox::run(&args),
        Command::Config(command) => commands::config::run(command),
        Command::Lab(args) => commands::lab::run(&args),
        Command::Doctor(args) => commands::doctor::run(&args),
        Command::Completions(args) => commands::completions::run(&args, Cli::command()),
        Command::Isolate(args) => Ok(commands::isolate::run(&args)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
