// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol12_second_client as ex12_second_client;

include!("../../../exercises/12_second_client/src/main.rs");
