//! Runs exercise 12's own program with this library.
extern crate right12_rows_by_hand as ex12_second_client;

include!("../../../../../exercises/12_second_client/src/main.rs");
