//! Tests of the real `grader` binary: every solution passes, every untouched exercise
//! fails, each check rejects the wrong program written to fool it, misbehaving programs
//! are contained, and bad input ends with a one-line error and exit code 2.
//!
//! The local backend is always tested; the docker backend wherever `docker info`
//! succeeds, and in CI (`CI` set) its absence is a failure, not a skip.

mod backends;
mod course_copy;
mod first_contact;
mod limits;
mod python;
mod support;
mod usage;
mod workflow;
