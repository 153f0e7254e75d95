//! `grader completions`: a shell completion script for the grader's commands.

use std::process::ExitCode;

use anyhow::Result;

use crate::output::print;

/// The examples under `completions --help`.
pub const HELP: &str = "\
Examples:
  cargo grader completions bash > ~/.local/share/bash-completion/completions/grader
  source <(cargo grader completions bash) && alias grader='cargo grader'
  cargo grader completions zsh > ~/.zfunc/_grader

The script completes the command `grader`: install the binary (cargo install --path grader)
or define the alias above.";

/// `grader completions`' options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the script that completes `command` (the grader's whole command line).
pub fn run(args: &Args, mut command: clap::Command) -> Result<ExitCode> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "grader", &mut script);
    print(&String::from_utf8_lossy(&script));
    Ok(ExitCode::SUCCESS)
}
