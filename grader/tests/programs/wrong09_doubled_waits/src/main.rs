//! Runs exercise 09's own program with this library.
extern crate wrong09_doubled_waits as ex09_errors;

include!("../../../../../exercises/09_errors/src/main.rs");
