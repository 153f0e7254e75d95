//! Bad input ends with one clear line on stderr and exit code 2; the human report,
//! the listing and the hints read well, whole.

use snapbox::str;

use crate::support::{
    assert_text, assert_text_with, fixture_course, grader, grader_with_env, redactions,
    workspace_root, THREE_EXERCISES,
};

/// Runs the grader with `args` and asserts it said exactly `expected` on stderr (and
/// nothing on stdout) with exit code 2.
#[track_caller]
fn assert_error(args: &[&str], expected: impl snapbox::IntoData) {
    let run = grader(args);
    run.assert_code(2);
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert_text(&run.stderr, expected);
}

#[test]
fn a_malformed_server_url_is_refused() {
    assert_error(
        &["check", "--server", "localhost:3306"],
        str![[r#"
error: --server "localhost:3306" is not a MySQL URL: expected mysql://USER:PASSWORD@HOST:PORT

"#]],
    );
}

#[test]
fn an_unreachable_server_is_reported() {
    assert_error(
        &["check", "--server", "mysql://root:pw@127.0.0.1:1"],
        str![[r#"
error: cannot connect to the MySQL server at 127.0.0.1:1 as root (Could not connect to address `127.0.0.1:1': Connection refused (os error [..])): check the address and port, that the server listens there (bind-address) and that no firewall is in the way

"#]],
    );
}

#[test]
fn an_unknown_exercise_lists_the_real_ones() {
    let course = grader::course::Course::load(&workspace_root()).unwrap();
    let names: Vec<&str> = course.exercises.iter().map(|e| e.name.as_str()).collect();
    assert_error(
        &["check", "99"],
        format!("error: there is no exercise \"99\"; the exercises are: {}\n", names.join(", ")),
    );
}

#[test]
fn contradictory_options_are_refused() {
    assert_error(
        &["check", "--backend", "local", "--server", "mysql://u:p@h:1"],
        str![[r#"
error: --server names an external server; leave it out to use --backend local

"#]],
    );
    assert_error(
        &["watch", "--backend", "external"],
        str![[r#"
error: --backend external needs --server mysql://USER:PASSWORD@HOST:PORT

"#]],
    );
}

#[test]
fn the_human_report_shows_marks_next_steps_and_the_seed() {
    let run =
        grader(&["check", "--backend", "local", "01", "--program", "01=wrong01_unwraps_errors"]);
    run.assert_code(1);
    assert_text(
        &run.stdout,
        str![[r#"
✗ 01_connect  Connect to the server and ask who you are  [DURATION]
    your program panicked when run with a wrong password: called `Result::unwrap()` on an `Err` value: MySqlError { ERROR 1045 (28000): Access denied for user '[SANDBOX]'@'[HOST]' (using password: YES) }
    → an error from the server is normal here: return it with `?` instead of unwrapping it (grader/tests/programs/wrong01_unwraps_errors/src/main.rs:7)

0 of 1 passed · next: 01_connect (cargo grader check 01)
server [DURATION] (local, [VERSION]) · build [DURATION] · checks [DURATION] · seed [SEED] (--seed [SEED] replays it)

"#]],
    );
    assert_eq!(run.stderr, "", "nothing on stderr");

    // A seed given is the seed used, and the line says how to replay it.
    let passed = grader(&["check", "--backend", "local", "--solutions", "01", "--seed", "4242"]);
    passed.assert_code(0);
    let mut keep_the_seed = redactions();
    keep_the_seed.remove("[SEED]").unwrap();
    assert_text_with(
        keep_the_seed,
        &passed.stdout,
        str![[r#"
✓ 01_connect  Connect to the server and ask who you are  [DURATION]

1 of 1 passed
server [DURATION] (local, [VERSION]) · build [DURATION] · checks [DURATION] · seed 4242 (--seed 4242 replays it)

"#]],
    );
}

#[test]
fn list_shows_every_exercise_without_a_server() {
    let course = fixture_course(THREE_EXERCISES);
    let state = tempfile::tempdir().unwrap();
    let run = crate::support::grader_command(&["list"])
        .current_dir(course.path())
        .env("GRADER_STATE_DIR", state.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert_text(
        &String::from_utf8_lossy(&run.stdout),
        str![[r#"
Progress [░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░] 0 of 3 done (0%)

→ · to do    01_connect         Connect
  · to do    02_show_databases  Show the databases
  · to do    03_create_schema   Create the schema

Next: 01_connect — the task is in exercises/01_connect/README.md
Check it as you save with `cargo grader watch`; stuck? `cargo grader hint 01`

"#]],
    );

    // The real course: every exercise, with its title, in order.
    let real = grader::course::Course::load(&workspace_root()).unwrap();
    let state = state.path().to_str().unwrap();
    let json = grader_with_env(&["list", "--format", "json"], &[("GRADER_STATE_DIR", state)]);
    json.assert_code(0);
    let listed: Vec<(String, String)> = json.json()["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap().into(), e["title"].as_str().unwrap().into()))
        .collect();
    let expected: Vec<(String, String)> =
        real.exercises.iter().map(|e| (e.name.clone(), e.title.clone())).collect();
    assert_eq!(listed, expected);
}

#[test]
fn hints_read_whole_one_at_a_time() {
    let course = fixture_course(THREE_EXERCISES);
    let state = tempfile::tempdir().unwrap();
    let hint = |args: &[&str]| {
        let run = crate::support::grader_command(args)
            .current_dir(course.path())
            .env("GRADER_STATE_DIR", state.path())
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{run:?}");
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    assert_text(
        &hint(&["hint", "02"]),
        str![[r#"
Hints for 02_show_databases — Show the databases

  1. SHOW DATABASES is a query. (new)

1 of 3 hints shown. Check your work again and `cargo grader hint 02` shows the next one (or `cargo grader hint 02 --more` now).

"#]],
    );
    assert_text(
        &hint(&["hint", "02", "--more"]),
        str![[r#"
Hints for 02_show_databases — Show the databases

  1. SHOW DATABASES is a query.
  2. Collect the rows. (new)

2 of 3 hints shown. Check your work again and `cargo grader hint 02` shows the next one (or `cargo grader hint 02 --more` now).

"#]],
    );
    assert_text(
        &hint(&["hint", "02", "--more"]),
        str![[r#"
Hints for 02_show_databases — Show the databases

  1. SHOW DATABASES is a query.
  2. Collect the rows.
  3. Keep the server's order. (new)

That was the last hint. The book's chapter walks through the concepts: book/src/exercises/02_show_databases.md

"#]],
    );
}

#[test]
fn a_work_folder_among_the_graders_own_is_refused() {
    let (out, submission) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let [out, submission] = [&out, &submission].map(|dir| dir.path().to_str().unwrap().to_string());
    let private = workspace_root().join(".grader");
    let work = private.join("class");
    let work = work.to_str().unwrap();
    let run = grader(&["grade", "--work", work, "--out", &out, &submission]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: --work {work} lies inside {}, which students' programs must not see; choose a folder outside it (or grade trusted copies with --no-sandbox)\n",
            private.display()
        )
    );
}
