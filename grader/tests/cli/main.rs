//! Tests of the real `grader` binary: every solution passes, every untouched exercise
//! fails, each check rejects the wrong program written to fool it, misbehaving programs
//! are contained, and bad input ends with a one-line error and exit code 2.
//!
//! The local backend is always tested; the docker backend wherever `docker info`
//! succeeds, and the two-host lab in network namespaces wherever they can be made;
//! in CI (`CI` set) the absence of either is a failure, not a skip.

mod accounts;
mod backends;
mod class;
mod classroom;
mod course_copy;
mod external;
mod first_contact;
mod isolation;
mod lab;
mod limits;
mod netns;
mod python;
mod support;
mod usage;
mod wire;
mod workflow;
