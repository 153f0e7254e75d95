//! Runs exercise 11's own program with this library.
extern crate right11_match_on_result as ex11_web_tier;

include!("../../../../../exercises/11_web_tier/src/main.rs");
