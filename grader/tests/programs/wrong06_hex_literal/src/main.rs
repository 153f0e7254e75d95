//! Runs exercise 06's own program with this wrong library.
extern crate wrong06_hex_literal as ex06_sql_injection;

include!("../../../../../exercises/06_sql_injection/src/main.rs");
