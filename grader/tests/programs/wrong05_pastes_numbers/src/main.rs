//! Runs exercise 05's own program with this wrong library.
extern crate wrong05_pastes_numbers as ex05_query_rows;

include!("../../../../../exercises/05_query_rows/src/main.rs");
