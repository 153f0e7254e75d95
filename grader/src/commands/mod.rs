//! One module per subcommand: its clap arguments, its help's examples, and its
//! `run`. The work itself is in the engine beside (`plan`, `launch`, `grade`,
//! `server`, `watch`, `state`, …): a command reads its options, calls the engine,
//! and prints what came of it through [`crate::output`].

pub mod check;
pub mod completions;
pub mod config;
pub mod doctor;
pub mod grade;
pub mod hint;
pub mod isolate;
pub mod lab;
pub mod list;
pub mod reset;
pub mod run_options;
pub mod sandbox;
pub mod server;
pub mod watch;
pub mod wire;

/// How a command reports: for people, or JSON for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Coloured lines for people.
    Human,
    /// JSON on stdout.
    Json,
}
