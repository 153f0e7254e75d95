//! Runs exercise 02's own program with this library.
extern crate right02_query_iter as ex02_show_databases;

include!("../../../../../exercises/02_show_databases/src/main.rs");
