//! Runs exercise 04's own program with this library.
extern crate right04_sql_text_transaction as ex04_insert_rows;

include!("../../../../../exercises/04_insert_rows/src/main.rs");
