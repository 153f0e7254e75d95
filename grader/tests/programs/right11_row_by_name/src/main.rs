//! Runs exercise 11's own program with this library.
extern crate right11_row_by_name as ex11_web_tier;

include!("../../../../../exercises/11_web_tier/src/main.rs");
