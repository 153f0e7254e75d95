// Exercise 11's own program, with the wrong library above.
extern crate wrong11_connection_per_request as ex11_web_tier;

include!("../../../../../exercises/11_web_tier/src/main.rs");
