//! Starts a child process that would outlive it, then never finishes.
//!
//! The grader must stop both at the time limit. The child is `sleep MARK`, where MARK
//! comes from `LOOPER_MARK` (inherited through the grader), so that a test can look
//! for its own child by its command line.

use std::time::Duration;

fn main() {
    let mark = std::env::var("LOOPER_MARK").unwrap_or_else(|_| "597.25".into());
    #[allow(clippy::zombie_processes, reason = "the point is a child left running")]
    let _child =
        std::process::Command::new("sleep").arg(mark).spawn().expect("sleep can be started");
    loop {
        std::thread::sleep(Duration::from_millis(100));
    }
}
