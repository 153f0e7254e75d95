//! Runs exercise 07's own program with this library.
extern crate right07_two_locks_in_id_order as ex07_transactions;

include!("../../../../../exercises/07_transactions/src/main.rs");
