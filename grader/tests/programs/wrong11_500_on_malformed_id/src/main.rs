// Exercise 11's own program, with the wrong library above.
extern crate wrong11_500_on_malformed_id as ex11_web_tier;

include!("../../../../../exercises/11_web_tier/src/main.rs");
