// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol@NAME@ as ex@NAME@;

include!("../../../exercises/@NAME@/src/main.rs");
