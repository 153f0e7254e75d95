// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol03_create_schema as ex03_create_schema;

include!("../../../exercises/03_create_schema/src/main.rs");
