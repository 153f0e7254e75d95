//! A learner's first contact, measured on a fresh target folder: what `cargo grader
//! check` shows and when, on a machine where nothing is built yet.
//!
//! 1. `check 01 --server mysql://…@127.0.0.1:9` (nothing listens there), cold: the time to
//!    the first line on screen while the grader compiles, the grader's own compile, and how
//!    long the grader then takes to report the unreachable server (the exercises' build is
//!    stopped, so it is still cold for the next steps).
//! 2. `check 01 --backend docker --image …` of an image that does not exist: the same, for
//!    a missing image (where Docker answers).
//! 3. `check 01`, then `check` (all) and `check 04`, as a learner would: the first verdict
//!    with the share of each phase, and the dependencies cargo compiled in each run after
//!    the first (there must be none: every run builds the same set).
//!
//! Run with `cargo bench -p grader --bench first_contact`; it takes several minutes on
//! 2 cores, since it compiles everything once. It prints a table and fails when a target
//! is missed: the first line within 2 s, an error within 5 s of the grader starting,
//! no dependency compiled again.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The first line must be on screen this soon while anything compiles.
const FIRST_LINE_TARGET: Duration = Duration::from_secs(2);
/// An unreachable server or a missing image is reported this soon after the grader starts.
const FAIL_FAST_TARGET: Duration = Duration::from_secs(5);

/// What one run of `cargo grader` showed, and when.
struct Run {
    /// Each stderr line and when it came, from the start of the run.
    lines: Vec<(Duration, String)>,
    /// The JSON report on stdout, if the run got that far.
    report: Option<serde_json::Value>,
    /// The exit code.
    code: Option<i32>,
    /// From the start to the exit.
    total: Duration,
}

impl Run {
    /// When the first line came.
    fn first_line(&self) -> Option<Duration> {
        self.lines.first().map(|(at, _)| *at)
    }

    /// When cargo said the grader was built (the launcher's `Finished` line).
    fn grader_built(&self) -> Option<Duration> {
        self.lines
            .iter()
            .find(|(_, line)| line.trim_start().starts_with("Finished"))
            .map(|(at, _)| *at)
    }

    /// The registry crates cargo compiled (workspace members carry their path in
    /// parentheses; dependencies do not).
    fn dependencies_compiled(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|(_, line)| line.trim_start().strip_prefix("Compiling "))
            .filter(|rest| !rest.contains('('))
            .map(str::to_string)
            .collect()
    }

    /// A timing from the JSON report, in seconds.
    fn timing(&self, key: &str) -> Option<f64> {
        let ms = self.report.as_ref()?["timings"][key].as_u64()?;
        Some(Duration::from_millis(ms).as_secs_f64())
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();
    let target = tempfile::Builder::new()
        .prefix("grader-first-contact-")
        .tempdir()
        .expect("a temporary folder");
    let state = tempfile::Builder::new()
        .prefix("grader-first-contact-state-")
        .tempdir()
        .expect("a temporary folder");
    let grader = |args: &[&str]| run(&root, target.path(), state.path(), args);
    let mut failures = Vec::new();

    eprintln!(
        "first contact: everything compiles once into {}; this takes minutes",
        target.path().display()
    );
    let unreachable =
        grader(&["check", "01", "--format", "json", "--server", "mysql://grader:x@127.0.0.1:9"]);
    let docker = Command::new("docker").arg("info").output().is_ok_and(|out| out.status.success());
    let missing = docker.then(|| {
        grader(&[
            "check",
            "01",
            "--format",
            "json",
            "--backend",
            "docker",
            "--image",
            "mysql-course/no-such-image:1",
        ])
    });
    let first = grader(&["check", "01", "--format", "json", "-v"]);
    let all = grader(&["check", "--format", "json", "-v"]);
    let fourth = grader(&["check", "04", "--format", "json", "-v"]);
    let warm = grader(&["list"]);

    println!();
    println!("| step | measured | target |");
    println!("|---|---:|---|");
    let first_line = unreachable.first_line().unwrap_or(unreachable.total);
    println!(
        "| cold: first line on screen | {:.2} s | ≤ {} s |",
        first_line.as_secs_f64(),
        FIRST_LINE_TARGET.as_secs()
    );
    if first_line > FIRST_LINE_TARGET {
        failures.push(format!("the first line came after {first_line:.1?}"));
    }
    let grader_compile = unreachable.grader_built().unwrap_or_default();
    println!("| cold: the grader compiles | {:.1} s | |", grader_compile.as_secs_f64());
    for (what, run) in
        [("unreachable --server", Some(&unreachable)), ("missing image", missing.as_ref())]
    {
        let Some(run) = run else {
            println!("| {what} reported | (Docker does not answer) | |");
            continue;
        };
        let after = run.total.saturating_sub(run.grader_built().unwrap_or_default());
        println!(
            "| {what} reported, after the grader started | {:.2} s (exit {}) | ≤ {} s |",
            after.as_secs_f64(),
            run.code.unwrap_or(-1),
            FAIL_FAST_TARGET.as_secs()
        );
        if after > FAIL_FAST_TARGET || run.code != Some(2) {
            failures.push(format!("{what}: exit {:?} after {after:.1?}", run.code));
        }
    }
    let exercises_build = first.timing("build_ms").unwrap_or_default();
    let server_start = first.timing("server_start_ms").unwrap_or_default();
    let checks = first.timing("checks_ms").unwrap_or_default();
    let cold_total = grader_compile.as_secs_f64() + first.total.as_secs_f64();
    println!("| cold first run to the first verdict | {cold_total:.1} s | measured |");
    let share = |part: f64| 100.0 * part / cold_total.max(f64::EPSILON);
    println!(
        "| · the grader's compile | {:.1} s ({:.0} %) | |",
        grader_compile.as_secs_f64(),
        share(grader_compile.as_secs_f64())
    );
    println!(
        "| · the exercises' compile | {exercises_build:.1} s ({:.0} %) | |",
        share(exercises_build)
    );
    println!(
        "| · the server's start ({}, beside the compile) | {server_start:.1} s | |",
        first.report.as_ref().map_or("none".into(), |report| report["backend"].to_string())
    );
    println!("| · the check | {checks:.2} s | |");
    for (what, run) in [("check (all) after check 01", &all), ("check 04 after that", &fourth)] {
        let compiled = run.dependencies_compiled();
        println!("| {what}: dependencies compiled | {} | 0 |", compiled.len());
        if !compiled.is_empty() {
            failures.push(format!("{what} compiled {}", compiled.join(", ")));
        }
    }
    let warm_lines: Vec<&str> = warm.lines.iter().map(|(_, line)| line.as_str()).collect();
    println!("| warm: cargo's lines before the grader's | {} | ≤ 1 |", warm_lines.len());
    if warm_lines.len() > 1 {
        failures.push(format!("a warm run printed {warm_lines:?} on stderr"));
    }
    if !failures.is_empty() {
        eprintln!("missed: {}", failures.join("; "));
        std::process::exit(1);
    }
}

/// Runs `cargo grader ARGS` in `root` with its own target and state folders, recording
/// every stderr line as it comes.
fn run(root: &Path, target: &Path, state: &Path, args: &[&str]) -> Run {
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    let started = Instant::now();
    let mut child = Command::new(cargo)
        .current_dir(root)
        .arg("grader")
        .args(args)
        .env("CARGO_TARGET_DIR", target)
        .env("GRADER_STATE_DIR", state)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("GRADER_IMAGE")
        .env_remove("GRADER_BACKEND")
        .env_remove("GRADER_SERVER")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let stderr = child.stderr.take().expect("stderr is piped");
    let (sender, lines) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = sender.send((started.elapsed(), line));
        }
    });
    let stdout =
        std::io::read_to_string(child.stdout.take().expect("stdout is piped")).unwrap_or_default();
    let status = child.wait().expect("cargo ends");
    let total = started.elapsed();
    let _ = reader.join();
    let lines: Vec<(Duration, String)> = lines.try_iter().collect();
    eprintln!(
        "cargo grader {}: exit {:?} after {total:.1?}, {} lines on stderr",
        args.join(" "),
        status.code(),
        lines.len()
    );
    Run { lines, report: serde_json::from_str(&stdout).ok(), code: status.code(), total }
}
