//! Runs exercise 06's own program with this wrong search.
extern crate wrong06_strips_quotes as ex06_sql_injection;

include!("../../../../../exercises/06_sql_injection/src/main.rs");
