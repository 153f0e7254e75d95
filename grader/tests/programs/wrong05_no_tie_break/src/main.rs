//! Runs exercise 05's own program with this library.
extern crate wrong05_no_tie_break as ex05_query_rows;

include!("../../../../../exercises/05_query_rows/src/main.rs");
