//! Programs that misbehave are contained: a loop is stopped at its time limit with its
//! children, a flood of output is capped, and an interrupted grader cleans up.

use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use snapbox::str;

use crate::support::{
    assert_text, check, check_with_env, containers_of, descendants, docker_available, docker_image,
    grader_command, is_alive, processes_matching, said, Backend,
};

#[test]
fn a_program_that_never_ends_is_stopped_at_its_limit_with_its_children() {
    let mark = "597.31";
    let args = ["01", "--program", "01=wrong_loops_forever", "--timeout", "2"];
    let run = check_with_env(&Backend::Local, &args, &[("LOOPER_MARK", mark)]);
    run.assert_code(1);
    let entry = run.exercise("01_connect");
    assert_text(
        &said(&entry),
        str![[r#"
failed: your program was still running after 2 s when run with the right password, and was stopped
→ look for a loop that never ends, or a query waiting on a lock another connection holds

"#]],
    );
    let took = entry["duration_ms"].as_u64().unwrap();
    assert!((2_000..8_000).contains(&took), "the check took {took} ms");
    assert_eq!(
        processes_matching(&format!("sleep {mark}")),
        Vec::<String>::new(),
        "the program's child survived"
    );
}

#[test]
fn a_flood_of_output_is_capped() {
    let args = ["02", "--program", "02=wrong_floods_output", "--seed", "4242"];
    let run = check(&Backend::Local, &args);
    run.assert_code(1);
    assert_text(
        &said(&run.exercise("02_show_databases")),
        str![[r#"
failed: your program printed names this account cannot see: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy… (1023 characters), yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy… (1023 characters), yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy… (1023 characters), yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy… (1023 characters), yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy… (1023 characters), yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy… (1023 characters), … 58 more
expected: 6 lines: "[SANDBOX]", "[SANDBOX]_orders89", "[SANDBOX]_orders99", "information_schema", "legacy_[..]", "shipping_[..]"
got: 64 lines: "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"… (1023 characters), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"… (1023 characters), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"… (1023 characters), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"… (1023 characters), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"… (1023 characters), "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"… (1023 characters), … 58 more (output cut at 64 KiB; the rest was thrown away)
→ print what the server answers to SHOW DATABASES on this connection, not a list of your own

"#]],
    );
}

/// Starts `grader check 01` with the looping program, waits until the program and
/// `ready` are under way, sends SIGTERM, and returns the grader's exit code, its
/// process id, and the processes it had started.
fn interrupt_a_check(
    backend_args: &[&str],
    mark: &str,
    ready: impl Fn(u32) -> bool,
) -> (i32, u32, Vec<u32>) {
    let mut args = vec!["check", "01", "--program", "01=wrong_loops_forever", "--timeout", "60"];
    args.extend(backend_args);
    let mut child = grader_command(&args)
        .env("LOOPER_MARK", mark)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(120);
    let started =
        |family: &[crate::support::Process]| family.iter().any(|p| p.command().contains(mark));
    let family = loop {
        let family = descendants(pid);
        if started(&family) && ready(pid) {
            break family;
        }
        assert!(Instant::now() < deadline, "the check never got under way");
        if child.try_wait().unwrap().is_some() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
            panic!("the grader ended before it was interrupted; it said:\n{stderr}");
        }
        thread::sleep(Duration::from_millis(100));
    };
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (code, pid, family.iter().map(|process| process.pid).collect())
}

#[test]
fn an_interrupted_grader_leaves_no_server_or_program_behind() {
    let server_started =
        |pid| descendants(pid).iter().any(|p| p.command().contains("grader-mysql-"));
    let (code, _, family) = interrupt_a_check(&["--backend", "local"], "597.41", server_started);
    assert_eq!(code, 130);
    let survivors: Vec<u32> = family.into_iter().filter(|pid| is_alive(*pid)).collect();
    assert_eq!(survivors, Vec::<u32>::new(), "processes outlived the grader");

    if docker_available() {
        let image = docker_image();
        let has_container = |pid| !containers_of(pid).is_empty();
        let (code, pid, family) =
            interrupt_a_check(&["--backend", "docker", "--image", &image], "597.42", has_container);
        assert_eq!(code, 130);
        assert_eq!(containers_of(pid), Vec::<String>::new(), "the container outlived the grader");
        let survivors: Vec<u32> = family.into_iter().filter(|pid| is_alive(*pid)).collect();
        assert_eq!(survivors, Vec::<u32>::new(), "processes outlived the grader");
    }
}
