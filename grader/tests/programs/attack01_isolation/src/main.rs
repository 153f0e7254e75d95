//! Not an answer to exercise 01: in its place, this program tries to reach what
//! `--sandbox` keeps from learners' programs, and ends with a panic whose message
//! says, attack by attack, `open` (with what it got) or `blocked` (with why):
//!
//! - `server.json`: the persistent server's record, with its administrator's password,
//!   in the grader's state folder and in the target folder's `grader/server/`;
//! - `environ`: the environment of its parent and of any `grader` process in `/proc`;
//! - `init file`: a local server's start-up script (`init.sql`, which creates the
//!   grader's administrator with its password), the persistent one's and any in `/tmp`;
//! - `server port`: a connection straight to the server, past the grader's recorder;
//! - `outside`: a connection to an address outside the machine's loopback.
//!
//! The state folder and the last two addresses come from `isolation-attack.targets`
//! in the target folder's `tmp/` (`state=FOLDER`, `server=IP:PORT`,
//! `outside=IP:PORT`), which the test writes: a program could learn them otherwise
//! (the grader's environment names the folder, `server.json` the port), and the
//! point is whether it can use them.

use std::fs;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn main() {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.to_path_buf()))
        .unwrap_or_default();
    let targets =
        fs::read_to_string(target.join("tmp/isolation-attack.targets")).unwrap_or_default();
    let given = |name: &str| {
        targets
            .lines()
            .find_map(|line| Some(line.strip_prefix(&format!("{name}="))?.trim().to_string()))
    };
    let address = |name: &str| -> Option<SocketAddr> { given(name)?.parse().ok() };
    let state = PathBuf::from(given("state").unwrap_or_default());
    let records = [state.join("server/server.json"), target.join("grader/server/server.json")];
    let mut init_files: Vec<PathBuf> =
        children(Path::new("/tmp")).into_iter().map(|dir| dir.join("init.sql")).collect();
    init_files.push(state.join("server/grader-mysql-persistent/init.sql"));
    let attacks = [
        ("server.json", read_any(&records, "\"password\"")),
        ("environ", environment()),
        ("init file", read_any(&init_files, "IDENTIFIED BY")),
        ("server port", connect(address("server"))),
        ("outside", connect(address("outside"))),
    ];
    let said: Vec<String> =
        attacks.iter().map(|(name, outcome)| format!("{name} {outcome}")).collect();
    panic!("attacks: {}", said.join("; "));
}

fn children(folder: &Path) -> Vec<PathBuf> {
    fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default()
}

/// `open` with the first file of `places` that holds `secret`, else `blocked` and
/// what stopped the first one that exists.
fn read_any(places: &[PathBuf], secret: &str) -> String {
    let mut why = None;
    for place in places {
        match fs::read_to_string(place) {
            Ok(text) if text.contains(secret) => return format!("open ({})", place.display()),
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                why.get_or_insert(format!("{}: {error}", place.display()));
            }
        }
    }
    format!("blocked ({})", why.unwrap_or_else(|| "none found".into()))
}

/// Reads the environment of the parent and of every process that looks like the grader.
fn environment() -> String {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let parent = stat.rsplit(") ").next().and_then(|rest| rest.split(' ').nth(1)).unwrap_or("0");
    let mut pids = vec![parent.to_string()];
    for entry in children(Path::new("/proc")) {
        let cmdline = fs::read(entry.join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains("grader\0check") {
            pids.extend(entry.file_name().map(|pid| pid.to_string_lossy().into_owned()));
        }
    }
    let mut why = Vec::new();
    for pid in &pids {
        match fs::read(format!("/proc/{pid}/environ")) {
            Ok(environ) if String::from_utf8_lossy(&environ).contains("GRADER_STATE_DIR") => {
                return format!("open (process {pid})");
            }
            Ok(_) => why.push(format!("{pid}: no grader variables")),
            Err(error) => why.push(format!("{pid}: {error}")),
        }
    }
    format!("blocked ({})", why.join(", "))
}

fn connect(address: Option<SocketAddr>) -> String {
    let Some(address) = address else { return "blocked (no address given)".into() };
    match TcpStream::connect_timeout(&address, Duration::from_secs(2)) {
        Ok(_) => format!("open ({address})"),
        Err(error) => format!("blocked ({error})"),
    }
}
