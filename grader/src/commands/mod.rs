//! One module per subcommand: its clap arguments and its `run`. The work itself is
//! in the engine beside (`grade`, `server`, `watch`, `state`, …); a command reads
//! its options, calls the engine, and prints what came of it.

pub mod server;
