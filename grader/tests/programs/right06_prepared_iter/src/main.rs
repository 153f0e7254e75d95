//! Runs exercise 06's own program with this library.
extern crate right06_prepared_iter as ex06_sql_injection;

include!("../../../../../exercises/06_sql_injection/src/main.rs");
