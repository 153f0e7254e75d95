//! `check --sandbox`: a program that tries to read the persistent server's record,
//! the grader's environment and the server's start-up script, and to connect to the
//! server's real port and to an address outside loopback, gets each of them without
//! the sandbox (so the test sees an attack that works) and none with it, as root
//! (another user) and through user namespaces; every solution still passes, and a
//! program that never ends or floods its output is still stopped and capped.

use std::net::{IpAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};

use serde_json::Value;
use snapbox::str;

use crate::support::{
    assert_text, check, check_with_env, docker_available, docker_image, grader_with_env,
    processes_matching, said, Backend,
};

/// The five attacks, as the attacking program names them.
const ATTACKS: [&str; 5] = ["server.json", "environ", "init file", "server port", "outside"];

/// A state folder of its own, with a persistent local server stopped when dropped.
struct State(PathBuf);

impl State {
    fn start() -> State {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("isolation-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let state = State(dir);
        let run = state.grader(&["server", "start", "--backend", "local"], &[]);
        assert_eq!(run.code, 0, "server start failed: {run:?}");
        state
    }

    fn grader(&self, args: &[&str], env: &[(&str, &str)]) -> crate::support::Run {
        let mut all = vec![("GRADER_STATE_DIR", self.0.to_str().unwrap())];
        all.extend_from_slice(env);
        grader_with_env(args, &all)
    }

    fn server_port(&self) -> u16 {
        let run = self.grader(&["server", "status", "--format", "json"], &[]);
        let status: Value = serde_json::from_str(&run.stdout).unwrap();
        u16::try_from(status["port"].as_u64().unwrap()).unwrap()
    }
}

impl Drop for State {
    fn drop(&mut self) {
        self.grader(&["server", "stop"], &[]);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// This machine's address on its default route (no packet is sent), if it has one.
fn outside_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("198.51.100.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// What the attacking program said of each attack: `open …` or `blocked …`.
fn attacks(state: &State, env: &[(&str, &str)], sandbox: bool) -> Vec<(String, String)> {
    let mut args = vec!["check", "--format", "json", "01", "--program", "01=attack01_isolation"];
    if sandbox {
        args.push("--sandbox");
    }
    let run = state.grader(&args, env);
    let entry = run.exercise("01_connect");
    let message = entry["message"].as_str().unwrap_or_default().to_string();
    let (_, said) = message.split_once("attacks: ").unwrap_or_else(|| panic!("{run:?}"));
    said.lines()
        .next()
        .unwrap_or_default()
        .split("; ")
        .filter_map(|attack| {
            let name = ATTACKS.iter().find(|name| attack.starts_with(&format!("{name} ")))?;
            Some((name.to_string(), attack[name.len() + 1..].to_string()))
        })
        .collect()
}

#[test]
fn a_sandboxed_program_reaches_none_of_the_graders_secrets() {
    let state = State::start();
    let outside_ip = outside_address().expect("this machine has an address beyond loopback");
    let outside = TcpListener::bind((outside_ip, 0)).unwrap();
    let targets = format!(
        "state={}\nserver=127.0.0.1:{}\noutside={}\n",
        state.0.display(),
        state.server_port(),
        outside.local_addr().unwrap()
    );
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("isolation-attack.targets");
    std::fs::write(&file, targets).unwrap();

    let open = attacks(&state, &[], false);
    assert_eq!(open.len(), ATTACKS.len(), "{open:?}");
    for (name, outcome) in &open {
        assert!(outcome.starts_with("open"), "without --sandbox, {name}: {outcome}");
    }
    for env in [&[][..], &[("GRADER_ISOLATION", "userns")][..]] {
        let blocked = attacks(&state, env, true);
        assert_eq!(blocked.len(), ATTACKS.len(), "{env:?}: {blocked:?}");
        for (name, outcome) in &blocked {
            assert!(outcome.starts_with("blocked"), "with --sandbox {env:?}, {name}: {outcome}");
        }
    }
}

#[test]
fn every_solution_passes_isolated_on_local() {
    for env in [&[][..], &[("GRADER_ISOLATION", "userns")][..]] {
        let run = check_with_env(&Backend::Local, &["--solutions", "--sandbox"], env);
        assert_eq!(run.code, 0, "{env:?}: {}", run.stdout);
    }
}

#[test]
fn every_solution_passes_isolated_on_docker() {
    if !docker_available() {
        return;
    }
    let run = check(&Backend::Docker(docker_image()), &["--solutions", "--sandbox"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn an_isolated_program_that_never_ends_is_stopped_with_its_children() {
    // The environment stays with the grader: the program's child is `sleep 597.25`.
    let args = ["01", "--program", "01=wrong_loops_forever", "--timeout", "2", "--sandbox"];
    let run = check(&Backend::Local, &args);
    run.assert_code(1);
    assert_text(
        &said(&run.exercise("01_connect")),
        str![[r#"
failed: your program was still running after 2 s when run with the right password, and was stopped
→ look for a loop that never ends, or a query waiting on a lock another connection holds

"#]],
    );
    assert_eq!(processes_matching("sleep 597.25"), Vec::<String>::new(), "the child survived");
    let flood = ["02", "--program", "02=wrong_floods_output", "--seed", "4242", "--sandbox"];
    let run = check(&Backend::Local, &flood);
    run.assert_code(1);
    let message = said(&run.exercise("02_show_databases"));
    assert!(message.contains("(output cut at 64 KiB; the rest was thrown away)"), "{message}");
}
