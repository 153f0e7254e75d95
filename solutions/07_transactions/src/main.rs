// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol07_transactions as ex07_transactions;

include!("../../../exercises/07_transactions/src/main.rs");
