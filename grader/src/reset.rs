//! `grader reset`: puts an exercise's folder back as it was shipped, forgets its
//! progress and hints, and drops what its checks left on the persistent server.
//!
//! The shipped version comes from git: the files of `exercises/NN_slug/` at `HEAD`
//! (or the revision `--from` names, say `origin/main` for a learner who commits their
//! work). Without git (a course downloaded as an archive), it comes from the copy the
//! grader took of each exercise the first time it ran in the workspace, in the state
//! folder's `shipped/`. Files the learner added are kept and named; nothing is
//! written before the learner confirms (or passes `--yes`).

use std::fs;
use std::io::{BufRead as _, IsTerminal as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};

use crate::course::{Course, Exercise, Track};
use crate::state::StatePaths;

/// Where the shipped version came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A git revision.
    Git(String),
    /// The grader's own copy, taken when it first ran here.
    Snapshot(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Git(revision) => write!(f, "git {revision}"),
            Source::Snapshot(dir) => write!(f, "the copy in {}", dir.display()),
        }
    }
}

/// An exercise's files as shipped.
#[derive(Debug, Clone)]
pub struct Shipped {
    /// Where they came from.
    pub source: Source,
    /// Each file, relative to the exercise's folder, with its content.
    pub files: Vec<(PathBuf, Vec<u8>)>,
}

/// How the exercise's folder differs from the shipped version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files whose content differs.
    pub changed: Vec<PathBuf>,
    /// Shipped files that are gone.
    pub missing: Vec<PathBuf>,
    /// Files that were not shipped (kept as they are).
    pub extra: Vec<PathBuf>,
}

impl Changes {
    /// Whether restoring would change nothing.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty()
    }
}

/// The shipped files of `exercise`: from git at `from` (default `HEAD`) if the
/// workspace is a git checkout, else from the grader's copy.
pub fn shipped(
    root: &Path,
    paths: &StatePaths,
    exercise: &Exercise,
    from: Option<&str>,
) -> Result<Shipped> {
    let dir = exercise.dir(Track::Exercises);
    if in_git(root) {
        return from_git(root, &dir, from.unwrap_or("HEAD"));
    }
    if let Some(revision) = from {
        bail!("--from {revision} needs git, and {} is not a git checkout", root.display());
    }
    let copy = paths.snapshots.join(&exercise.name);
    if !copy.is_dir() {
        bail!(
            "cannot find {} as shipped: {} is not a git checkout, and the grader has no copy of it in {}; \
             download the course again and copy the folder {} from it",
            exercise.name,
            root.display(),
            paths.snapshots.display(),
            dir.display()
        );
    }
    let files = files_under(&copy)
        .into_iter()
        .map(|file| {
            let bytes = fs::read(copy.join(&file))
                .with_context(|| format!("cannot read the copy {}", copy.join(&file).display()))?;
            Ok((file, bytes))
        })
        .collect::<Result<_>>()?;
    Ok(Shipped { source: Source::Snapshot(copy), files })
}

/// Whether `root` is inside a git work tree (git is asked only if a `.git` is found).
fn in_git(root: &Path) -> bool {
    root.ancestors().any(|dir| dir.join(".git").exists())
        && git(root, &["rev-parse", "--is-inside-work-tree"])
            .is_ok_and(|out| out.trim_ascii() == b"true")
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git: is it installed?")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("git {} failed: {}", args.join(" "), stderr.trim());
    }
    Ok(output.stdout)
}

fn from_git(root: &Path, dir: &Path, revision: &str) -> Result<Shipped> {
    let commit = format!("{revision}^{{commit}}");
    git(root, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|_| {
        anyhow::anyhow!(
            "git knows no revision {revision:?}; name a branch, tag or commit with --from"
        )
    })?;
    let prefix = format!("{}/", dir.display());
    let listing = git(root, &["ls-tree", "-r", "-z", "--name-only", revision, "--", &prefix])?;
    let names: Vec<String> = listing
        .split(|byte| *byte == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    if names.is_empty() {
        bail!("git has no {} at {revision}; was the exercise added later? try --from with a newer revision", dir.display());
    }
    let files = names
        .iter()
        .map(|name| {
            let bytes = git(root, &["cat-file", "blob", &format!("{revision}:./{name}")])?;
            let relative = Path::new(name).strip_prefix(dir).unwrap_or(Path::new(name));
            Ok((relative.to_path_buf(), bytes))
        })
        .collect::<Result<_>>()?;
    Ok(Shipped { source: Source::Git(revision.to_string()), files })
}

/// Every file under `dir`, relative to it, in order; `target/` and hidden entries
/// left out.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let Ok(entries) = fs::read_dir(dir.join(&relative)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let hidden = name.to_string_lossy().starts_with('.');
            if hidden || name == "target" {
                continue;
            }
            let path = relative.join(&name);
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(path),
                Ok(kind) if kind.is_file() => found.push(path),
                _ => {}
            }
        }
    }
    found.sort();
    found
}

/// How the folder `dir` differs from `shipped`.
pub fn compare(dir: &Path, shipped: &Shipped) -> Changes {
    let mut changes = Changes::default();
    for (file, bytes) in &shipped.files {
        match fs::read(dir.join(file)) {
            Ok(current) if current == *bytes => {}
            Ok(_) => changes.changed.push(file.clone()),
            Err(_) => changes.missing.push(file.clone()),
        }
    }
    changes.extra = files_under(dir)
        .into_iter()
        .filter(|file| !shipped.files.iter().any(|(shipped, _)| shipped == file))
        .collect();
    changes
}

/// Whether the learner never touched `exercise`: its folder is exactly as shipped (no
/// file changed, missing or added). `false` when the shipped version cannot be found.
pub fn untouched(root: &Path, paths: &StatePaths, exercise: &Exercise) -> bool {
    shipped(root, paths, exercise, None).is_ok_and(|shipped| {
        let changes = compare(&root.join(exercise.dir(Track::Exercises)), &shipped);
        changes.is_empty() && changes.extra.is_empty()
    })
}

/// Writes the shipped files into `dir`.
pub fn restore(dir: &Path, shipped: &Shipped) -> Result<()> {
    for (file, bytes) in &shipped.files {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
        if fs::read(&path).is_ok_and(|current| current == *bytes) {
            continue;
        }
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// Takes the grader's copy of every exercise that has none yet, where there is no
/// git to restore from. Errors are ignored: the copy is a convenience for `reset`.
pub fn snapshot_if_needed(root: &Path, paths: &StatePaths, course: &Course) {
    let missing: Vec<&Exercise> = course
        .exercises
        .iter()
        .filter(|exercise| !paths.snapshots.join(&exercise.name).exists())
        .collect();
    if missing.is_empty() || in_git(root) {
        return;
    }
    for exercise in missing {
        let from = root.join(exercise.dir(Track::Exercises));
        let to = paths.snapshots.join(&exercise.name);
        for file in files_under(&from) {
            let target = to.join(&file);
            let _ = target.parent().map(fs::create_dir_all);
            let _ = fs::copy(from.join(&file), target);
        }
    }
}

/// Asks the learner to confirm `question` on the terminal; no terminal is an error
/// that names `--yes`.
pub fn confirm(question: &str) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("{question} needs your confirmation, and there is no terminal to ask on: pass --yes to go ahead");
    }
    crate::output::prompt(&format!("{question} [y/N] "));
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).context("cannot read your answer")?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// The changes in words, one file a line: what will be done (for the question), or
/// what was done (for the report, when `done`).
pub fn describe(changes: &Changes, done: bool) -> String {
    let [restore, recreate, keep, lost] = if done {
        ["restored ", "recreated", "kept     ", "your changes are gone"]
    } else {
        ["restore  ", "recreate ", "keep     ", "your changes are lost"]
    };
    let mut lines = Vec::new();
    for file in &changes.changed {
        lines.push(format!("  {restore} {}  ({lost})", file.display()));
    }
    for file in &changes.missing {
        lines.push(format!("  {recreate} {}", file.display()));
    }
    for file in &changes.extra {
        lines.push(format!("  {keep} {}  (not part of the exercise as shipped)", file.display()));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped_files() -> Shipped {
        Shipped {
            source: Source::Snapshot("/x".into()),
            files: vec![
                ("src/lib.rs".into(), b"todo".to_vec()),
                ("README.md".into(), b"task".to_vec()),
            ],
        }
    }

    #[test]
    fn compares_restores_and_keeps_extra_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        fs::write(dir.path().join("src/lib.rs"), "my work").unwrap();
        fs::write(dir.path().join("src/notes.rs"), "mine").unwrap();
        fs::create_dir_all(dir.path().join("target")).unwrap();
        fs::write(dir.path().join("target/x"), "built").unwrap();
        let changes = compare(dir.path(), &shipped_files());
        assert_eq!(changes.changed, [PathBuf::from("src/lib.rs")]);
        assert_eq!(changes.missing, [PathBuf::from("README.md")]);
        assert_eq!(changes.extra, [PathBuf::from("src/notes.rs")]);
        assert!(describe(&changes, false).contains("restore   src/lib.rs  (your changes are lost)"));
        assert!(describe(&changes, true).contains("restored  src/lib.rs  (your changes are gone)"));
        restore(dir.path(), &shipped_files()).unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("src/lib.rs")).unwrap(), "todo");
        assert_eq!(fs::read_to_string(dir.path().join("src/notes.rs")).unwrap(), "mine");
        assert!(compare(dir.path(), &shipped_files()).is_empty());
    }

    #[test]
    fn without_git_the_first_copy_is_the_shipped_version() {
        let root = tempfile::tempdir().unwrap();
        let state = tempfile::tempdir().unwrap();
        let paths = StatePaths::in_dir(state.path());
        let course =
            Course::parse("[[exercise]]\nname = \"01_connect\"\ntitle = \"t\"\nhints = [\"h\"]\n")
                .unwrap();
        let lib = root.path().join("exercises/01_connect/src/lib.rs");
        fs::create_dir_all(lib.parent().unwrap()).unwrap();
        fs::write(&lib, "todo!()").unwrap();
        snapshot_if_needed(root.path(), &paths, &course);
        fs::write(&lib, "my work").unwrap();
        snapshot_if_needed(root.path(), &paths, &course);
        let exercise = &course.exercises[0];
        let shipped = shipped(root.path(), &paths, exercise, None).unwrap();
        assert_eq!(shipped.files, [(PathBuf::from("src/lib.rs"), b"todo!()".to_vec())]);
        let error = shipped_error(root.path(), exercise);
        assert!(error.contains("needs git"), "{error}");
    }

    fn shipped_error(root: &Path, exercise: &Exercise) -> String {
        let paths = StatePaths::in_dir(&root.join("nowhere"));
        format!("{:#}", shipped(root, &paths, exercise, Some("HEAD")).unwrap_err())
    }
}
