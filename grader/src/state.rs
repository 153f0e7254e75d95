//! The grader's own files in a workspace: the learner's progress (which exercises
//! passed, and when), the hints they have seen, and where the persistent server
//! keeps its record and data, and the local backend its initialised data folders.
//!
//! The progress file is JSON, `.grader/progress.json` at the workspace's root
//! (README.md documents it). Every `check` and `watch` updates it; `list`, `hint`
//! and `watch` read it. Updates take a lock and replace the file in one rename, so a
//! `watch` and a `check` side by side never leave half a file.
//! `GRADER_STATE_DIR` moves every file of this module elsewhere (the kit's tests use
//! a temporary folder, so that they never touch a learner's progress or server).

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, Result};
use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};

use crate::course::{Course, Exercise};
use crate::grade::{ExerciseResult, Status};
use crate::server::template::TEMPLATES_DIR;

/// Environment variable naming a folder for every file the grader keeps.
pub const STATE_DIR_ENV: &str = "GRADER_STATE_DIR";
/// The progress file's format version; raised when a field changes meaning.
pub const PROGRESS_VERSION: u32 = 1;

/// Where the grader keeps its files for one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatePaths {
    /// The progress file.
    pub progress: PathBuf,
    /// The persistent server's folder: its record (`server.json`) and, on the local
    /// backend, its data.
    pub server_dir: PathBuf,
    /// Copies of the exercises as first seen, for `reset` where there is no git.
    pub snapshots: PathBuf,
    /// The course's grader settings (see [`crate::config`]).
    pub config: PathBuf,
    /// Initialised data folders the local backend copies ([`crate::server::template`]).
    pub templates: PathBuf,
}

impl StatePaths {
    /// The paths for the workspace at `root`: `$GRADER_STATE_DIR` if set, else
    /// `.grader/` at the root for progress and the target folder for the server.
    pub fn for_workspace(root: &Path) -> StatePaths {
        match std::env::var_os(STATE_DIR_ENV).filter(|dir| !dir.is_empty()) {
            Some(dir) => StatePaths::in_dir(&absolute(Path::new(&dir))),
            None => StatePaths {
                progress: root.join(".grader").join("progress.json"),
                server_dir: target_dir(root).join("grader").join("server"),
                snapshots: root.join(".grader").join("shipped"),
                config: root.join(".grader").join("config.toml"),
                templates: target_dir(root).join("grader").join(TEMPLATES_DIR),
            },
        }
    }

    /// The same paths for the track named `track`: a track other than Rust's keeps
    /// its progress (`progress-python.json`) and snapshots (`shipped-python/`) apart.
    pub fn on_track(self, track: Option<&str>) -> StatePaths {
        match track.filter(|name| *name != crate::course::RUST_TRACK) {
            None => self,
            Some(name) => StatePaths {
                progress: self.progress.with_file_name(format!("progress-{name}.json")),
                snapshots: self.snapshots.with_file_name(format!("shipped-{name}")),
                ..self
            },
        }
    }

    /// The folders that hold the grader's own files for the workspace at `root`,
    /// which a program run isolated must not read: `.grader/`, the persistent
    /// server's folder (its `server.json` holds the administrator's password) where
    /// it is by default and where it is now, and `GRADER_STATE_DIR` when set.
    pub fn private_folders(&self, root: &Path) -> Vec<PathBuf> {
        let default_server = target_dir(root).join("grader");
        let mut folders = vec![root.join(".grader"), default_server, self.server_dir.clone()];
        let files = [&self.progress, &self.snapshots, &self.config];
        folders.extend(files.iter().filter_map(|file| file.parent().map(Path::to_path_buf)));
        folders.sort();
        folders.dedup();
        folders
    }

    /// Every file under one folder, as `GRADER_STATE_DIR` asks.
    pub fn in_dir(dir: &Path) -> StatePaths {
        StatePaths {
            progress: dir.join("progress.json"),
            server_dir: dir.join("server"),
            snapshots: dir.join("shipped"),
            config: dir.join("config.toml"),
            templates: dir.join(TEMPLATES_DIR),
        }
    }
}

/// `path` made absolute against the current folder (it stays as it is if that fails).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Cargo's target folder for the workspace: `$CARGO_TARGET_DIR`, else `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// How the last check of an exercise went, as the progress file records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every expectation was met.
    Passed,
    /// The program ran but missed an expectation.
    Failed,
    /// The exercise still has its `todo!()`.
    NotImplemented,
    /// The exercise did not compile.
    CompileError,
}

impl Outcome {
    /// The outcome of a check's status; `None` for a grader error, which says
    /// nothing about the learner's work and is not recorded.
    pub fn of(status: Status) -> Option<Outcome> {
        match status {
            Status::Passed => Some(Outcome::Passed),
            Status::Failed => Some(Outcome::Failed),
            Status::NotImplemented => Some(Outcome::NotImplemented),
            Status::CompileError => Some(Outcome::CompileError),
            Status::Error | Status::Skipped => None,
        }
    }
}

/// Where a learner stands with an exercise, as `list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Its last check passed.
    Done,
    /// Its last check failed or it did not compile.
    Failing,
    /// Never checked, or still the `todo!()` it came with.
    NotTried,
}

/// What the progress file holds about one exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// How its last check went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Outcome>,
    /// When it was last checked, in seconds since 1970 (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<u64>,
    /// When it last passed, in seconds since 1970 (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed_at: Option<u64>,
    /// How many of its hints the learner has seen.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hints_seen: usize,
    /// When the last hint was shown, in seconds since 1970 (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_at: Option<u64>,
}

fn is_zero(value: &usize) -> bool {
    *value == 0
}

impl Entry {
    /// Where the learner stands with this exercise.
    pub fn standing(&self) -> Standing {
        match self.status {
            Some(Outcome::Passed) => Standing::Done,
            Some(Outcome::Failed | Outcome::CompileError) => Standing::Failing,
            Some(Outcome::NotImplemented) | None => Standing::NotTried,
        }
    }
}

/// The progress file: what the learner has done, exercise by exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The format's version, [`PROGRESS_VERSION`].
    pub version: u32,
    /// One entry per exercise that was checked or hinted, by `NN_slug`.
    #[serde(default)]
    pub exercises: BTreeMap<String, Entry>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress { version: PROGRESS_VERSION, exercises: BTreeMap::new() }
    }
}

impl Progress {
    /// Reads the progress file at `path`; no file is no progress yet.
    pub fn load(path: &Path) -> Result<Progress> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Progress::default())
            }
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot read the progress file {}", path.display()))
            }
        };
        Progress::parse(&text).with_context(|| {
            format!(
                "the progress file {} is damaged; `cargo grader doctor --fix` sets it aside and starts afresh",
                path.display()
            )
        })
    }

    /// Parses the text of a progress file.
    pub fn parse(text: &str) -> Result<Progress> {
        let progress: Progress = serde_json::from_str(text).context("it is not valid JSON")?;
        anyhow::ensure!(
            progress.version == PROGRESS_VERSION,
            "it has version {}, and this grader reads version {PROGRESS_VERSION}",
            progress.version
        );
        Ok(progress)
    }

    /// The entry of `name`, empty if there is none.
    pub fn entry(&self, name: &str) -> Entry {
        self.exercises.get(name).cloned().unwrap_or_default()
    }

    /// Where the learner stands with the exercise `name`.
    pub fn standing(&self, name: &str) -> Standing {
        self.exercises.get(name).map_or(Standing::NotTried, Entry::standing)
    }

    /// The first exercise of `exercises` (in their order) that is not done yet.
    pub fn next_to_do<'c>(&self, exercises: &'c [Exercise]) -> Option<&'c Exercise> {
        exercises.iter().find(|exercise| self.standing(&exercise.name) != Standing::Done)
    }

    /// How many exercises of `course` are done.
    pub fn done_count(&self, course: &Course) -> usize {
        course.exercises.iter().filter(|e| self.standing(&e.name) == Standing::Done).count()
    }

    /// Records the results of a check made at `now`; a grader error changes nothing.
    pub fn record(&mut self, results: &[ExerciseResult], now: u64) {
        for result in results {
            let Some(outcome) = Outcome::of(result.status) else {
                continue;
            };
            let entry = self.exercises.entry(result.name.clone()).or_default();
            entry.status = Some(outcome);
            entry.checked_at = Some(now);
            if outcome == Outcome::Passed {
                entry.passed_at = Some(now);
            }
        }
    }

    /// Forgets everything about `name`, as if it had never been checked or hinted.
    pub fn forget(&mut self, name: &str) {
        self.exercises.remove(name);
    }

    fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("progress always serialises");
        text.push('\n');
        text
    }
}

/// Changes the progress file at `path` with `change`, under a lock, and writes it
/// back in one rename. Returns the progress as written.
pub fn update(path: &Path, change: impl FnOnce(&mut Progress)) -> Result<Progress> {
    let dir = path.parent().context("the progress file has no folder")?;
    fs::create_dir_all(dir).with_context(|| {
        format!("cannot create the folder {} for the progress file", dir.display())
    })?;
    let _lock = lock(&path.with_extension("lock"))?;
    let mut progress = Progress::load(path)?;
    change(&mut progress);
    write_atomically(path, progress.to_text().as_bytes())?;
    Ok(progress)
}

/// Records `results` in the progress file at `path`.
pub fn record(path: &Path, results: &[ExerciseResult]) -> Result<()> {
    update(path, |progress| progress.record(results, now())).map(drop)
}

/// An exclusive lock on the file at `path`, held until dropped.
fn lock(path: &Path) -> Result<Flock<File>> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    Flock::lock(file, FlockArg::LockExclusive)
        .map_err(|(_, errno)| anyhow::anyhow!("cannot lock {}: {errno}", path.display()))
}

/// Writes `bytes` to a file beside `path` and renames it over `path`, so a reader
/// sees the old file or the new one, never half of one. The file is readable by its
/// owner only (a server record holds a password).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    let written = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()));
    written.with_context(|| format!("cannot write {}", temporary.display()))?;
    fs::rename(&temporary, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// Seconds since 1970 (UTC).
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs())
}

/// How long ago `then` was, seen from `now`, in a few words: "just now", "5 min ago".
pub fn ago(then: u64, now: u64) -> String {
    let seconds = now.saturating_sub(then);
    match seconds {
        0..=59 => "just now".into(),
        60..=3_599 => format!("{} min ago", seconds / 60),
        3_600..=86_399 => format!("{} h ago", seconds / 3_600),
        86_400..=172_799 => "yesterday".into(),
        _ => format!("{} days ago", seconds / 86_400),
    }
}

/// A duration in seconds, in a few words: "42 s", "5 min", "3 h 20 min", "2 days".
pub fn span(seconds: u64) -> String {
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=3_599 => format!("{} min", seconds / 60),
        3_600..=86_399 => format!("{} h {} min", seconds / 3_600, seconds % 3_600 / 60),
        _ => format!("{} days", seconds / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn result(name: &str, status: Status) -> ExerciseResult {
        ExerciseResult {
            name: name.into(),
            title: String::new(),
            status,
            message: None,
            next_step: None,
            duration: Duration::ZERO,
            program_time: Duration::ZERO,
            wire: Vec::new(),
        }
    }

    #[test]
    fn records_outcomes_and_keeps_the_last_pass() {
        let mut progress = Progress::default();
        progress.record(&[result("01_connect", Status::Passed)], 100);
        progress.record(
            &[result("01_connect", Status::Failed), result("02_x", Status::NotImplemented)],
            200,
        );
        progress.record(&[result("02_x", Status::Error)], 300);
        let first = progress.entry("01_connect");
        assert_eq!(first.status, Some(Outcome::Failed));
        assert_eq!((first.checked_at, first.passed_at), (Some(200), Some(100)));
        assert_eq!(progress.standing("01_connect"), Standing::Failing);
        assert_eq!(progress.standing("02_x"), Standing::NotTried, "a grader error is not recorded");
        assert_eq!(progress.entry("02_x").checked_at, Some(200));
        assert_eq!(progress.standing("03_never"), Standing::NotTried);
    }

    #[test]
    fn the_file_reads_back_as_written_and_rejects_other_versions() {
        let mut progress = Progress::default();
        progress.record(&[result("01_connect", Status::Passed)], 1_700_000_000);
        progress.exercises.get_mut("01_connect").unwrap().hints_seen = 2;
        let text = progress.to_text();
        assert_eq!(Progress::parse(&text).unwrap(), progress);
        assert!(text.contains("\"passed_at\": 1700000000"), "{text}");
        assert!(text.contains("\"status\": \"passed\""), "{text}");
        let error = Progress::parse(r#"{"version": 9}"#).unwrap_err().to_string();
        assert!(error.contains("version 9"), "{error}");
        assert!(Progress::parse("{").is_err());
    }

    #[test]
    fn updates_create_the_folder_and_a_damaged_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deep").join("progress.json");
        update(&path, |progress| progress.record(&[result("01_connect", Status::Passed)], 5))
            .unwrap();
        assert_eq!(Progress::load(&path).unwrap().standing("01_connect"), Standing::Done);
        fs::write(&path, "not json").unwrap();
        let error = format!("{:#}", Progress::load(&path).unwrap_err());
        assert!(error.contains("damaged") && error.contains("doctor --fix"), "{error}");
        assert_eq!(Progress::load(&dir.path().join("none.json")).unwrap(), Progress::default());
    }

    #[test]
    fn the_state_folder_moves_everything() {
        let paths = StatePaths::in_dir(Path::new("/x/state"));
        assert_eq!(paths.progress, Path::new("/x/state/progress.json"));
        assert_eq!(paths.server_dir, Path::new("/x/state/server"));
    }

    #[test]
    fn a_program_isolated_sees_none_of_the_graders_folders() {
        let root = Path::new("/course");
        let paths = StatePaths::in_dir(Path::new("/state"));
        let folders = paths.private_folders(root);
        for folder in ["/course/.grader", "/state", "/state/server"] {
            assert!(folders.contains(&PathBuf::from(folder)), "{folder} in {folders:?}");
        }
        assert!(folders.iter().any(|folder| folder.ends_with("grader")), "{folders:?}");
    }

    #[test]
    fn times_read_as_words() {
        assert_eq!(ago(1_000, 1_030), "just now");
        assert_eq!(ago(1_000, 1_000 + 5 * 60), "5 min ago");
        assert_eq!(ago(0, 3 * 3_600 + 10), "3 h ago");
        assert_eq!(ago(0, 90_000), "yesterday");
        assert_eq!(ago(0, 5 * 86_400), "5 days ago");
        assert_eq!(span(42), "42 s");
        assert_eq!(span(3 * 3_600 + 20 * 60), "3 h 20 min");
    }
}
