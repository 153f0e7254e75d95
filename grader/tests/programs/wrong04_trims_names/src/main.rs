//! Runs exercise 04's own program with this wrong library.
extern crate wrong04_trims_names as ex04_insert_rows;

include!("../../../../../exercises/04_insert_rows/src/main.rs");
