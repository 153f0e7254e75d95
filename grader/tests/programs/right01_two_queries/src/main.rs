//! Runs exercise 01's own program with this library.
extern crate right01_two_queries as ex01_connect;

include!("../../../../../exercises/01_connect/src/main.rs");
