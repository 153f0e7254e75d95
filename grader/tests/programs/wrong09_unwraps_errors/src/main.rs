//! Runs exercise 09's own program with this wrong library.
extern crate wrong09_unwraps_errors as ex09_errors;

include!("../../../../../exercises/09_errors/src/main.rs");
