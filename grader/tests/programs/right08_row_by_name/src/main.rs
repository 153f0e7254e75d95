//! Runs exercise 08's own program with this library.
extern crate right08_row_by_name as ex08_connection_pool;

include!("../../../../../exercises/08_connection_pool/src/main.rs");
