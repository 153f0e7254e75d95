// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol09_errors as ex09_errors;

include!("../../../exercises/09_errors/src/main.rs");
