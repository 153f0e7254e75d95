//! Runs exercise 01's own program with this wrong library.
extern crate wrong01_asks_user as ex01_connect;

include!("../../../../../exercises/01_connect/src/main.rs");
