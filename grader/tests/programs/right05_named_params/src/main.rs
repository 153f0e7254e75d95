//! Runs exercise 05's own program with this library.
extern crate right05_named_params as ex05_query_rows;

include!("../../../../../exercises/05_query_rows/src/main.rs");
