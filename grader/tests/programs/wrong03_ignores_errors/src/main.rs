//! Runs exercise 03's own program with this wrong library.
extern crate wrong03_ignores_errors as ex03_create_schema;

include!("../../../../../exercises/03_create_schema/src/main.rs");
