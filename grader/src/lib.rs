//! The course's grader: it starts a MySQL server, builds the learner's exercises,
//! runs each one against the server with limits, checks what it printed and what
//! it did to the server, and reports.
//!
//! The binary (`src/main.rs`) only calls [`cli::main`]; everything else lives here
//! so that the benchmark and the tests can drive the same code.

pub mod by_hand;
pub mod checks;
pub mod class;
pub mod cli;
pub mod commands;
pub mod compile;
pub mod config;
pub mod course;
pub mod doctor;
pub mod fnv;
pub mod grade;
pub mod hint;
pub mod isolate;
pub mod lab;
pub mod launch;
pub mod leftovers;
pub mod list;
pub mod netns;
pub mod output;
pub mod plan;
pub mod process;
pub mod python;
pub mod report;
pub mod reset;
pub mod runner;
pub mod sandbox;
pub mod server;
pub mod shutdown;
pub mod spinner;
pub mod state;
pub mod watch;
pub mod wire;
pub mod workspace;
