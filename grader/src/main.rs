//! The `grader` command: see `grader --help`, README.md and ARCHITECTURE.md.

use std::process::ExitCode;

fn main() -> ExitCode {
    grader::cli::main()
}
