//! Runs exercise 02's own program with this library.
extern crate wrong02_prints_connecting_line as ex02_show_databases;

include!("../../../../../exercises/02_show_databases/src/main.rs");
