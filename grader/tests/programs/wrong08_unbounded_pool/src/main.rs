// Exercise 08's own program, with the wrong library above.
extern crate wrong08_unbounded_pool as ex08_connection_pool;

include!("../../../../../exercises/08_connection_pool/src/main.rs");
