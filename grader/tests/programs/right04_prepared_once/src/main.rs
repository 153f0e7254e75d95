//! Runs exercise 04's own program with this library.
extern crate right04_prepared_once as ex04_insert_rows;

include!("../../../../../exercises/04_insert_rows/src/main.rs");
