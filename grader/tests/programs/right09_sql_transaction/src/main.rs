//! Runs exercise 09's own program with this library.
extern crate right09_sql_transaction as ex09_errors;

include!("../../../../../exercises/09_errors/src/main.rs");
