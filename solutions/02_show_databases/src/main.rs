// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol02_show_databases as ex02_show_databases;

include!("../../../exercises/02_show_databases/src/main.rs");
