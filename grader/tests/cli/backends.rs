//! The whole course on each backend: solutions pass, untouched exercises are "not
//! implemented", and each check fails the wrong program written against it.

use grader::course::Course;

use crate::support::{
    assert_right_programs_pass, assert_wrong_programs_fail, check, containers_of, docker_available,
    docker_image, local_mysqld, mysql_image, right_programs, workspace_root, wrong_programs,
    Backend,
};

/// How many times, each with another seed, every wrong and right program is checked.
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

/// Every untouched exercise stops at its `todo!()`, or, where course.toml says its
/// given code runs (`untouched`), fails with the words it names.
fn untouched_exercises_are_not_implemented(backend: &Backend) {
    let course = Course::load(&workspace_root()).unwrap();
    let run = check(backend, &[]);
    run.assert_code(1);
    for entry in run.json()["exercises"].as_array().unwrap() {
        let name = entry["name"].as_str().unwrap();
        let exercise = course.exercises.iter().find(|e| e.name == name).unwrap();
        if let Some(says) = &exercise.untouched {
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
    assert_wrong_programs_fail(backend, &wrong_programs(), rounds);
}

#[test]
fn every_wrong_program_says_what_it_must_fail_with() {
    // wrong_programs() panics, naming the package, when one lacks its metadata.
    let wrongs = wrong_programs();
    let course = Course::load(&workspace_root()).unwrap();
    assert!(wrongs.len() >= course.exercises.len(), "{} wrong programs", wrongs.len());
    for exercise in &course.exercises {
        assert!(
            wrongs.iter().any(|wrong| wrong.exercise == exercise.number()),
            "no wrong program under grader/tests/programs/wrong{}_* answers {}: add one that makes the mistake its check exists for",
            exercise.number(),
            exercise.name
        );
    }
}

/// Correct programs written differently from the reference pass on every seed.
/// `oracle`: the backend runs Oracle MySQL, where programs right on MariaDB only are
/// left out.
fn right_programs_pass(backend: &Backend, rounds: u64, oracle: bool) {
    let mut rights = right_programs();
    assert!(!rights.is_empty(), "no grader/tests/programs/right*_* program");
    rights.retain(|right| !(oracle && right.mariadb_only));
    assert_right_programs_pass(backend, &rights, rounds);
}

#[test]
fn local_right_programs_pass() {
    right_programs_pass(&Backend::Local, ROUNDS_LOCAL, false);
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
fn local_backend_on_oracle_mysql_checks_the_course() {
    let Some(mysqld) = local_mysqld() else {
        return;
    };
    let backend = Backend::LocalWith(mysqld);
    let run = check(&backend, &["--solutions", "01"]);
    let version = run.json()["server_version"].as_str().unwrap_or_default().to_string();
    assert!(!version.contains("MariaDB"), "GRADER_TEST_MYSQLD runs {version}, not Oracle MySQL");
    solutions_pass(&backend);
    untouched_exercises_are_not_implemented(&backend);
    wrong_programs_fail(&backend, 1);
    right_programs_pass(&backend, 1, true);
}

#[test]
fn docker_backend_on_oracle_mysql_checks_the_course_and_leaves_no_container() {
    if !docker_available() {
        return;
    }
    let Some(image) = mysql_image() else {
        return;
    };
    docker_course(&Backend::Docker(image), true);
}

#[test]
fn docker_backend_checks_the_course_and_leaves_no_container() {
    if !docker_available() {
        return;
    }
    docker_course(&Backend::Docker(docker_image()), false);
}

/// The whole course on a docker backend (`oracle`: its image runs Oracle MySQL), and
/// no container left after a check.
fn docker_course(backend: &Backend, oracle: bool) {
    solutions_pass(backend);
    untouched_exercises_are_not_implemented(backend);
    wrong_programs_fail(backend, ROUNDS_DOCKER);
    right_programs_pass(backend, 1, oracle);
    let run = check(backend, &["--solutions", "02"]);
    assert_eq!(run.json()["backend"], "docker");
    assert_eq!(containers_of(run.pid), Vec::<String>::new(), "the container was left behind");
    let failed = check(backend, &["01", "--program", "01=wrong01_unwraps_errors"]);
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
            .map(|word| word.trim_matches('"'))
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

/// Exercise 10's local lab has two forms: hosts made of network namespaces with a
/// firewall (as root, so in CI), and loopback addresses without one (elsewhere).
/// `GRADER_LOCAL_LAB=loopback` asks for the second, which the other tests then miss.
#[test]
fn the_loopback_lab_checks_exercise_10_too() {
    let env = [("GRADER_LOCAL_LAB", "loopback")];
    let run = crate::support::check_with_env(&Backend::Local, &["10", "--solutions"], &env);
    run.assert_code(0);
    for wrong in wrong_programs().iter().filter(|wrong| wrong.exercise == "10") {
        let program = format!("10={}", wrong.package);
        let run =
            crate::support::check_with_env(&Backend::Local, &["10", "--program", &program], &env);
        run.assert_code(1);
        run.assert_exercise("10_remote_access", "failed", &wrong.says);
        if wrong.package == "wrong10_user_at_any_host" {
            // The loopback lab's hosts are addresses of a 127.x.y.0/24.
            run.assert_exercise("10_remote_access", "failed", "the intruder host (127.");
        }
    }
    for right in right_programs().iter().filter(|right| right.exercise == "10") {
        let program = format!("10={}", right.package);
        let run =
            crate::support::check_with_env(&Backend::Local, &["10", "--program", &program], &env);
        run.assert_exercise("10_remote_access", "passed", "");
        run.assert_code(0);
    }
}

/// Exercise 10's lab draws its addresses from the seed, so that an address written
/// in a program or in mysqld.cnf fails: two seeds give two networks, and one seed
/// replays its own.
#[test]
fn the_labs_addresses_change_with_the_seed() {
    let env = [("GRADER_LOCAL_LAB", "loopback")];
    let intruder = |seed: &str| {
        let args = ["10", "--program", "10=wrong10_user_at_any_host", "--seed", seed];
        let run = crate::support::check_with_env(&Backend::Local, &args, &env);
        let message = run.exercise("10_remote_access")["message"].as_str().unwrap().to_string();
        let (_, after) =
            message.split_once("the intruder host (").unwrap_or_else(|| panic!("{message}"));
        after.split(')').next().unwrap().to_string()
    };
    let first = intruder("17");
    assert!(first.starts_with("127."), "{first}");
    assert_eq!(first, intruder("17"));
    assert_ne!(first, intruder("7936"));
}
