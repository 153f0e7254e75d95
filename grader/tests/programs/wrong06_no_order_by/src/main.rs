//! Runs exercise 06's own program with this library.
extern crate wrong06_no_order_by as ex06_sql_injection;

include!("../../../../../exercises/06_sql_injection/src/main.rs");
