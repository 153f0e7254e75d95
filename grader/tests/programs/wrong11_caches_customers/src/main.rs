//! Runs exercise 11's own program with this library.
extern crate wrong11_caches_customers as ex11_web_tier;

include!("../../../../../exercises/11_web_tier/src/main.rs");
