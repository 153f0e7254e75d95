//! Why unprivileged user namespaces are refused here, if a kernel setting says so,
//! and what to change.

use std::fs;

use super::Mode;

/// The kernel settings that refuse user namespaces to users other than root: the
/// file under `/proc/sys`, the value that refuses, and the `sysctl` name.
const SETTINGS: [(&str, &str, &str); 3] = [
    ("/proc/sys/kernel/unprivileged_userns_clone", "0", "kernel.unprivileged_userns_clone=1"),
    (
        "/proc/sys/kernel/apparmor_restrict_unprivileged_userns",
        "1",
        "kernel.apparmor_restrict_unprivileged_userns=0",
    ),
    ("/proc/sys/user/max_user_namespaces", "0", "user.max_user_namespaces=15000"),
];

/// What to do when making a user namespace failed in `mode`: empty as root, else the
/// setting that refuses them here, or the plain advice.
pub fn advice(mode: Mode) -> String {
    if mode == Mode::AnotherUser {
        return String::new();
    }
    refusing().unwrap_or_else(|| {
        " (this machine does not let users other than root make user namespaces: run the grader \
         as root, or allow them)"
            .to_string()
    })
}

/// The kernel settings that refuse user namespaces here, with what to run, if any does.
pub fn refusing() -> Option<String> {
    let refusing: Vec<&str> = SETTINGS
        .iter()
        .filter(|(file, refuses, _)| fs::read_to_string(file).is_ok_and(|v| v.trim() == *refuses))
        .map(|(_, _, fix)| *fix)
        .collect();
    (!refusing.is_empty()).then(|| {
        format!(
            " (this machine refuses user namespaces to users other than root: `sudo sysctl {}`, \
             or run the grader as root)",
            refusing.join(" ")
        )
    })
}
