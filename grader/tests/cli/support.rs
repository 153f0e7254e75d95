//! Running the grader and reading what it said.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The image the docker tests use: `GRADER_IMAGE`, else the offline image if this
/// machine has it, else the grader's default.
pub fn docker_image() -> String {
    if let Ok(image) = std::env::var("GRADER_IMAGE") {
        return image;
    }
    let offline = grader::server::docker::OFFLINE_IMAGE;
    let has_offline = Command::new("docker")
        .args(["image", "inspect", offline])
        .output()
        .is_ok_and(|output| output.status.success());
    if has_offline {
        offline.into()
    } else {
        "mysql:8.4".into()
    }
}

/// The image of Oracle MySQL that the docker tests use beside the first one:
/// `GRADER_MYSQL_IMAGE`, else the offline image's mysql flavour
/// (`scripts/build-offline-image.sh --flavour mysql`), if this machine has it. In CI
/// it must be there.
pub fn mysql_image() -> Option<String> {
    let image = std::env::var("GRADER_MYSQL_IMAGE")
        .unwrap_or_else(|_| "mysql-course/server:mysql".to_string());
    let here = Command::new("docker")
        .args(["image", "inspect", &image])
        .output()
        .is_ok_and(|output| output.status.success());
    if !here {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the image {image} is not here: .ci/run builds it with \
             scripts/build-offline-image.sh --flavour mysql"
        );
        eprintln!("skipped: no image {image} here, so Oracle MySQL is not tested on docker");
    }
    here.then_some(image)
}

/// Oracle MySQL's `mysqld` for the local backend's tests: `GRADER_TEST_MYSQLD`
/// (`scripts/mysqld-from-image.sh` makes one from the MySQL image). In CI it must be set.
pub fn local_mysqld() -> Option<PathBuf> {
    let mysqld = std::env::var_os("GRADER_TEST_MYSQLD").map(PathBuf::from);
    if mysqld.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but GRADER_TEST_MYSQLD is not: .ci/run makes one with scripts/mysqld-from-image.sh"
        );
        eprintln!("skipped: GRADER_TEST_MYSQLD is not set, so Oracle MySQL is not tested on the local backend");
    }
    mysqld
}

/// Whether the docker tests can run here. In CI they must: there, no daemon is a failure.
pub fn docker_available() -> bool {
    let answers =
        Command::new("docker").arg("info").output().is_ok_and(|output| output.status.success());
    if !answers {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but `docker info` fails: the docker backend's tests must run in CI"
        );
        eprintln!("skipped: `docker info` fails, so the docker backend is not tested here");
    }
    answers
}

/// A finished grader run.
#[derive(Debug)]
pub struct Run {
    pub pid: u32,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The JSON report on stdout.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!("stdout is not JSON ({error}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// The report's entry for `name`.
    pub fn exercise(&self, name: &str) -> Value {
        let report = self.json();
        let found = report["exercises"]
            .as_array()
            .expect("exercises")
            .iter()
            .find(|e| e["name"] == name)
            .cloned();
        found.unwrap_or_else(|| panic!("no {name} in {report:#}"))
    }

    /// Asserts the exit code, showing everything the grader said when it differs.
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that `name` has `status` and a message containing `text`.
    pub fn assert_exercise(&self, name: &str, status: &str, text: &str) -> &Self {
        let entry = self.exercise(name);
        assert_eq!(entry["status"], status, "{entry:#}");
        let message = entry["message"].as_str().unwrap_or_default();
        assert!(message.contains(text), "{name}: expected {text:?} in {message:?}");
        self
    }
}

/// The grader's command with `args` (no colour, no inherited grader settings, and
/// its progress file and persistent server in a folder of the tests' own, so that a
/// developer's progress and persistent server are neither touched nor used).
pub fn grader_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_grader"));
    command
        .args(args)
        .env_remove("GRADER_BACKEND")
        .env_remove("GRADER_SERVER")
        .env_remove("GRADER_IMAGE")
        .env_remove("DATABASE_URL")
        .env_remove("GRADER_LAB_ADMIN")
        .env("GRADER_STATE_DIR", Path::new(env!("CARGO_TARGET_TMPDIR")).join("grader-state"))
        .env("NO_COLOR", "1");
    command
}

/// Runs the grader with `args` to the end.
pub fn grader(args: &[&str]) -> Run {
    grader_with_env(args, &[])
}

/// Runs the grader with `args` and extra environment variables to the end.
pub fn grader_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let child = grader_command(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the grader runs");
    let pid = child.id();
    let Output { status, stdout, stderr } = child.wait_with_output().expect("the grader runs");
    Run {
        pid,
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// `grader check --format json` on `backend` with `args`.
pub fn check(backend: &Backend, args: &[&str]) -> Run {
    check_with_env(backend, args, &[])
}

/// `grader check --format json` on `backend` with `args` and extra environment variables.
pub fn check_with_env(backend: &Backend, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["check", "--format", "json"];
    all.extend(backend.args());
    all.extend(args);
    let mut env = env.to_vec();
    env.extend(backend.env());
    grader_with_env(&all, &env)
}

/// A backend and the options that select it.
pub enum Backend {
    /// The local backend with the server program it finds.
    Local,
    /// The local backend with this `mysqld` (as `GRADER_MYSQLD`).
    LocalWith(PathBuf),
    /// The docker backend with this image.
    Docker(String),
}

impl Backend {
    /// `grader COMMAND` on this backend with `args`.
    pub fn run(&self, command: &str, args: &[&str]) -> Run {
        let mut all = vec![command];
        all.extend(self.args());
        all.extend(args);
        grader_with_env(&all, &self.env())
    }

    fn args(&self) -> Vec<&str> {
        match self {
            Backend::Local | Backend::LocalWith(_) => vec!["--backend", "local"],
            Backend::Docker(image) => vec!["--backend", "docker", "--image", image],
        }
    }

    /// The environment the backend needs.
    fn env(&self) -> Vec<(&str, &str)> {
        match self {
            Backend::LocalWith(mysqld) => vec![("GRADER_MYSQLD", mysqld.to_str().unwrap())],
            _ => Vec::new(),
        }
    }
}

pub use grader::process::{descendants, is_alive, processes, Process};

/// Live processes whose command line contains `pattern`.
pub fn processes_matching(pattern: &str) -> Vec<String> {
    processes().iter().map(Process::command).filter(|command| command.contains(pattern)).collect()
}

/// Containers that the grader with process id `pid` labelled and that still exist.
pub fn containers_of(pid: u32) -> Vec<String> {
    let output = Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("label={}={pid}", grader::server::docker::LABEL)])
        .output()
        .expect("docker runs");
    String::from_utf8_lossy(&output.stdout).lines().map(String::from).collect()
}

/// The workspace the tests run in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A deliberately wrong answer to an exercise, and words its failure message must hold.
#[derive(Debug, Clone)]
pub struct Wrong {
    /// The exercise's number, as `check` takes it (`"07"`).
    pub exercise: String,
    /// The package under `grader/tests/programs/` that answers it wrongly.
    pub package: String,
    /// Text the failure message must contain.
    pub says: String,
}

/// What `[package.metadata.grader]` of a wrong program's Cargo.toml says.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WrongMetadata {
    exercise: String,
    says: String,
}

/// Every wrong program in `grader/tests/programs/wrongNN_*`, with the exercise it
/// answers and the words its failure must hold, from its `[package.metadata.grader]`.
/// A program without that metadata, or naming another exercise than its name's
/// number, or one that does not exist, fails the test by name.
pub fn wrong_programs() -> Vec<Wrong> {
    programs_named("wrong")
        .into_iter()
        .map(|(package, manifest, metadata)| {
            let metadata: WrongMetadata = metadata.try_into().unwrap_or_else(|error| {
                panic!(
                    "{}: [package.metadata.grader] is not {{ exercise, says }}: {error}",
                    manifest.display()
                )
            });
            assert!(!metadata.says.trim().is_empty(), "{}: `says` is empty", manifest.display());
            Wrong { exercise: metadata.exercise, package, says: metadata.says }
        })
        .collect()
}

/// A correct answer to an exercise written differently from the reference solution.
#[derive(Debug, Clone)]
pub struct Right {
    /// The exercise's number, as `check` takes it (`"05"`).
    pub exercise: String,
    /// The package under `grader/tests/programs/` that answers it.
    pub package: String,
    /// Right on MariaDB only (`mariadb_only = true`): Oracle MySQL does something
    /// else with it, and the check goes by what the server does.
    pub mariadb_only: bool,
}

/// What `[package.metadata.grader]` of a right program's Cargo.toml says.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RightMetadata {
    exercise: String,
    passes: bool,
    #[serde(default)]
    mariadb_only: bool,
}

/// Every correct variant in `grader/tests/programs/rightNN_*`, from its
/// `[package.metadata.grader]` (`exercise`, and `passes = true`). A program without
/// that metadata, or naming another exercise than its name's number, fails the test
/// by name.
pub fn right_programs() -> Vec<Right> {
    programs_named("right")
        .into_iter()
        .map(|(package, manifest, metadata)| {
            let metadata: RightMetadata = metadata.try_into().unwrap_or_else(|error| {
                panic!(
                    "{}: [package.metadata.grader] is not {{ exercise, passes }}: {error}",
                    manifest.display()
                )
            });
            assert!(
                metadata.passes,
                "{}: a right program says `passes = true`",
                manifest.display()
            );
            Right { exercise: metadata.exercise, package, mariadb_only: metadata.mariadb_only }
        })
        .collect()
}

/// The packages `grader/tests/programs/{prefix}NN_*`, sorted, each with its manifest's
/// path and its `[package.metadata.grader]`, whose `exercise` is checked against the
/// name's number and the course.
fn programs_named(prefix: &str) -> Vec<(String, PathBuf, toml::Value)> {
    let root = workspace_root();
    let course = grader::course::Course::load(&root).unwrap();
    let dir = root.join("grader/tests/programs");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let package = entry.file_name().to_string_lossy().into_owned();
        let Some(number) = package.strip_prefix(prefix).and_then(|rest| rest.get(..2)) else {
            continue;
        };
        if !number.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let manifest = entry.path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        let metadata =
            value.get("package").and_then(|p| p.get("metadata")).and_then(|m| m.get("grader"));
        let Some(metadata) = metadata else {
            panic!("{}: no [package.metadata.grader] with `exercise`", manifest.display());
        };
        let exercise = metadata.get("exercise").and_then(toml::Value::as_str).unwrap_or_default();
        assert_eq!(exercise, number, "{}: its name says exercise {number}", manifest.display());
        assert!(
            course.exercises.iter().any(|e| e.number() == exercise),
            "{}: course.toml has no exercise {exercise}",
            manifest.display(),
        );
        found.push((package, manifest, metadata.clone()));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

/// A program that stands in for an exercise's own: a wrong or a right one.
pub trait StandIn: Clone {
    /// The exercise's number, as `check` takes it (`"07"`).
    fn exercise(&self) -> &str;
    /// The package under `grader/tests/programs/`.
    fn package(&self) -> &str;
}

impl StandIn for Wrong {
    fn exercise(&self) -> &str {
        &self.exercise
    }
    fn package(&self) -> &str {
        &self.package
    }
}

impl StandIn for Right {
    fn exercise(&self) -> &str {
        &self.exercise
    }
    fn package(&self) -> &str {
        &self.package
    }
}

/// Checks every program of `programs` in its exercise's place, `rounds` times, each
/// round with another seed, and hands each grader run, its programs and the seed to
/// `judge`. A grader run takes at most one program per exercise, so a round is as
/// many runs as the exercise with the most programs has.
fn check_stand_ins<P: StandIn>(
    backend: &Backend,
    programs: &[P],
    rounds: u64,
    judge: impl Fn(&Run, &[P], &str),
) {
    let mut layers: Vec<Vec<P>> = Vec::new();
    for program in programs {
        let free = layers
            .iter_mut()
            .find(|layer| layer.iter().all(|p| p.exercise() != program.exercise()));
        match free {
            Some(layer) => layer.push(program.clone()),
            None => layers.push(vec![program.clone()]),
        }
    }
    for round in 0..rounds {
        let seed = (round * 7919 + 17).to_string();
        for layer in &layers {
            let mut args: Vec<String> = layer.iter().map(|p| p.exercise().to_string()).collect();
            for program in layer {
                args.push("--program".into());
                args.push(format!("{}={}", program.exercise(), program.package()));
            }
            args.extend(["--seed".into(), seed.clone()]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            judge(&check(backend, &args), layer, &seed);
        }
    }
}

/// Checks every program of `rights` against its exercise `rounds` times, each round
/// with another seed (the seeds [`assert_wrong_programs_fail`] uses), and asserts each
/// one passes.
pub fn assert_right_programs_pass(backend: &Backend, rights: &[Right], rounds: u64) {
    check_stand_ins(backend, rights, rounds, |run, layer, seed| {
        for right in layer {
            let entry = run.exercise_numbered(&right.exercise);
            assert_eq!(
                entry["status"], "passed",
                "{} (seed {seed}) should pass {}: {entry:#}",
                right.package, right.exercise
            );
        }
        run.assert_code(0);
    });
}

/// Checks every program of `wrongs` against its exercise `rounds` times, each round
/// with another seed, and asserts each one fails with its message.
pub fn assert_wrong_programs_fail(backend: &Backend, wrongs: &[Wrong], rounds: u64) {
    check_stand_ins(backend, wrongs, rounds, |run, layer, seed| {
        run.assert_code(1);
        for wrong in layer {
            let entry = run.exercise_numbered(&wrong.exercise);
            let message = entry["message"].as_str().unwrap_or_default();
            assert_eq!(
                entry["status"], "failed",
                "{} (seed {seed}) should fail {}: {entry:#}",
                wrong.package, wrong.exercise
            );
            assert!(
                message.contains(&wrong.says),
                "{} (seed {seed}): expected {:?} in {message:?}",
                wrong.package,
                wrong.says
            );
        }
    });
}

impl Run {
    /// The report's entry for the exercise numbered `number` (`"07"`).
    pub fn exercise_numbered(&self, number: &str) -> Value {
        let report = self.json();
        let prefix = format!("{number}_");
        let found = report["exercises"]
            .as_array()
            .expect("exercises")
            .iter()
            .find(|e| e["name"].as_str().is_some_and(|name| name.starts_with(&prefix)))
            .cloned();
        found.unwrap_or_else(|| panic!("no exercise {number} in {report:#}"))
    }
}

/// What varies from one run of the grader to the next in what it says, and the
/// placeholder each becomes before a comparison: `[ROOT]` the workspace,
/// `[TARGET_TMPDIR]` cargo's folder for the tests' files, `[TMP]` the system's
/// temporary folder, `[SEED]` a seed, `[SANDBOX]` a sandbox's database and account
/// (`gr02_` and eight random letters), `[HOST]` the address its account is for (drawn
/// per sandbox), `[DURATION]` a measured time (`0.42 s`, `12 ms`;
/// a whole number of seconds, a limit like `after 2 s`, stays), `[PID]` a process id,
/// `[RANDOM]` the random part of a throwaway server's folder, `[PORT]` a port on
/// 127.0.0.1 and `[VERSION]` a server's version. A test adds its
/// own (`insert("[COURSE]", path)`) or keeps one literal (`remove("[SEED]")`).
pub fn redactions() -> snapbox::Redactions {
    let regex = |pattern: &str| regex::Regex::new(pattern).unwrap();
    let mut redactions = snapbox::Redactions::new();
    let values: [(&'static str, snapbox::RedactedValue); 15] = [
        ("[ROOT]", workspace_root().into()),
        ("[TARGET_TMPDIR]", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).into()),
        ("[TMP]", std::env::temp_dir().into()),
        ("[SEED]", regex(r"\bseed (?<redacted>\d+)").into()),
        ("[SANDBOX]", regex(r"\bgr\d{2}_[a-z]{8}").into()),
        // After the account's name, whether that is redacted already or not.
        (
            "[HOST]",
            regex(r"(\bgr\d{2}_[a-z]{8}|\[SANDBOX\])'?@'?(?<redacted>\d{1,3}(\.\d{1,3}){3})\b")
                .into(),
        ),
        ("[DURATION]", regex(r"\b\d+\.\d+ s\b").into()),
        ("[DURATION]", regex(r"\b\d+(\.\d+)? ms\b").into()),
        ("[PID]", regex(r"\bprocess +(?<redacted>\d+)").into()),
        ("[PID]", regex(r"\bgrader-mysql-(?<redacted>\d+)-").into()),
        ("[PID]", regex(r"\bkill -9 (?<redacted>\d+)").into()),
        ("[PID]", regex(r"\borg\.mysql-course\.grader=(?<redacted>\d+)").into()),
        // Longer than the pattern of the process id in it, so it goes first.
        ("[RANDOM]", regex(r"\bgrader-mysql-\d+-(?<redacted>[0-9A-Za-z]{6})\b").into()),
        ("[PORT]", regex(r"(127\.0\.0\.1:|-P )(?<redacted>\d{4,5})\b").into()),
        (
            "[VERSION]",
            regex(r"(?m)(^|[\s(])(?<redacted>\d+\.\d+\.\d+(-[^\s),]+)?)([\s),]|$)").into(),
        ),
    ];
    for (placeholder, value) in values {
        redactions.insert(placeholder, value).unwrap();
    }
    redactions
}

/// Asserts that `actual`, something the grader said, is `expected` once what varies
/// from run to run is redacted ([`redactions`]). In `expected`, `[..]` stands for any
/// text within a line and a line of `...` for any number of lines. A mismatch shows a
/// diff; `SNAPSHOTS=overwrite cargo test …` rewrites an expected `str![[…]]` with what
/// the grader said.
#[track_caller]
pub fn assert_text(actual: &str, expected: impl snapbox::IntoData) {
    assert_text_with(redactions(), actual, expected);
}

/// [`assert_text`] with redactions of the test's own.
#[track_caller]
pub fn assert_text_with(
    redactions: snapbox::Redactions,
    actual: &str,
    expected: impl snapbox::IntoData,
) {
    snapbox::Assert::new()
        .action_env(snapbox::assert::DEFAULT_ACTION_ENV)
        .redact_with(redactions)
        .eq(actual, expected);
}

/// A report's entry for an exercise, or a watch verdict, as a learner reads it:
/// `status: message`, and the next step on a line of its own when there is one.
pub fn said(entry: &Value) -> String {
    let mut said = entry["status"].as_str().unwrap_or("(no status)").to_string();
    if let Some(message) = entry["message"].as_str() {
        said += &format!(": {message}");
    }
    if let Some(next) = entry["next_step"].as_str() {
        said += &format!("\n→ {next}");
    }
    said + "\n"
}

/// A course of three exercises for [`fixture_course`], whose titles and hints do not
/// change with the real course's.
pub const THREE_EXERCISES: &str = r#"
[[exercise]]
name = "01_connect"
title = "Connect"
hints = ["Open a connection.", "Ask who you are."]

[[exercise]]
name = "02_show_databases"
title = "Show the databases"
hints = ["SHOW DATABASES is a query.", "Collect the rows.", "Keep the server's order."]

[[exercise]]
name = "03_create_schema"
title = "Create the schema"
hints = ["CREATE TABLE IF NOT EXISTS."]
"#;

/// A course of its own in a temporary git repository, so that what a test shows of
/// it does not change with the real course: `course_toml` as `exercises/course.toml`,
/// and for each exercise a `src/lib.rs` still at its `todo!()` and a README.md, all
/// committed as shipped.
pub fn fixture_course(course_toml: &str) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("exercises/course.toml", course_toml);
    for exercise in grader::course::Course::parse(course_toml).unwrap().exercises {
        write(&format!("exercises/{}/src/lib.rs", exercise.name), "pub fn f() { todo!() }\n");
        write(&format!("exercises/{}/README.md", exercise.name), "The task.\n");
    }
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(root.path())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "shipped"]);
    root
}
