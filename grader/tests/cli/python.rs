//! The Python track and `--cmd`: on each backend the track's solutions pass, its
//! untouched stubs are "not implemented" (06 fails as shipped), and each wrong Python
//! program in `grader/tests/python/` fails its check, run through `--cmd` as
//! any learner's program is; shell scripts through `--cmd` pass or fail like any
//! program; the Python track keeps its own progress.

use std::path::{Path, PathBuf};

use grader::course::Course;

use crate::support::{
    assert_text, check, check_with_env, docker_available, docker_image, grader_with_env, said,
    workspace_root, Backend,
};

/// The Python track's interpreter, from the virtual environment
/// `scripts/setup-python.sh` makes. In CI it must be there.
fn python() -> Option<PathBuf> {
    let python = workspace_root().join("tracks/python/.venv/bin/python");
    if !python.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but {} is missing: .ci/run makes it with scripts/setup-python.sh",
            python.display()
        );
        eprintln!("skipped: no tracks/python/.venv here (scripts/setup-python.sh makes it)");
    }
    python.is_file().then_some(python)
}

/// The Python track's exercises, as course.toml lists them.
fn python_course() -> Course {
    Course::load(&workspace_root()).unwrap().on_track(Some("python")).unwrap()
}

fn solutions_pass(backend: &Backend) {
    let run = check(backend, &["--track", "python", "--solutions"]);
    run.assert_code(0);
    let report = run.json();
    assert_eq!(report["language"], "python");
    let entries = report["exercises"].as_array().unwrap();
    assert_eq!(entries.len(), python_course().exercises.len(), "{report:#}");
    for entry in entries {
        assert_eq!(entry["status"], "passed", "{entry:#}");
    }
}

fn stubs_are_not_implemented(backend: &Backend) {
    let run = check(backend, &["--track", "python"]);
    run.assert_code(1);
    for exercise in python_course().exercises {
        let name = &exercise.name;
        match &exercise.untouched {
            Some(says) => {
                run.assert_exercise(name, "failed", says);
                // The advice is in Python's terms, not the Rust driver's.
                let next = run.exercise(name)["next_step"].as_str().unwrap_or_default().to_string();
                assert!(next.contains("`cursor.execute(sql, (name,))`"), "{name}: {next}");
            }
            None => {
                run.assert_exercise(
                    name,
                    "not_implemented",
                    &format!("not implemented yet (tracks/python/exercises/{name}/lib.py:"),
                );
            }
        }
    }
}

/// A wrong Python program: its folder, the exercise it answers, what its failure says.
struct Wrong {
    dir: PathBuf,
    exercise: String,
    says: String,
}

/// Every `grader/tests/python/wrongNN_*`, with its `wrong.toml`.
fn wrong_programs() -> Vec<Wrong> {
    let dir = workspace_root().join("grader/tests/python");
    let mut found: Vec<Wrong> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with("wrong"))
        .map(|entry| {
            let manifest = entry.path().join("wrong.toml");
            let text = std::fs::read_to_string(&manifest)
                .unwrap_or_else(|error| panic!("{}: {error}", manifest.display()));
            let value: toml::Value = toml::from_str(&text).unwrap();
            let field = |key: &str| {
                let value = value.get(key).and_then(toml::Value::as_str);
                value.unwrap_or_else(|| panic!("{}: no {key}", manifest.display())).to_string()
            };
            Wrong { dir: entry.path(), exercise: field("exercise"), says: field("says") }
        })
        .collect();
    found.sort_by(|a, b| a.dir.cmp(&b.dir));
    found
}

/// The command line that runs the track's `main.py` of `exercise` with the `lib.py`
/// in `library`: what a learner could type for `--cmd`.
fn main_py_with(python: &Path, exercise: &str, library: &Path) -> String {
    let course = python_course();
    let [exercise] = &course.select(&[exercise.to_string()]).unwrap()[..] else {
        panic!("one exercise {exercise}")
    };
    let main =
        workspace_root().join(exercise.dir(grader::course::Track::Exercises)).join("main.py");
    format!("PYTHONPATH={} {} -P {}", library.display(), python.display(), main.display())
}

fn wrong_programs_fail(backend: &Backend, python: &Path) {
    let wrongs = wrong_programs();
    for exercise in python_course().exercises {
        assert!(
            wrongs.iter().any(|wrong| wrong.exercise == exercise.number()),
            "no wrong program under grader/tests/python/wrong{}_* answers {}",
            exercise.number(),
            exercise.name
        );
    }
    for wrong in &wrongs {
        let command = main_py_with(python, &wrong.exercise, &wrong.dir);
        // A fixed seed, as for the Rust track's wrong programs: a failure replays.
        let args = ["--track", "python", &wrong.exercise, "--cmd", &command, "--seed", "17"];
        let run = check(backend, &args);
        run.assert_code(1);
        let entry = run.exercise_numbered(&wrong.exercise);
        assert_eq!(entry["status"], "failed", "{}: {entry:#}", wrong.dir.display());
        let message = entry["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(&wrong.says),
            "{}: {:?} in {message:?}",
            wrong.dir.display(),
            wrong.says
        );
    }
}

#[test]
fn local_python_track_solutions_pass_stubs_fail_and_wrong_programs_fail() {
    let Some(python) = python() else { return };
    solutions_pass(&Backend::Local);
    stubs_are_not_implemented(&Backend::Local);
    wrong_programs_fail(&Backend::Local, &python);
}

#[test]
fn docker_python_track_solutions_pass_stubs_fail_and_wrong_programs_fail() {
    let Some(python) = python() else { return };
    if !docker_available() {
        return;
    }
    let backend = Backend::Docker(docker_image());
    solutions_pass(&backend);
    stubs_are_not_implemented(&backend);
    wrong_programs_fail(&backend, &python);
}

#[test]
fn a_python_stub_through_cmd_is_not_implemented_where_it_raises() {
    let Some(python) = python() else { return };
    let stub = workspace_root().join("tracks/python/exercises/02_show_databases");
    let command = main_py_with(&python, "02", &stub);
    let run = check(&Backend::Local, &["02", "--cmd", &command]);
    run.assert_code(1);
    assert_eq!(run.json()["language"], "command");
    // A place inside the folder the command ran in (here grader/) is told relative to
    // it; this one is outside, so it is told whole.
    assert_text(
        &said(&run.exercise("02_show_databases")),
        "not_implemented: not implemented yet ([ROOT]/tracks/python/exercises/02_show_databases/lib.py:15)
→ write the part that raises or panics there; the task is in exercises/02_show_databases/README.md
",
    );
}

#[test]
fn a_shell_script_through_cmd_is_checked_like_any_program() {
    let scripts = workspace_root().join("grader/tests/shell");
    let script = |name: &str| scripts.join(name).display().to_string();
    let passing = check(&Backend::Local, &["02", "--cmd", &script("show_databases.sh")]);
    passing.assert_code(0).assert_exercise("02_show_databases", "passed", "");
    let hardcoded = check(&Backend::Local, &["02", "--cmd", &script("hardcoded_list.sh")]);
    hardcoded.assert_code(1).assert_exercise(
        "02_show_databases",
        "failed",
        "your program printed names this account cannot see: mysql",
    );
    // What a --cmd program gets: the check's arguments after its own (01 gives none),
    // the address's parts, and a plain URL.
    let arguments =
        check(&Backend::Local, &["01", "--cmd", &format!("{} extra", script("arguments.sh"))]);
    arguments.assert_code(1);
    assert_text(
        &said(&arguments.exercise("01_connect")),
        "failed: your program exited with code 1 when run with the right password, not 0
got: on stderr, 1 line: \"args=extra|host=127.0.0.1 port_set=yes user_is_db=yes url_plain=yes\"
→ read its error below and fix what it complains about
",
    );
}

#[test]
fn cmd_needs_one_exercise_and_refuses_the_solutions() {
    let every = check(&Backend::Local, &["--cmd", "python3 my02.py"]);
    every.assert_code(2);
    assert_text(
        &every.stderr,
        "error: --cmd runs one program in one exercise's place, and no exercise was named: name the exercise it answers, as in `grader check 02 --cmd \"python3 my02.py\"`
",
    );
    let solutions = check(&Backend::Local, &["02", "--solutions", "--cmd", "python3 my02.py"]);
    solutions.assert_code(2);
    assert_text(
        &solutions.stderr,
        "error: --cmd runs your own program: it goes without --solutions and --program\n",
    );
}

#[test]
fn the_python_track_keeps_its_own_progress() {
    if python().is_none() {
        return;
    }
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();
    let run = check_with_env(
        &Backend::Local,
        &["--track", "python", "02"],
        &[("GRADER_STATE_DIR", state_dir)],
    );
    run.assert_code(1);
    let progress = std::fs::read_to_string(state.path().join("progress-python.json")).unwrap();
    let progress: serde_json::Value = serde_json::from_str(&progress).unwrap();
    assert_eq!(progress["exercises"]["02_show_databases"]["status"], "not_implemented");
    assert!(!state.path().join("progress.json").exists(), "the Rust track's progress was written");
    let list = grader_with_env(
        &["list", "--track", "python", "--format", "json"],
        &[("GRADER_STATE_DIR", state_dir)],
    );
    list.assert_code(0);
    let listing: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    let names: Vec<&str> = listing["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = python_course().exercises.into_iter().map(|e| e.name).collect();
    assert_eq!(names, expected);
}
