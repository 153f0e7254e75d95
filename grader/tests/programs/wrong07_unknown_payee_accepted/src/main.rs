//! Runs exercise 07's own program with this wrong library.
extern crate wrong07_unknown_payee_accepted as ex07_transactions;

include!("../../../../../exercises/07_transactions/src/main.rs");
