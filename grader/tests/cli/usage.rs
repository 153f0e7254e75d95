//! Bad input ends with one clear line on stderr and exit code 2; the human report,
//! the listing and the hints read well, whole.

use crate::support::{assert_text, check, grader, Backend};

/// Runs the grader with `args` and asserts it said exactly `expected` on stderr (and
/// nothing on stdout) with exit code 2.
fn assert_error(args: &[&str], expected: &str) {
    let run = grader(args);
    run.assert_code(2);
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert_text(&run.stderr, expected);
}

#[test]
fn a_malformed_server_url_is_refused() {
    assert_error(
        &["check", "--server", "localhost:3306"],
        "error: --server \"localhost:3306\" is not a MySQL URL: expected mysql://USER:PASSWORD@HOST:PORT\n",
    );
}

#[test]
fn an_unreachable_server_is_reported() {
    assert_error(
        &["check", "--server", "mysql://root:pw@127.0.0.1:1"],
        "error: cannot start a MySQL server: cannot connect to the MySQL server at 127.0.0.1:1 as root: check the \
         address and port, that the server listens there (bind-address) and that no firewall is in the way: \
         DriverError { Could not connect to address `127.0.0.1:1': Connection refused (os error 111) }\n",
    );
}

#[test]
fn an_unknown_exercise_lists_the_real_ones() {
    assert_error(
        &["check", "99"],
        "error: there is no exercise \"99\"; the exercises are: 01_connect, 02_show_databases, 03_create_schema, \
         04_insert_rows, 05_query_rows, 06_sql_injection, 07_transactions, 08_connection_pool, 09_errors, \
         10_remote_access, 11_web_tier, 12_second_client\n",
    );
}

#[test]
fn contradictory_options_are_refused() {
    assert_error(
        &["check", "--backend", "local", "--server", "mysql://u:p@h:1"],
        "error: cannot start a MySQL server: --server names an external server; leave it out to use --backend local\n",
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
    assert_text(
        &run.stdout,
        "\
✗ 01_connect  Connect to the server and ask who you are  [..] s
    your program panicked when run with a wrong password: called `Result::unwrap()` on an `Err` value: MySqlError { ERROR 1045 (28000): Access denied for user 'gr01_[..]'@'127.0.0.1' (using password: YES) }
    → an error from the server is normal here: return it with `?` instead of unwrapping it (grader/tests/programs/wrong01_unwraps_errors/src/main.rs:7)

0 of 1 passed · next: 01_connect (cargo grader check 01)
server [..] s (local, [..]) · build [..] s · checks [..] s · seed 4242 (--seed 4242 replays it)
",
    );
    let passed = check(&Backend::Local, &["--solutions", "01"]);
    passed.assert_code(0);
}

#[test]
fn list_shows_every_exercise_without_a_server() {
    let state = tempfile::tempdir().unwrap();
    let run = crate::support::grader_with_env(
        &["list"],
        &[("GRADER_STATE_DIR", state.path().to_str().unwrap())],
    );
    run.assert_code(0);
    assert_text(
        &run.stdout,
        "\
Progress [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] 0 of 12 done (0%)

→ · to do    01_connect          Connect to the server and ask who you are
  · to do    02_show_databases   List the databases you can see
  · to do    03_create_schema    Create the shop's schema, safe to run twice
  · to do    04_insert_rows      Load a CSV file with prepared statements in one transaction
  · to do    05_query_rows       Query with parameters and map rows to structs
  · to do    06_sql_injection    Close an SQL injection hole
  · to do    07_transactions     Move money in a transaction, safely under concurrency
  · to do    08_connection_pool  Answer many lookups through a bounded connection pool
  · to do    09_errors           Turn server errors into clear outcomes
  · to do    10_remote_access    Open the server to one client host (the two-host lab)
  · to do    11_web_tier         Put a web tier in front of the database
  · to do    12_second_client    The same query with a second client library: sqlx

Next: 01_connect — the task is in exercises/01_connect/README.md
Check it as you save with `cargo grader watch`; stuck? `cargo grader hint 01`
",
    );
}

#[test]
fn a_hint_reads_whole() {
    let state = tempfile::tempdir().unwrap();
    let env = [("GRADER_STATE_DIR", state.path().to_str().unwrap())];
    let run = crate::support::grader_with_env(&["hint", "02"], &env);
    run.assert_code(0);
    assert_text(
        &run.stdout,
        "\
Hints for 02_show_databases — List the databases you can see

  1. `SHOW DATABASES` is a query like any other: its result has one column, the database's name. (new)

1 of 3 hints shown. Check your work again and `cargo grader hint 02` shows the next one (or `cargo grader hint 02 --more` now).
",
    );
}
