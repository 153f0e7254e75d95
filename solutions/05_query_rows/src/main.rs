// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol05_query_rows as ex05_query_rows;

include!("../../../exercises/05_query_rows/src/main.rs");
