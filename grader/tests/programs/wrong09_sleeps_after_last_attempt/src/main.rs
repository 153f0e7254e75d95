//! Runs exercise 09's own program with this library.
extern crate wrong09_sleeps_after_last_attempt as ex09_errors;

include!("../../../../../exercises/09_errors/src/main.rs");
