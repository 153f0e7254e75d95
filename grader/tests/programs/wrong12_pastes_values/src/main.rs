//! Runs exercise 12's own program with this wrong library.
extern crate wrong12_pastes_values as ex12_second_client;

include!("../../../../../exercises/12_second_client/src/main.rs");
