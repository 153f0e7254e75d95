//! Runs exercise 03's own program with this library.
extern crate right03_creates_what_is_missing as ex03_create_schema;

include!("../../../../../exercises/03_create_schema/src/main.rs");
