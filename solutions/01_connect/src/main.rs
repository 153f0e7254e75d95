// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol01_connect as ex01_connect;

include!("../../../exercises/01_connect/src/main.rs");
