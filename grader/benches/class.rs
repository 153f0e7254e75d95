//! Grading a class on this machine: `CLASS_SUBMISSIONS` submissions (30 by default)
//! of every exercise of the course against a warm persistent server (the local
//! backend), as many at a time as the machine has cores. Half the submissions are
//! the reference solutions, half the untouched exercises, each a copy of the course.
//!
//! It prints the batch's time, the template's build (the shared dependencies, once),
//! and for the submissions: the share of their time spent compiling, the first
//! submission's compile against the others', and how many crates each compiled (its
//! own exercise crates alone, when the dependencies are shared). It fails when a
//! submission compiled a dependency, or a solved submission lost a point.
//!
//! Run with `cargo bench -p grader --bench class` (`CLASS_SUBMISSIONS=6` for a short run).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use grader::class::{self, submissions, Batch};
use grader::course::Course;
use grader::server::{BackendChoice, ServerSettings};
use grader::spinner::Spinners;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();
    let count: usize =
        std::env::var("CLASS_SUBMISSIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(30);
    let course = Course::load(&root).expect("the course");
    let class = tempfile::Builder::new().prefix("grader-class-bench-").tempdir().expect("a folder");
    for n in 0..count {
        copy_course(&root, &course, &class.path().join(format!("student{n:02}")), n % 2 == 0);
    }
    // The persistent server's folder, apart from the class (where it would be a submission).
    let state_dir =
        tempfile::Builder::new().prefix("grader-class-state-").tempdir().expect("a folder");
    let state = state_dir.path().to_path_buf();
    let grader = env!("CARGO_BIN_EXE_grader");
    let start = Command::new(grader)
        .args(["server", "start", "--backend", "local"])
        .env("GRADER_STATE_DIR", &state)
        .status()
        .expect("the grader runs");
    assert!(start.success(), "a persistent local server starts");

    let jobs = std::thread::available_parallelism().map_or(1, usize::from);
    let work =
        std::env::var_os("CLASS_WORK").map_or_else(|| class.path().join("work"), PathBuf::from);
    let batch = Batch {
        root: root.clone(),
        course: course.clone(),
        submissions: submissions::find(&[class.path().to_string_lossy().into_owned()]).unwrap(),
        exercises: Vec::new(),
        seed: 1,
        timeout: None,
        settings: ServerSettings {
            backend: BackendChoice::Local,
            server_url: None,
            image: String::new(),
            image_chosen: false,
        },
        server_dir: state.join("server"),
        work,
        jobs,
        build_timeout: Duration::from_secs(600),
        isolation: None,
    };
    let outcome = class::run(&batch, &Spinners::new(false), &|graded| {
        eprintln!(
            "  {} built in {:.1} s ({} crates), checked in {:.1} s",
            graded.submission.name,
            graded.build_time.as_secs_f64(),
            graded.crates_compiled,
            graded.check_time.as_secs_f64()
        );
    });
    let _ = Command::new(grader).args(["server", "stop"]).env("GRADER_STATE_DIR", &state).status();
    let outcome = outcome.expect("the batch runs");

    let graded = &outcome.graded;
    let build: f64 = graded.iter().map(|g| g.build_time.as_secs_f64()).sum();
    let checks: f64 = graded.iter().map(|g| g.check_time.as_secs_f64()).sum();
    let later: Vec<f64> = graded.iter().skip(jobs).map(|g| g.build_time.as_secs_f64()).collect();
    let mean_later = later.iter().sum::<f64>() / later.len().max(1) as f64;
    // Each exercise is two crates: its library and its program.
    let own_crates = 2 * course.exercises.len();
    println!();
    println!(
        "| class: {count} submissions × {} exercises, {jobs} at a time | |",
        course.exercises.len()
    );
    println!("|---|---|");
    println!("| batch, from start to gradebook | {:.1} s |", outcome.total.as_secs_f64());
    println!(
        "| template build (shared dependencies, kept between batches) | {:.1} s |",
        outcome.template_build.as_secs_f64()
    );
    println!("| per submission: compiling, mean | {:.1} s |", build / count as f64);
    println!("| per submission: checking, mean | {:.1} s |", checks / count as f64);
    println!(
        "| share of submissions' time spent compiling | {:.0} % |",
        100.0 * build / (build + checks)
    );
    println!("| compile, first submission | {:.1} s |", graded[0].build_time.as_secs_f64());
    println!("| compile, later submissions (mean) | {mean_later:.1} s |");
    println!(
        "| crates compiled per submission (min–max; its own: {own_crates}) | {}–{} |",
        graded.iter().map(|g| g.crates_compiled).min().unwrap_or(0),
        graded.iter().map(|g| g.crates_compiled).max().unwrap_or(0)
    );
    let mut problems = Vec::new();
    for (n, graded) in graded.iter().enumerate() {
        if graded.crates_compiled > own_crates {
            problems.push(format!(
                "{} compiled {} crates: dependencies were not shared",
                graded.submission.name, graded.crates_compiled
            ));
        }
        let (score, max) = graded.score(&course);
        if n % 2 == 0 && score != max {
            let failed: Vec<String> = graded
                .results
                .iter()
                .filter(|r| r.status != grader::grade::Status::Passed)
                .map(|r| {
                    format!("{}: {:?} {}", r.name, r.status, r.message.as_deref().unwrap_or(""))
                })
                .collect();
            problems.push(format!(
                "{} is solved but scored {score}/{max}: {failed:?}",
                graded.submission.name
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A copy of the course's exercises at `to`: the reference solutions' sources in
/// the exercises' place when `solved`, else as shipped.
fn copy_course(root: &Path, course: &Course, to: &Path, solved: bool) {
    for exercise in &course.exercises {
        let from = root.join("exercises").join(&exercise.name);
        let dest = to.join("exercises").join(&exercise.name);
        copy_dir(&from, &dest);
        if solved {
            // The solution's lib.rs, and its other files (exercise 10's mysqld.cnf).
            let solution = root.join("solutions").join(&exercise.name);
            std::fs::copy(solution.join("src/lib.rs"), dest.join("src/lib.rs")).unwrap();
            for entry in std::fs::read_dir(solution).unwrap().flatten() {
                if entry.path().is_file() && entry.file_name() != "Cargo.toml" {
                    std::fs::copy(entry.path(), dest.join(entry.file_name())).unwrap();
                }
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &dest);
            }
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}
