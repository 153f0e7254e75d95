// Exercise 08's own program, with the wrong library above.
extern crate wrong08_connection_per_lookup as ex08_connection_pool;

include!("../../../../../exercises/08_connection_pool/src/main.rs");
