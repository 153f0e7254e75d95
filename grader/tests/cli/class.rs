//! `grader grade` over a class of generated submissions, one of each kind a batch
//! meets: solved, untouched, not compiling, looping, malicious (it looks for the
//! grader's files and floods its output), a folder that is not a copy of the course,
//! a git repository and a git URL that cannot be cloned. The gradebook, each JUnit file and each
//! Gradescope file are compared whole; only times and random names are redacted.

use std::path::{Path, PathBuf};

use snapbox::str;

use crate::support::{grader_with_env, redactions, workspace_root};

/// The exercises the batch grades.
const EXERCISES: [&str; 2] = ["01_connect", "02_show_databases"];

/// The `todo!("…")` of a shipped stub.
fn todo_call() -> regex::Regex {
    regex::Regex::new(r#"todo!\("(?:[^"\\]|\\.)*"\)"#).unwrap()
}

/// What replaces the `todo!()` in the malicious submission: it looks for the
/// grader's own files (its state folder, the persistent server's record with its
/// administrator's password), prints what it found, then floods its output.
const MALICIOUS: &str = r#"{
        use std::io::Write as _;
        let state = std::env::var("GRADER_STATE_DIR").unwrap_or_default();
        let record = std::path::Path::new(&state).join("server/server.json");
        if let Ok(text) = std::fs::read_to_string(record) {
            println!("the grader's record: {text}");
        }
        let line = "A".repeat(1023);
        let mut out = std::io::stdout().lock();
        for _ in 0..100_000 {
            if writeln!(out, "{line}").is_err() {
                break;
            }
        }
        std::process::exit(0)
    }"#;

/// A copy of the course named `name` in `dir`, whose exercises' `lib.rs` is what
/// `lib` makes of the shipped one (and the exercise's name).
fn submission(dir: &Path, name: &str, lib: impl Fn(&str, &str) -> String) -> PathBuf {
    let root = workspace_root();
    let copy = dir.join(name);
    for file in ["Cargo.toml", "Cargo.lock"] {
        std::fs::create_dir_all(&copy).unwrap();
        std::fs::copy(root.join(file), copy.join(file)).unwrap();
    }
    let course = grader::course::Course::load(&root).unwrap();
    std::fs::create_dir_all(copy.join("exercises")).unwrap();
    std::fs::copy(root.join("exercises/course.toml"), copy.join("exercises/course.toml")).unwrap();
    for exercise in &course.exercises {
        let from = root.join("exercises").join(&exercise.name);
        let to = copy.join("exercises").join(&exercise.name);
        for file in ["Cargo.toml", "README.md", "src/main.rs", "src/lib.rs"] {
            std::fs::create_dir_all(to.join("src")).unwrap();
            std::fs::copy(from.join(file), to.join(file)).unwrap();
        }
        if EXERCISES.contains(&exercise.name.as_str()) {
            let shipped = std::fs::read_to_string(from.join("src/lib.rs")).unwrap();
            std::fs::write(to.join("src/lib.rs"), lib(&shipped, &exercise.name)).unwrap();
        }
    }
    copy
}

/// The class: `subs/`, a folder of the five submissions and one folder that is not a
/// copy of the course; `repos/7-cloned`, a git repository of a solved copy; the URLs
/// of that repository and of one that does not exist.
fn class() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::Builder::new().prefix("grader-class-").tempdir().unwrap();
    let subs = dir.path().join("subs");
    let todo = todo_call();
    let root = workspace_root();
    let solved = |_: &str, name: &str| {
        std::fs::read_to_string(root.join("solutions").join(name).join("src/lib.rs")).unwrap()
    };
    submission(&subs, "1-solved", solved);
    submission(&subs, "2-untouched", |shipped, _| shipped.to_string());
    submission(&subs, "3-not-compiling", |shipped, _| {
        todo.replace(shipped, "this is not Rust").into_owned()
    });
    submission(&subs, "4-looping", |shipped, _| {
        todo.replace(shipped, "loop { std::thread::sleep(std::time::Duration::from_millis(10)) }")
            .into_owned()
    });
    submission(&subs, "5-malicious", |shipped, _| todo.replace(shipped, MALICIOUS).into_owned());
    // Not a copy of the course: its verdict says so, and the batch goes on.
    std::fs::create_dir_all(subs.join("6-empty")).unwrap();
    std::fs::write(subs.join("6-empty/notes.txt"), "no exercises here\n").unwrap();
    let repo = submission(&dir.path().join("repos"), "7-cloned", solved);
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(&repo)
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "my work"]);
    let args = vec![
        subs.to_string_lossy().into_owned(),
        format!("file://{}", repo.display()),
        format!("file://{}/repos/8-unreachable.git", dir.path().display()),
    ];
    (dir, args)
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The redactions of [`redactions`], the class's folder, a JUnit file's times, and
/// the random part of the databases check 02 plants beside the sandbox.
fn gradebook_redactions(class: &Path) -> snapbox::Redactions {
    let mut redactions = redactions();
    redactions.insert("[CLASS]", class.to_path_buf()).unwrap();
    let time = regex::Regex::new(r#"time="(?<redacted>\d+\.\d{3})""#).unwrap();
    redactions.insert("[TIME]", time).unwrap();
    let suffix = r"\b(?:warehouse|analytics|legacy|crm|shipping|metrics)_(?<redacted>[a-z]{6})\b";
    redactions.insert("[SUFFIX]", regex::Regex::new(suffix).unwrap()).unwrap();
    redactions
}

/// Asserts that `actual` is `expected` once redacted, backslashes and all (a JSON
/// file's `\n` stays as written).
#[track_caller]
fn assert_file(class: &Path, actual: &str, expected: impl snapbox::IntoData) {
    snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .normalize_paths(false)
        .redact_with(gradebook_redactions(class))
        .eq(actual, expected);
}

#[test]
fn a_batch_of_every_kind_of_submission_gives_the_expected_gradebook() {
    let (class, submissions) = class();
    let out = class.path().join("gradebook");
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("class-work");
    let mut args = vec!["grade"];
    args.extend(submissions.iter().map(String::as_str));
    let run = grader_with_env(
        &[
            &args[..],
            &[
                "--exercises",
                "01,02",
                "--backend",
                "local",
                "--seed",
                "7",
                "--timeout",
                "2",
                "--out",
                out.to_str().unwrap(),
                "--work",
                work.to_str().unwrap(),
            ],
        ]
        .concat(),
        &[],
    );
    run.assert_code(0);
    // The expected files are in tests/cli/class/; `SNAPSHOTS=overwrite` rewrites them.
    let expected = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/class");
    let compare = |file: &str| {
        let wanted = snapbox::Data::read_from(&expected.join(file), None);
        assert_file(class.path(), &read(out.join(file)), wanted);
    };
    compare("grades.csv");
    let names = [
        "1-solved",
        "2-untouched",
        "3-not-compiling",
        "4-looping",
        "5-malicious",
        "6-empty",
        "7-cloned",
        "8-unreachable",
    ];
    for name in names {
        compare(&format!("junit/{name}.xml"));
        compare(&format!("gradescope/{name}.json"));
        let log = read(out.join(format!("logs/{name}.log")));
        assert!(log.starts_with(&format!("submission {name}\nfrom ")), "{log}");
    }
    let summary: serde_json::Value = serde_json::from_str(&read(out.join("summary.json"))).unwrap();
    assert_eq!(summary["seed"], 7);
    assert_eq!(summary["max_score"], 10);
    let compiled: Vec<u64> = summary["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|submission| submission["verdict"] == "graded")
        .map(|submission| submission["crates_compiled"].as_u64().unwrap())
        .collect();
    assert!(
        compiled.iter().all(|&n| n <= 4),
        "each submission compiles its two exercises' crates (a library and a program each), \
         the dependencies being shared: {compiled:?}"
    );
    assert_file(
        class.path(),
        &run.stdout,
        str![[r#"
1-solved          10 / 10
2-untouched        0 / 10
3-not-compiling    0 / 10
4-looping          0 / 10
5-malicious        0 / 10
6-empty            0 / 10  not graded: [CLASS]/subs/6-empty has no exercises/ folder: it is not a copy of the course
7-cloned          10 / 10
8-unreachable      0 / 10  not graded: git clone failed: fatal: '[CLASS]/repos/8-unreachable.git' does not appear to be a git repository

8 submissions in [DURATION] (seed [SEED]); the gradebook: [CLASS]/gradebook/grades.csv

"#]],
    );
}
