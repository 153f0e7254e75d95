//! Builds the programs to check in one `cargo build --keep-going`, so that a compile
//! error stays with its own exercise while the others are still built and checked.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;

/// Errors shown per exercise; the rest are summed up in one line.
const ERRORS_SHOWN: usize = 3;

/// What a build produced, by package name.
#[derive(Debug, Default)]
pub struct Build {
    /// The executable of each package that built.
    pub binaries: HashMap<String, PathBuf>,
    /// The folder (with its Cargo.toml) of each package that built, where a check
    /// finds the files that come with a program (a configuration file, say).
    pub dirs: HashMap<String, PathBuf>,
    /// The compile errors of each package that did not, in short form.
    pub errors: HashMap<String, Vec<String>>,
}

impl Build {
    /// A brief account of why `package` did not build, for a learner's report.
    pub fn error_summary(&self, package: &str) -> String {
        let errors = self.errors.get(package).map(Vec::as_slice).unwrap_or_default();
        let mut lines: Vec<String> = errors.iter().take(ERRORS_SHOWN).cloned().collect();
        if errors.len() > ERRORS_SHOWN {
            lines.push(format!("… and {} more", errors.len() - ERRORS_SHOWN));
        }
        if lines.is_empty() {
            lines.push("it did not compile".into());
        }
        lines.join("\n")
    }
}

/// One line of cargo's `--message-format=json` output; only the fields used here.
#[derive(Deserialize)]
struct Message {
    reason: String,
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

/// Builds `packages` of the workspace at `root`. With `verbose`, cargo's own progress
/// is shown as it goes.
pub fn build(root: &Path, packages: &[String], verbose: bool) -> Result<Build> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(&cargo);
    command
        .current_dir(root)
        .args(["build", "--keep-going", "--message-format=json-diagnostic-short"])
        .args(packages.iter().flat_map(|package| ["--package", package]))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(if verbose { Stdio::inherit() } else { Stdio::piped() });
    let mut child = command.spawn().with_context(|| {
        format!("cannot run {}: is Rust installed (https://rustup.rs)?", cargo.to_string_lossy())
    })?;
    let mut stderr = child.stderr.take();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });

    let mut build = Build::default();
    let stdout = BufReader::new(child.stdout.take().context("cargo's stdout is piped")?);
    for line in stdout.lines() {
        let line = line.context("cannot read cargo's output")?;
        let Ok(message) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        let Some(target) = message.target else {
            continue;
        };
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
    fn summarises_the_first_errors() {
        let mut build = Build::default();
        let errors = (1..=5).map(|n| format!("src/lib.rs:{n}:1: error: e{n}")).collect();
        build.errors.insert("ex01_connect".into(), errors);
        let summary = build.error_summary("ex01_connect");
        assert_eq!(summary.lines().count(), 4, "{summary}");
        assert!(summary.ends_with("… and 2 more"), "{summary}");
        assert_eq!(build.error_summary("ex02_show_databases"), "it did not compile");
    }

    #[test]
    fn only_errors_with_a_place_are_reported() {
        let parse = |json: &str| serde_json::from_str::<Diagnostic>(json).unwrap();
        assert!(is_reportable(&parse(r#"{"level":"error","rendered":"x","spans":[{}]}"#)));
        assert!(!is_reportable(&parse(r#"{"level":"error","rendered":"aborting","spans":[]}"#)));
        assert!(!is_reportable(&parse(r#"{"level":"warning","rendered":"w","spans":[{}]}"#)));
    }
}
