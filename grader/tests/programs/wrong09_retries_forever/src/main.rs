//! Runs exercise 09's own program with this wrong library.
extern crate wrong09_retries_forever as ex09_errors;

include!("../../../../../exercises/09_errors/src/main.rs");
