//! Runs exercise 07's own program with this library.
extern crate right07_sql_text_transaction as ex07_transactions;

include!("../../../../../exercises/07_transactions/src/main.rs");
