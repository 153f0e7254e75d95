//! Runs exercise 05's own program with this library.
extern crate right05_prepared_iter as ex05_query_rows;

include!("../../../../../exercises/05_query_rows/src/main.rs");
