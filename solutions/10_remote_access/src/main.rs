// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol10_remote_access as ex10_remote_access;

include!("../../../exercises/10_remote_access/src/main.rs");
