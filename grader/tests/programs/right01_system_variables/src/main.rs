//! Runs exercise 01's own program with this library.
extern crate right01_system_variables as ex01_connect;

include!("../../../../../exercises/01_connect/src/main.rs");
