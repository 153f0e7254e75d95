//! Runs exercise 08's own program with this library.
extern crate wrong08_copies_the_table as ex08_connection_pool;

include!("../../../../../exercises/08_connection_pool/src/main.rs");
