//! `cargo bench -p grader --bench workflow`: the learner's loop, timed end to end with
//! the real binary, printed as a table.
//!
//! - `grader check 02 --solutions` after a no-op build: with the server it starts itself
//!   (cold), and with a persistent server (`grader server start`) up, on the local
//!   backend and, where Docker answers, on docker (`GRADER_IMAGE`, else the offline
//!   image if present, else `mysql:8.4`); the same through `cargo grader`;
//! - `grader watch`: from writing a file to the verdict on stdout, and the same less
//!   the build time cargo took (watch reports it), which is what the grader adds.
//!
//! Everything runs with `GRADER_STATE_DIR` in a temporary folder, and watch saves a
//! file of a temporary copy of a course; the persistent servers are stopped at the end.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../tests/cli/course_copy.rs"]
mod course_copy;

use course_copy::CourseCopy;

/// Samples per measurement; the median is reported, with the fastest and slowest.
const SAMPLES: usize = 7;
/// Saves timed in watch mode.
const SAVES: usize = 5;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();
    let state =
        tempfile::Builder::new().prefix("grader-bench-").tempdir().expect("a temporary folder");
    let bench = Bench { root, state: state.path().to_path_buf() };
    let mut rows = Vec::new();

    bench.grader(&["check", "02", "--solutions", "--backend", "local"]);
    rows.push(bench.check_row(
        "check 02, cold (the check starts its server)",
        "local",
        &["--backend", "local"],
    ));
    bench.with_server(&["--backend", "local"], || {
        rows.push(bench.check_row("check 02, persistent server up", "local", &[]));
        rows.push(bench.cargo_alias_row());
        rows.extend(bench.watch_rows());
    });

    if docker_answers() {
        let image = docker_image();
        let docker = ["--backend", "docker", "--image", image.as_str()];
        rows.push(bench.check_row(
            "check 02, cold (the check starts its server)",
            "docker",
            &docker,
        ));
        bench.with_server(&docker, || {
            rows.push(bench.check_row("check 02, persistent server up", "docker", &docker));
        });
    } else {
        eprintln!("docker: the daemon does not answer; only the local backend is measured");
    }
    print_table(&rows);
}

/// One line of the table.
struct Row {
    what: String,
    backend: String,
    samples: Vec<Duration>,
    detail: String,
}

struct Bench {
    root: PathBuf,
    state: PathBuf,
}

impl Bench {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_grader"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("GRADER_STATE_DIR", &self.state)
            .env("NO_COLOR", "1")
            .env_remove("GRADER_BACKEND")
            .env_remove("GRADER_SERVER");
        command
    }

    /// Runs the grader to the end; returns its stdout.
    fn grader(&self, args: &[&str]) -> String {
        let output = self.command(args).stdin(Stdio::null()).output().expect("the grader runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Runs `work` with a persistent server started with `args`, and stops it after.
    fn with_server(&self, args: &[&str], work: impl FnOnce()) {
        let mut start = vec!["server", "start"];
        start.extend(args);
        let output = self.command(&start).output().expect("the grader runs");
        assert!(
            output.status.success(),
            "server start: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        work();
        let stop = self.command(&["server", "stop"]).output().expect("the grader runs");
        assert!(stop.status.success(), "server stop: {}", String::from_utf8_lossy(&stop.stderr));
    }

    /// `check 02 --solutions` end to end, with the report's own timings as detail.
    fn check_row(&self, what: &str, backend: &str, args: &[&str]) -> Row {
        let mut all = vec!["check", "02", "--solutions", "--format", "json"];
        all.extend(args);
        let mut starts = Vec::new();
        let mut builds = Vec::new();
        let samples = (0..SAMPLES)
            .map(|_| {
                let started = Instant::now();
                let report: Value =
                    serde_json::from_str(&self.grader(&all)).expect("a JSON report");
                let elapsed = started.elapsed();
                assert_eq!(report["exercises"][0]["status"], "passed", "{report:#}");
                assert_eq!(report["backend"], backend, "{report:#}");
                starts.push(Duration::from_millis(
                    report["timings"]["server_start_ms"].as_u64().unwrap(),
                ));
                builds.push(Duration::from_millis(report["timings"]["build_ms"].as_u64().unwrap()));
                elapsed
            })
            .collect();
        Row {
            what: what.into(),
            backend: backend.into(),
            samples,
            detail: format!(
                "server {} · cargo's no-op build {}",
                ms(median(&starts)),
                ms(median(&builds))
            ),
        }
    }

    /// The same through the alias a learner types, `cargo grader` (`cargo run`, which
    /// builds the grader in the dev profile: one run first, untimed, for that).
    fn cargo_alias_row(&self) -> Row {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let run = || {
            let mut command = Command::new(&cargo);
            // What cargo sets for a bench would look like new settings to the inner cargo.
            for (name, _) in std::env::vars_os() {
                let name = name.to_string_lossy();
                let set_for_bench = (name.starts_with("CARGO_")
                    && name != "CARGO_HOME"
                    && name != "CARGO_TARGET_DIR")
                    || name == "OUT_DIR";
                if set_for_bench {
                    command.env_remove(&*name);
                }
            }
            let started = Instant::now();
            let status = command
                .args(["grader", "check", "02", "--solutions", "--format", "json"])
                .current_dir(&self.root)
                .env("GRADER_STATE_DIR", &self.state)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "cargo grader check failed");
            started.elapsed()
        };
        run();
        let samples = (0..SAMPLES).map(|_| run()).collect();
        Row {
            what: "`cargo grader check 02`, persistent server up".into(),
            backend: "local".into(),
            samples,
            detail: "cargo run's own start included (and a rebuild, if the grader's code changed)"
                .into(),
        }
    }

    /// Watch mode: from a save to the verdict, whole and less cargo's build.
    fn watch_rows(&self) -> Vec<Row> {
        let course = CourseCopy::new("watch_bench_saves");
        let args = ["watch", "02", "--program", "02=watch_bench_saves", "--format", "json"];
        let mut command = self.command(&args);
        command.current_dir(course.path()).envs(CourseCopy::env());
        let mut watch = Watch::start(command);
        watch.verdict();
        let mut whole = Vec::new();
        let mut added = Vec::new();
        for save in 0..SAVES {
            let text = format!("{}\n// save {save}\n", CourseCopy::original_answer());
            let saved = Instant::now();
            std::fs::write(course.answer(), text).expect("the copy is writable");
            let verdict = watch.verdict();
            let elapsed = saved.elapsed();
            assert_eq!(verdict["status"], "passed", "{verdict:#}");
            let build = Duration::from_millis(verdict["build_ms"].as_u64().unwrap());
            whole.push(elapsed);
            added.push(elapsed.saturating_sub(build));
        }
        drop(watch);
        vec![
            Row {
                what: "watch: save → verdict".into(),
                backend: "local".into(),
                samples: whole,
                detail: "cargo recompiles the saved package".into(),
            },
            Row {
                what: "watch: save → verdict, less cargo's build".into(),
                backend: "local".into(),
                samples: added,
                detail: "debounce (100 ms) + check + drawing".into(),
            },
        ]
    }
}

/// A running `grader watch --format json`.
struct Watch {
    child: Child,
    events: Receiver<Value>,
}

impl Watch {
    fn start(mut command: Command) -> Watch {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("watch starts");
        let stdout = child.stdout.take().expect("piped");
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(event) = serde_json::from_str::<Value>(&line) {
                    if sender.send(event).is_err() {
                        break;
                    }
                }
            }
        });
        Watch { child, events }
    }

    fn verdict(&mut self) -> Value {
        loop {
            let event =
                self.events.recv_timeout(Duration::from_secs(300)).expect("a verdict from watch");
            if event["event"] == "verdict" {
                return event;
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // Closing stdin is not enough (it may not be a terminal): send q.
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = std::io::Write::write_all(stdin, b"q\n");
        }
        let _ = self.child.wait();
    }
}

fn docker_answers() -> bool {
    Command::new("docker").arg("info").output().is_ok_and(|output| output.status.success())
}

fn docker_image() -> String {
    if let Ok(image) = std::env::var("GRADER_IMAGE") {
        return image;
    }
    let offline = grader::server::docker::OFFLINE_IMAGE;
    let present = Command::new("docker")
        .args(["image", "inspect", offline])
        .output()
        .is_ok_and(|output| output.status.success());
    if present {
        offline.into()
    } else {
        grader::server::DEFAULT_IMAGE.into()
    }
}

fn median(samples: &[Duration]) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    sorted[sorted.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

fn print_table(rows: &[Row]) {
    println!(
        "\nEnd to end with the real binary; median of {SAMPLES} runs ({SAVES} saves for watch).\n"
    );
    println!("| what | backend | median | fastest | slowest | where the time went |");
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let (fastest, slowest) =
            (row.samples.iter().min().unwrap(), row.samples.iter().max().unwrap());
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            row.what,
            row.backend,
            ms(median(&row.samples)),
            ms(*fastest),
            ms(*slowest),
            row.detail
        );
    }
}
