// The reference solution runs the exercise's own program with this crate's library,
// so the two can never drift apart.
extern crate sol11_web_tier as ex11_web_tier;

include!("../../../exercises/11_web_tier/src/main.rs");
