//! Builds the programs to check in one `cargo build --keep-going`, so that a compile
//! error stays with its own exercise while the others are still built and checked.
//! The build tells how far it is (crates compiled so far) and can be stopped from
//! another thread, when the server it was for cannot be had.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;

use crate::process;

/// What a build produced, by package name.
#[derive(Debug, Default)]
pub struct Build {
    /// The executable of each package that built.
    pub binaries: HashMap<String, PathBuf>,
    /// The folder (with its Cargo.toml) of each package that built, where a check
    /// finds the files that come with a program (a configuration file, say).
    pub dirs: HashMap<String, PathBuf>,
    /// The compile errors of each package that did not, as rustc renders them (with
    /// their `help:` and `note:` lines).
    pub errors: HashMap<String, Vec<String>>,
}

impl Build {
    /// Why `package` did not build, for a learner's report: the first error in full,
    /// as rustc tells it (its place, and the `help:` that is often the fix), and how
    /// many more there are.
    pub fn error_summary(&self, package: &str) -> String {
        let errors = self.errors.get(package).map(Vec::as_slice).unwrap_or_default();
        let Some(first) = errors.first() else {
            return "it did not compile".into();
        };
        match errors.len() - 1 {
            0 => first.clone(),
            1 => format!("{first}\n… and 1 more error"),
            more => format!("{first}\n… and {more} more errors"),
        }
    }
}

/// What lets another thread stop a build: it holds the running cargo's process id.
#[derive(Debug, Default)]
pub struct Stopper(Mutex<Stopping>);

#[derive(Debug, Default)]
enum Stopping {
    /// No cargo runs yet.
    #[default]
    NotStarted,
    /// cargo runs with this process id.
    Running(u32),
    /// Stopped, or asked to stop before it started.
    Stopped,
}

impl Stopper {
    /// Stops the build: kills cargo and the compilers it started. A build that has
    /// not started yet will not start.
    pub fn stop(&self) {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Stopping::Running(pid) = *state {
            // Frozen first, from the top down, so that no process of the build starts
            // another (a build script, a linker) between the last look and the kill.
            process::freeze(pid);
            let mut family = process::descendants(pid);
            loop {
                for child in &family {
                    process::freeze(child.pid);
                }
                let now = process::descendants(pid);
                if now.len() == family.len() {
                    break;
                }
                family = now;
            }
            for pid in std::iter::once(pid).chain(family.iter().map(|child| child.pid)) {
                process::kill_now(pid);
            }
        }
        *state = Stopping::Stopped;
    }

    /// Whether the build was stopped.
    pub fn stopped(&self) -> bool {
        matches!(*self.0.lock().unwrap_or_else(PoisonError::into_inner), Stopping::Stopped)
    }

    /// Records that cargo runs as `pid`; false if the build was stopped already.
    fn started(&self, pid: u32) -> bool {
        let mut state = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match *state {
            Stopping::Stopped => false,
            _ => {
                *state = Stopping::Running(pid);
                true
            }
        }
    }
}

/// One line of cargo's `--message-format=json` output; only the fields used here.
#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    fresh: bool,
    target: Option<Target>,
    executable: Option<PathBuf>,
    message: Option<Diagnostic>,
    manifest_path: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<serde_json::Value>,
}

/// Builds `packages` of the workspace at `root`, telling `progress` how many crates
/// have been compiled so far (those cargo found fresh are not counted). With
/// `verbose`, cargo's own progress is shown as it goes. `stopper` can stop it.
pub fn build(
    root: &Path,
    packages: &[String],
    verbose: bool,
    progress: &dyn Fn(usize),
    stopper: &Stopper,
) -> Result<Build> {
    build_with(root, None, packages, verbose, progress, stopper)
}

/// [`build`] into the target folder `target_dir` whatever the environment says, and
/// without incremental compilation (a build done once, as a class's submissions are,
/// gains nothing from it).
pub fn build_into(
    root: &Path,
    target_dir: &Path,
    packages: &[String],
    progress: &dyn Fn(usize),
    stopper: &Stopper,
) -> Result<Build> {
    build_with(root, Some(target_dir), packages, false, progress, stopper)
}

fn build_with(
    root: &Path,
    target_dir: Option<&Path>,
    packages: &[String],
    verbose: bool,
    progress: &dyn Fn(usize),
    stopper: &Stopper,
) -> Result<Build> {
    if packages.is_empty() && !stopper.stopped() {
        // A Python track or a `--cmd` command line: nothing to build (and cargo
        // without `--package` would build the whole workspace).
        return Ok(Build::default());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["build", "--keep-going", "--message-format=json"])
        .args(packages.iter().flat_map(|package| ["--package", package]))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if verbose { Stdio::inherit() } else { Stdio::piped() });
    if let Some(target_dir) = target_dir {
        command.env("CARGO_TARGET_DIR", target_dir).env("CARGO_INCREMENTAL", "0");
    }
    if stopper.stopped() {
        bail!("the build was stopped");
    }
    let mut child = command.spawn().with_context(|| {
        format!("cannot run {}: is Rust installed (https://rustup.rs)?", cargo.to_string_lossy())
    })?;
    if !stopper.started(child.id()) {
        process::kill_now(child.id());
    }
    let mut stderr = child.stderr.take();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });

    let mut build = Build::default();
    let mut compiled = 0;
    let stdout = BufReader::new(child.stdout.take().context("cargo's stdout is piped")?);
    for line in stdout.lines() {
        let line = line.context("cannot read cargo's output")?;
        let Ok(message) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        let Some(target) = message.target else {
            continue;
        };
        if message.reason == "compiler-artifact" && !message.fresh {
            compiled += 1;
            progress(compiled);
        }
        match (message.reason.as_str(), message.executable, message.message) {
            ("compiler-artifact", Some(executable), _) => {
                if let Some(dir) = message.manifest_path.as_deref().and_then(Path::parent) {
                    build.dirs.insert(target.name.clone(), dir.to_path_buf());
                }
                build.binaries.insert(target.name, executable);
            }
            ("compiler-message", _, Some(diagnostic)) if is_reportable(&diagnostic) => {
                let rendered = diagnostic.rendered.unwrap_or_default();
                build.errors.entry(target.name).or_default().push(rendered.trim().to_string());
            }
            _ => {}
        }
    }
    let status = child.wait().context("cannot wait for cargo")?;
    let stderr_text = stderr_reader.join().unwrap_or_default();
    if stopper.stopped() {
        bail!("the build was stopped");
    }

    let missing: Vec<&String> = packages
        .iter()
        .filter(|package| {
            !build.binaries.contains_key(*package) && !build.errors.contains_key(*package)
        })
        .collect();
    if !status.success() && !missing.is_empty() {
        let last_lines: Vec<&str> = stderr_text.lines().rev().take(6).collect();
        let detail = last_lines.into_iter().rev().collect::<Vec<_>>().join("\n");
        bail!(
            "cargo could not build {}:\n{detail}",
            missing.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    Ok(build)
}

/// An error with a place in the code; not the closing "aborting due to …" line.
fn is_reportable(diagnostic: &Diagnostic) -> bool {
    diagnostic.level == "error" && !diagnostic.spans.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_is_shown_whole_and_the_others_counted() {
        let mut build = Build::default();
        let first = "error[E0599]: no method named `query` found\n --> src/lib.rs:9:10\n  |\n  = help: trait `Queryable` which provides `query` is implemented but not in scope; perhaps you want to import it\n  |\n1 + use mysql::prelude::Queryable;";
        let errors = std::iter::once(first.to_string())
            .chain((2..=4).map(|n| format!("error: e{n}\n --> src/lib.rs:{n}:1")))
            .collect();
        build.errors.insert("ex01_connect".into(), errors);
        let summary = build.error_summary("ex01_connect");
        assert_eq!(summary, format!("{first}\n… and 3 more errors"));
        build.errors.get_mut("ex01_connect").unwrap().truncate(2);
        assert!(build.error_summary("ex01_connect").ends_with("\n… and 1 more error"));
        assert_eq!(build.error_summary("ex02_show_databases"), "it did not compile");
    }

    #[test]
    fn a_stopped_build_never_starts() {
        let stopper = Stopper::default();
        stopper.stop();
        let error = build(Path::new("."), &[], false, &|_| {}, &stopper).unwrap_err();
        assert_eq!(error.to_string(), "the build was stopped");
    }

    #[test]
    fn only_errors_with_a_place_are_reported() {
        let parse = |json: &str| serde_json::from_str::<Diagnostic>(json).unwrap();
        assert!(is_reportable(&parse(r#"{"level":"error","rendered":"x","spans":[{}]}"#)));
        assert!(!is_reportable(&parse(r#"{"level":"error","rendered":"aborting","spans":[]}"#)));
        assert!(!is_reportable(&parse(r#"{"level":"warning","rendered":"w","spans":[{}]}"#)));
    }
}
