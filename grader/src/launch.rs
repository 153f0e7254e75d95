//! Getting a check going: the server is decided and started (or reached) on one
//! thread while cargo builds the programs on another, each behind a spinner of its
//! own that says which step it is in. When no server can be had, the build is
//! stopped at once: the error does not wait for minutes of compiling.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::compile::{self, Build, Stopper};
use crate::server::{persistent, Server, ServerSettings};
use crate::spinner::Spinners;

/// What came of starting the server and building the programs.
#[derive(Debug)]
pub struct Launched {
    /// The server, or why there is none.
    pub server: Result<Server>,
    /// The programs that built and the compile errors of those that did not, or why
    /// cargo could not build at all (or was stopped, when there is no server).
    pub build: Result<Build>,
    /// How long the build took.
    pub build_time: Duration,
}

/// Starts the server `settings` ask for (the persistent one in `server_dir` if it is
/// up and fits) while `packages` of the workspace at `root` build. With `verbose`,
/// cargo's own output is shown.
pub fn server_and_build(
    settings: &ServerSettings,
    server_dir: &Path,
    root: &Path,
    packages: &[String],
    spinners: &Spinners,
    verbose: bool,
) -> Launched {
    let stopper = Stopper::default();
    std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let spinner = spinners.spinner("Looking for a MySQL server…");
            let server = persistent::server_for(settings, server_dir, &spinner);
            if server.is_err() {
                stopper.stop();
            }
            server
        });
        let started = Instant::now();
        let build = {
            let building = format!("Building {}", count(packages.len(), "program"));
            let spinner = spinners.spinner(format!("{building}…"));
            let progress = |compiled: usize| {
                spinner.set_message(format!("{building} ({} compiled)…", count(compiled, "crate")));
            };
            compile::build(root, packages, verbose, &progress, &stopper)
        };
        let build_time = started.elapsed();
        let server = server.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Launched { server, build, build_time }
    })
}

/// "1 program", "12 programs".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_well() {
        assert_eq!(count(1, "program"), "1 program");
        assert_eq!(count(12, "exercise"), "12 exercises");
    }
}
