//! The whole course on each backend: solutions pass, untouched exercises are "not
//! implemented", and each check fails the wrong program written against it.

use crate::support::{
    assert_wrong_programs_fail, check, containers_of, docker_available, docker_image, Backend,
    Wrong,
};

/// Every deliberately wrong program in `grader/tests/programs/`, the exercise it
/// answers, and words its failure message must hold.
const WRONG_PROGRAMS: &[Wrong] = &[
    Wrong {
        exercise: "01",
        package: "wrong01_unwraps_errors",
        says: "your program panicked when run with a wrong password",
    },
    Wrong {
        exercise: "02",
        package: "wrong02_hardcoded_list",
        says: "names this account cannot see: mysql",
    },
    Wrong {
        exercise: "08",
        package: "wrong08_connection_per_lookup",
        says: "connections to the server for 44 lookups: about one for each",
    },
    Wrong {
        exercise: "08",
        package: "wrong08_unbounded_pool",
        says: "connections to the server; its pool may open at most 4",
    },
    Wrong {
        exercise: "11",
        package: "wrong11_connection_per_request",
        says: "connections to the server for 15 requests: about one for each",
    },
    Wrong {
        exercise: "11",
        package: "wrong11_500_on_malformed_id",
        says: "answered 500 Internal Server Error; a malformed id is the client's mistake",
    },
    Wrong {
        exercise: "10",
        package: "wrong10_user_at_any_host",
        says: "the account lets in more hosts than the client host",
    },
    Wrong {
        exercise: "10",
        package: "wrong10_grants_everything",
        says: "has privileges on every database (ON *.*)",
    },
    Wrong {
        exercise: "10",
        package: "wrong10_listens_on_loopback",
        says: "the client host cannot reach the server: nothing listens on its network address",
    },
    Wrong {
        exercise: "06",
        package: "wrong06_pastes_input",
        says: "printed 20 customers, but 1 customer has that name: the input changed the query (SQL injection)",
    },
    Wrong {
        exercise: "06",
        package: "wrong06_strips_quotes",
        says: "printed 0 customers, but 1 customer has that name",
    },
    Wrong {
        exercise: "06",
        package: "wrong06_doubles_quotes",
        says: "OR 1=1 -- \" printed 20 customers, but no customer has that name",
    },
    Wrong {
        exercise: "03",
        package: "wrong03_no_foreign_key",
        says: "`orders.customer_id` has no FOREIGN KEY to customers.id",
    },
    Wrong {
        exercise: "03",
        package: "wrong03_fails_second_run",
        says: "your program failed when run a second time",
    },
    Wrong {
        exercise: "04",
        package: "wrong04_pasted_values",
        says: "a value with a quote ended the SQL text early",
    },
    Wrong {
        exercise: "04",
        package: "wrong04_latin1_connection",
        says: "accented letters or emoji came back mangled",
    },
    Wrong {
        exercise: "04",
        package: "wrong04_no_transaction",
        says: "rows before the failing one stayed in the table",
    },
    Wrong {
        exercise: "05",
        package: "wrong05_amount_above_minimum",
        says: "whose amount is exactly the minimum",
    },
    Wrong {
        exercise: "05",
        package: "wrong05_sorted_by_id",
        says: "printed the right orders in the wrong order",
    },
    Wrong {
        exercise: "12",
        package: "wrong12_excludes_range_start",
        says: "exactly at the start of the range",
    },
    Wrong {
        exercise: "09",
        package: "wrong09_unwraps_errors",
        says: "your program panicked when run with an e-mail address that is already taken",
    },
    Wrong {
        exercise: "09",
        package: "wrong09_retries_forever",
        says: "where nothing listens: it never gave up",
    },
    Wrong {
        exercise: "09",
        package: "wrong09_retries_without_waiting",
        says: "did not wait 100, 200 and 400 ms between attempts",
    },
    Wrong {
        exercise: "07",
        package: "wrong07_no_transaction",
        says: "when 6 transfers ran at once (6 reported success)",
    },
    Wrong {
        exercise: "07",
        package: "wrong07_no_row_lock",
        says: "ended with a negative balance",
    },
];

/// Untouched exercises that run (their scaffold works, but wrongly) instead of
/// stopping at a `todo!()`: the name, and words the failure message must hold.
const UNTOUCHED_BUT_RUNNING: &[(&str, &str)] =
    &[("06_sql_injection", "the input changed the query (SQL injection)")];

/// How many times, each with another seed, every wrong program is checked.
const ROUNDS_LOCAL: u64 = 3;
const ROUNDS_DOCKER: u64 = 2;

fn solutions_pass(backend: &Backend) {
    let run = check(backend, &["--solutions"]);
    run.assert_code(0);
    let report = run.json();
    for entry in report["exercises"].as_array().unwrap() {
        assert_eq!(entry["status"], "passed", "{entry:#}");
    }
    assert!(report["exercises"].as_array().unwrap().len() >= 2);
}

fn untouched_exercises_are_not_implemented(backend: &Backend) {
    let run = check(backend, &[]);
    run.assert_code(1);
    for entry in run.json()["exercises"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        if let Some((_, says)) = UNTOUCHED_BUT_RUNNING.iter().find(|(n, _)| *n == name) {
            run.assert_exercise(name, "failed", says);
            continue;
        }
        run.assert_exercise(
            name,
            "not_implemented",
            &format!("not implemented yet (exercises/{name}/src/lib.rs:"),
        );
    }
}

fn wrong_programs_fail(backend: &Backend, rounds: u64) {
    assert_wrong_programs_fail(backend, WRONG_PROGRAMS, rounds);
}

#[test]
fn local_solutions_pass() {
    solutions_pass(&Backend::Local);
}

#[test]
fn local_untouched_exercises_are_not_implemented() {
    untouched_exercises_are_not_implemented(&Backend::Local);
}

#[test]
fn local_wrong_programs_fail() {
    wrong_programs_fail(&Backend::Local, ROUNDS_LOCAL);
}

#[test]
fn docker_backend_checks_the_course_and_leaves_no_container() {
    if !docker_available() {
        return;
    }
    let backend = Backend::Docker(docker_image());
    solutions_pass(&backend);
    untouched_exercises_are_not_implemented(&backend);
    wrong_programs_fail(&backend, ROUNDS_DOCKER);
    let run = check(&backend, &["--solutions", "02"]);
    assert_eq!(run.json()["backend"], "docker");
    assert_eq!(containers_of(run.pid), Vec::<String>::new(), "the container was left behind");
    let failed = check(&backend, &["01", "--program", "01=wrong01_unwraps_errors"]);
    assert_eq!(
        containers_of(failed.pid),
        Vec::<String>::new(),
        "the container outlived a failed check"
    );
}

#[test]
fn a_seed_replays_the_same_data() {
    let planted = |seed: &str| {
        let run = check(
            &Backend::Local,
            &["02", "--program", "02=wrong02_hardcoded_list", "--seed", seed],
        );
        let message = run.exercise("02_show_databases")["message"].as_str().unwrap().to_string();
        let expected =
            message.lines().find(|line| line.starts_with("expected:")).unwrap().to_string();
        // gr02_<random>_<word><n>: keep what the seed decides, drop the sandbox's random part.
        let mut names: Vec<String> = expected
            .split([' ', ','])
            .filter(|word| word.starts_with("gr02_"))
            .filter_map(|name| name.splitn(3, '_').nth(2).map(String::from))
            .filter(|suffix| !suffix.is_empty())
            .collect();
        names.sort();
        names
    };
    let first = planted("7");
    assert!(first.len() >= 2, "{first:?}");
    assert_eq!(first, planted("7"));
    let others: Vec<Vec<String>> = ["8", "9", "10"].iter().map(|seed| planted(seed)).collect();
    assert!(others.iter().any(|other| *other != first), "three other seeds gave {first:?} too");
}

#[test]
fn local_servers_start_side_by_side() {
    // Servers that shared a folder for temporary tables crashed now and then when they
    // initialised at the same time, as parallel checks and these tests do.
    for _round in 0..2 {
        std::thread::scope(|scope| {
            let starts: Vec<_> =
                (0..4).map(|_| scope.spawn(grader::server::local::LocalServer::start)).collect();
            for start in starts {
                start.join().expect("no panic").expect("the local server starts");
            }
        });
    }
}
