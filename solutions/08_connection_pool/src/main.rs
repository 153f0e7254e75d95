// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol08_connection_pool as ex08_connection_pool;

include!("../../../exercises/08_connection_pool/src/main.rs");
