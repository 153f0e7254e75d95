//! Runs exercise 06's own program with this library.
extern crate wrong06_like_pattern as ex06_sql_injection;

include!("../../../../../exercises/06_sql_injection/src/main.rs");
