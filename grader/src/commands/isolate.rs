//! `grader __isolate`, hidden from help: the supervisor and the init between the
//! grader and a program it runs isolated (see [`crate::isolate`]). The grader starts
//! it; people never do.

use std::process::ExitCode;

use crate::isolate::{supervisor, Mode};

/// Which of the two processes this one is.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    role: Role,
}

#[derive(Debug, clap::Subcommand)]
enum Role {
    /// Enter new namespaces and start the init.
    Supervise {
        /// How the program is isolated.
        #[arg(value_enum)]
        mode: Mode,
    },
    /// The first process of the new namespaces: run the program.
    Init,
}

/// Runs the role `args` names.
pub fn run(args: &Args) -> ExitCode {
    match args.role {
        Role::Supervise { mode } => supervisor::supervise(mode),
        Role::Init => supervisor::init(),
    }
}
