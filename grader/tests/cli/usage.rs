//! Bad input ends with one clear line on stderr and exit code 2; the human report reads well.

use crate::support::{check, grader, Backend};

fn assert_one_line_error(args: &[&str], expected: &str) {
    let run = grader(args);
    run.assert_code(2);
    let stderr = run.stderr.trim_end();
    assert_eq!(stderr.lines().count(), 1, "one line, got:\n{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(expected), "expected {expected:?} in {stderr:?}");
    assert_eq!(run.stdout, "", "nothing on stdout");
}

#[test]
fn a_malformed_server_url_is_refused() {
    assert_one_line_error(
        &["check", "--server", "localhost:3306"],
        "is not a MySQL URL: expected mysql://USER:PASSWORD@HOST:PORT",
    );
}

#[test]
fn an_unreachable_server_is_reported() {
    assert_one_line_error(
        &["check", "--server", "mysql://root:pw@127.0.0.1:1"],
        "cannot connect to the MySQL server at 127.0.0.1:1",
    );
}

#[test]
fn an_unknown_exercise_lists_the_real_ones() {
    assert_one_line_error(
        &["check", "99"],
        "there is no exercise \"99\"; the exercises are: 01_connect, 02_show_databases",
    );
}

#[test]
fn contradictory_options_are_refused() {
    assert_one_line_error(
        &["check", "--backend", "local", "--server", "mysql://u:p@h:1"],
        "leave it out to use --backend local",
    );
}

#[test]
fn the_human_report_shows_marks_next_steps_and_the_seed() {
    let run = grader(&[
        "check",
        "--backend",
        "local",
        "--seed",
        "4242",
        "01",
        "--program",
        "01=wrong01_unwraps_errors",
    ]);
    run.assert_code(1);
    assert!(run.stdout.starts_with("✗ 01_connect"), "{}", run.stdout);
    assert!(run.stdout.contains("→ an error from the server is normal here"), "{}", run.stdout);
    assert!(
        run.stdout.contains("0 of 1 passed · next: 01_connect (cargo grader check 01)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("seed 4242 (--seed 4242 replays it)"), "{}", run.stdout);
    let passed = check(&Backend::Local, &["--solutions", "01"]);
    passed.assert_code(0);
}

#[test]
fn list_shows_every_exercise_without_a_server() {
    let run = grader(&["list"]);
    run.assert_code(0);
    assert!(run.stdout.contains("01_connect"), "{}", run.stdout);
    assert!(
        run.stdout.lines().any(|line| line.contains("02_show_databases")
            && line.contains("List the databases you can see")),
        "{}",
        run.stdout
    );
}
