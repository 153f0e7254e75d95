//! Runs exercise 08's own program with this library.
extern crate right08_pool_from_url as ex08_connection_pool;

include!("../../../../../exercises/08_connection_pool/src/main.rs");
