//! Runs exercise 02's own program with this library.
extern crate wrong02_keeps_own_prefix as ex02_show_databases;

include!("../../../../../exercises/02_show_databases/src/main.rs");
