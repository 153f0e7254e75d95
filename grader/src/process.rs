//! This machine's processes as `/proc` tells them, and killing a process with its
//! group: what finding leftovers, stopping the persistent server and the tests share.

use std::fs;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// How long a killed process may take to go.
const KILL_PATIENCE: Duration = Duration::from_secs(10);

/// A live process, as /proc tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Its id.
    pub pid: u32,
    /// Its parent's id.
    pub parent: u32,
    /// Its command line, argument by argument.
    pub args: Vec<String>,
}

impl Process {
    /// The command line as one string, arguments separated by spaces.
    pub fn command(&self) -> String {
        self.args.join(" ")
    }
}

/// The state and parent of `pid` from `/proc/<pid>/stat`.
fn stat(pid: u32) -> Option<(String, u32)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.to_string();
    let parent = fields.next()?.parse().ok()?;
    Some((state, parent))
}

fn is_live_state(state: &str) -> bool {
    !matches!(state, "Z" | "X")
}

/// Every live process (zombies left out).
pub fn processes() -> Vec<Process> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let (state, parent) = stat(pid)?;
            if !is_live_state(&state) {
                return None;
            }
            let command = fs::read(entry.path().join("cmdline")).ok()?;
            let args = command
                .split(|byte| *byte == 0)
                .filter(|arg| !arg.is_empty())
                .map(|arg| String::from_utf8_lossy(arg).into_owned())
                .collect();
            Some(Process { pid, parent, args })
        })
        .collect()
}

/// Whether `pid` is a live process (not a zombie).
pub fn is_alive(pid: u32) -> bool {
    stat(pid).is_some_and(|(state, _)| is_live_state(&state))
}

/// The live descendants of `pid`: its children, theirs, and so on.
pub fn descendants(pid: u32) -> Vec<Process> {
    let all = processes();
    let mut family = vec![pid];
    let mut found = Vec::new();
    while let Some(parent) = family.pop() {
        for child in all.iter().filter(|process| process.parent == parent) {
            family.push(child.pid);
            found.push(child.clone());
        }
    }
    found
}

/// Live processes whose command line names `dir` or a path inside it.
pub fn processes_using(dir: &Path) -> Vec<Process> {
    let dir = dir.to_string_lossy();
    let inside = format!("{dir}/");
    processes()
        .into_iter()
        .filter(|process| {
            process.args.iter().any(|arg| {
                let value = arg.split_once('=').map_or(arg.as_str(), |(_, value)| value);
                value == dir || value.starts_with(&inside)
            })
        })
        .collect()
}

/// Kills the process `pid` alone with SIGKILL, without waiting; one that has gone
/// already is not an error.
pub fn kill_now(pid: u32) {
    if let Ok(raw) = i32::try_from(pid) {
        let _ = kill(Pid::from_raw(raw), Signal::SIGKILL);
    }
}

/// Freezes `pid` with SIGSTOP: it runs no further (and starts no process) until it
/// is continued or killed.
pub fn freeze(pid: u32) {
    if let Ok(raw) = i32::try_from(pid) {
        let _ = kill(Pid::from_raw(raw), Signal::SIGSTOP);
    }
}

/// Kills `pid` and the process group it leads (servers run in their own) with
/// SIGKILL, and waits until it is gone.
pub fn kill_and_wait(pid: u32) -> Result<()> {
    let Ok(raw) = i32::try_from(pid) else {
        bail!("process id {pid} is out of range");
    };
    let _ = kill(Pid::from_raw(-raw), Signal::SIGKILL);
    let _ = kill(Pid::from_raw(raw), Signal::SIGKILL);
    let deadline = Instant::now() + KILL_PATIENCE;
    while is_alive(pid) {
        if Instant::now() > deadline {
            bail!(
                "process {pid} is still there {} s after SIGKILL; is it another user's? try `sudo kill -9 {pid}`",
                KILL_PATIENCE.as_secs()
            );
        }
        thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_finished_one_is_not() {
        assert!(is_alive(std::process::id()));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!is_alive(pid));
    }

    #[test]
    fn a_process_is_found_by_the_folder_it_names_and_killed_with_its_group() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("data");
        // `sh -c` keeps its next argument as `$0`, so it shows on the command line.
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30", &format!("--datadir={}", marker.display())])
            .spawn()
            .unwrap();
        let pid = child.id();
        thread::sleep(Duration::from_millis(50));
        let found: Vec<u32> = processes_using(dir.path()).into_iter().map(|p| p.pid).collect();
        assert_eq!(found, vec![pid]);
        let family = descendants(std::process::id());
        assert!(family.iter().any(|p| p.pid == pid && p.command().contains("sleep 30")));
        kill_and_wait(pid).unwrap();
        let _ = child.wait();
        assert!(processes_using(dir.path()).is_empty());
    }
}
