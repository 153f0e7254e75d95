// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol06_sql_injection as ex06_sql_injection;

include!("../../../exercises/06_sql_injection/src/main.rs");
