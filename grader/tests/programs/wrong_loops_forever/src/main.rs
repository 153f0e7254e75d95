//! Starts a child process that would outlive it, then never finishes.
//!
//! The grader must stop both at the time limit: the test looks for the child's
//! unusual command line afterwards.

use std::time::Duration;

fn main() {
    let _child = std::process::Command::new("sleep")
        .arg("597.25")
        .spawn()
        .expect("sleep can be started");
    loop {
        std::thread::sleep(Duration::from_millis(100));
    }
}
