//! Runs exercise 09's own program with this wrong library.
extern crate wrong09_retries_without_waiting as ex09_errors;

include!("../../../../../exercises/09_errors/src/main.rs");
