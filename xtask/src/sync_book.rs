//! `cargo xtask sync-book`: the book's copies of the exercise files its chapters include.
//!
//! Learners edit `exercises/NN_slug/src/*.rs`, so a chapter that included those files
//! would show a learner's own code (or an empty block, once they delete an anchor). The
//! chapters include copies instead, `book/shipped/exercises/NN_slug/src/lib.rs`, whole
//! files as committed in git (`HEAD`), or as they are in the working tree where git
//! has no version of them (no git at all, or an exercise not yet committed).
//!
//! [`sync`] rewrites any chapter's include of an `exercises/` file into an include of
//! its copy, writes every copy a chapter includes and removes the copies none does.
//! [`problems`] is its half of the guard: a copy that differs from its exercise file, a
//! copy with no exercise file behind it or that no chapter includes, and a chapter that
//! includes an `exercises/` file directly or a copy that is missing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};
use book_check::include::{includes, normalize};

/// The folder of the copies, relative to the workspace.
pub fn copies_dir() -> PathBuf {
    Path::new("book").join(book_check::SHIPPED_COPIES)
}

/// The command that brings the copies and the chapters' includes up to date.
pub const FIX: &str = "cargo xtask sync-book";

/// Where [`sync`] takes the exercise files from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// As committed: git's `HEAD`, or the working tree for a file git has no version
    /// of. What learners may run without their edits reaching the book.
    Committed,
    /// The working tree, for a contributor whose change to a stub is not committed yet.
    WorkingTree,
}

/// The copy of an exercise file: `exercises/01_connect/src/lib.rs` gives
/// `book/shipped/exercises/01_connect/src/lib.rs`.
pub fn copy_of(exercise_file: &Path) -> PathBuf {
    copies_dir().join(exercise_file)
}

/// The exercise file a copy is of, if `copy` is under the copies' `exercises/`.
pub fn exercise_of(copy: &Path) -> Option<PathBuf> {
    let inside = copy.strip_prefix(copies_dir()).ok()?;
    inside.starts_with("exercises").then(|| inside.to_path_buf())
}

/// An include, in a chapter, of an exercise file or of its copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseInclude {
    /// The chapter, relative to the workspace: `book/src/exercises/01_connect.md`.
    pub chapter: PathBuf,
    /// Its 1-based line.
    pub line: usize,
    /// The expression as written.
    pub written: String,
    /// The path as written, relative to the chapter's folder.
    pub path: String,
    /// The exercise file it shows, relative to the workspace.
    pub exercise_file: PathBuf,
    /// Whether it includes the exercise file itself rather than its copy.
    pub direct: bool,
}

/// Every include of an exercise file or of a copy in the chapters under `book/src`.
pub fn exercise_includes(root: &Path) -> Result<Vec<ExerciseInclude>> {
    let mut found = Vec::new();
    for chapter in markdown_files(root, Path::new("book/src"))? {
        let text = fs::read_to_string(root.join(&chapter))
            .with_context(|| format!("cannot read {}", chapter.display()))?;
        let dir = chapter.parent().unwrap_or(Path::new(""));
        for include in includes(&text) {
            let target = normalize(&dir.join(&include.path));
            let (exercise_file, direct) = match exercise_of(&target) {
                Some(file) => (file, false),
                None if target.starts_with("exercises") => (target, true),
                None => continue,
            };
            found.push(ExerciseInclude {
                chapter: chapter.clone(),
                line: include.line,
                written: include.written,
                path: include.path,
                exercise_file,
                direct,
            });
        }
    }
    Ok(found)
}

/// The exercise files as git has them at `HEAD`, or nothing where there is no git.
pub struct Committed {
    root: PathBuf,
    /// The files under `exercises/` at `HEAD`, if the workspace is a git checkout with
    /// a commit.
    at_head: Option<BTreeSet<PathBuf>>,
}

impl Committed {
    /// Asks git, once, which exercise files `HEAD` has; a workspace that is not a git
    /// checkout (or has no commit yet, or no `git` to ask) has none.
    pub fn open(root: &Path) -> Result<Committed> {
        let in_git = root.ancestors().any(|dir| dir.join(".git").exists())
            && git(root, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).is_ok();
        let at_head = if in_git {
            let listing =
                git(root, &["ls-tree", "-r", "-z", "--name-only", "HEAD", "--", "exercises/"])?;
            Some(
                listing
                    .split(|byte| *byte == 0)
                    .filter(|name| !name.is_empty())
                    .map(|name| PathBuf::from(String::from_utf8_lossy(name).into_owned()))
                    .collect(),
            )
        } else {
            None
        };
        Ok(Committed { root: root.to_path_buf(), at_head })
    }

    /// Whether the workspace is a git checkout with a `HEAD`.
    pub fn has_git(&self) -> bool {
        self.at_head.is_some()
    }

    /// `file` (relative to the workspace) at `HEAD`, or `None` if git has no version.
    pub fn at_head(&self, file: &Path) -> Result<Option<Vec<u8>>> {
        match &self.at_head {
            Some(files) if files.contains(file) => {
                let spec = format!("HEAD:./{}", slashed(file));
                git(&self.root, &["cat-file", "blob", &spec]).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// `file` in the working tree, or `None` if it is not there.
    pub fn in_working_tree(&self, file: &Path) -> Result<Option<Vec<u8>>> {
        match fs::read(self.root.join(file)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error).with_context(|| format!("cannot read {}", file.display())),
        }
    }

    /// `file` as shipped: at `HEAD`, or in the working tree where git has no version.
    pub fn shipped(&self, file: &Path) -> Result<Option<Vec<u8>>> {
        match self.at_head(file)? {
            Some(bytes) => Ok(Some(bytes)),
            None => self.in_working_tree(file),
        }
    }
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("cannot run git: is it installed?")?;
    if !output.status.success() {
        bail!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(output.stdout)
}

/// What [`sync`] did.
#[derive(Debug, Default)]
pub struct Synced {
    /// The chapters whose includes of exercise files now name the copies.
    pub chapters: Vec<PathBuf>,
    /// The copies written because they were missing or different.
    pub written: Vec<PathBuf>,
    /// The copies that were already right.
    pub unchanged: usize,
    /// The copies removed because no chapter includes them.
    pub removed: Vec<PathBuf>,
    /// Things to know, one line each: exercise files whose uncommitted changes the
    /// copies do not have.
    pub notes: Vec<String>,
}

/// Brings the chapters' includes and the copies up to date, taking the exercise files
/// `from` git or the working tree. Everything is worked out before anything is
/// written, so an include of a file that is nowhere changes nothing.
pub fn sync(root: &Path, from: Source) -> Result<Synced> {
    let committed = Committed::open(root)?;
    let found = exercise_includes(root)?;
    let mut synced = Synced::default();

    let mut chapters: BTreeMap<PathBuf, Vec<&ExerciseInclude>> = BTreeMap::new();
    for include in found.iter().filter(|include| include.direct) {
        chapters.entry(include.chapter.clone()).or_default().push(include);
    }
    let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (chapter, direct) in &chapters {
        let text = fs::read_to_string(root.join(chapter))
            .with_context(|| format!("cannot read {}", chapter.display()))?;
        writes.push((chapter.clone(), rewrite_includes(&text, chapter, direct).into_bytes()));
        synced.chapters.push(chapter.clone());
    }

    let wanted: BTreeSet<&PathBuf> = found.iter().map(|include| &include.exercise_file).collect();
    let mut nowhere = Vec::new();
    for file in &wanted {
        let bytes = match from {
            Source::Committed => committed.shipped(file)?,
            Source::WorkingTree => committed.in_working_tree(file)?,
        };
        let Some(bytes) = bytes else {
            let by: Vec<String> = found
                .iter()
                .filter(|include| &&include.exercise_file == file)
                .map(|include| format!("{}:{}", include.chapter.display(), include.line))
                .collect();
            nowhere.push(format!(
                "{} is included by {}, but it is {}: fix the include, or add the file",
                file.display(),
                by.join(", "),
                if committed.has_git() && from == Source::Committed {
                    "neither in git at HEAD nor in the working tree"
                } else {
                    "not in the working tree"
                }
            ));
            continue;
        };
        if from == Source::Committed && committed.at_head(file)?.is_some() {
            if let Some(working) = committed.in_working_tree(file)? {
                if !same(&working, &bytes) {
                    synced.notes.push(format!(
                        "{} has changes that are not committed; its copy is the version at git HEAD \
                         (commit them and run `{FIX}` again, or run `{FIX} --working-tree`)",
                        file.display()
                    ));
                }
            }
        }
        let copy = copy_of(file);
        if fs::read(root.join(&copy)).is_ok_and(|old| same(&old, &bytes)) {
            synced.unchanged += 1;
        } else {
            synced.written.push(copy.clone());
            writes.push((copy, bytes));
        }
    }
    if !nowhere.is_empty() {
        bail!("nothing was changed:\n  {}", nowhere.join("\n  "));
    }
    for copy in copies(root)? {
        let kept = exercise_of(&copy).is_some_and(|file| wanted.contains(&file));
        if !kept {
            synced.removed.push(copy);
        }
    }

    for (path, bytes) in &writes {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&full, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    for copy in &synced.removed {
        fs::remove_file(root.join(copy))
            .with_context(|| format!("cannot remove {}", copy.display()))?;
        remove_empty_parents(root, copy);
    }
    Ok(synced)
}

/// `text` of `chapter` with each of the `direct` includes naming the copy instead.
fn rewrite_includes(text: &str, chapter: &Path, direct: &[&ExerciseInclude]) -> String {
    let dir = chapter.parent().unwrap_or(Path::new(""));
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    for include in direct {
        let Some(line) = lines.get_mut(include.line - 1) else { continue };
        let to = relative_path(dir, &copy_of(&include.exercise_file));
        let rewritten = include.written.replacen(&include.path, &slashed(&to), 1);
        *line = line.replacen(&include.written, &rewritten, 1);
    }
    lines.join("\n")
}

/// The path from the folder `from` to `to`, both relative to the same folder.
fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to[common..] {
        path.push(part);
    }
    path
}

/// Every disagreement between the chapters, the copies and the exercise files, each a
/// line that says what is wrong and that `cargo xtask sync-book` fixes it. A copy is
/// right when it is its exercise file at git `HEAD`, or as it is in the working tree:
/// a learner's uncommitted edits never make a problem, a contributor's changed stub may
/// go into the same commit as its copy, and on a clean clone (CI) the two are one.
pub fn problems(root: &Path) -> Result<Vec<String>> {
    let committed = Committed::open(root)?;
    let found = exercise_includes(root)?;
    let mut problems = Vec::new();
    for include in &found {
        let place = format!("{}:{}", include.chapter.display(), include.line);
        let copy = copy_of(&include.exercise_file);
        if include.direct {
            problems.push(format!(
                "{place}: {} includes {}, which learners edit, so the book would show their code: \
                 include its copy {} instead (run `{FIX}`)",
                include.written,
                include.exercise_file.display(),
                copy.display()
            ));
        } else if !root.join(&copy).is_file() {
            problems.push(format!(
                "{place}: {} includes {}, which is missing: run `{FIX}`",
                include.written,
                copy.display()
            ));
        }
    }
    let included: BTreeSet<&PathBuf> = found.iter().map(|include| &include.exercise_file).collect();
    for copy in copies(root)? {
        let Some(file) = exercise_of(&copy) else {
            problems.push(format!(
                "{} is not the copy of an exercise file (those are under {}): run `{FIX}`, which removes it",
                copy.display(),
                copies_dir().join("exercises").display()
            ));
            continue;
        };
        let at_head = committed.at_head(&file)?;
        let working = committed.in_working_tree(&file)?;
        if at_head.is_none() && working.is_none() {
            let gone = format!(
                "{} is a copy of {}, which is not there{}",
                copy.display(),
                file.display(),
                if committed.has_git() {
                    " (neither at git HEAD nor in the working tree)"
                } else {
                    ""
                }
            );
            problems.push(if included.contains(&file) {
                format!("{gone}, and chapters include it: fix those includes or put the file back, then run `{FIX}`")
            } else {
                format!("{gone}: run `{FIX}`, which removes the copy")
            });
            continue;
        }
        if !included.contains(&file) {
            problems.push(format!(
                "{} is included by no chapter: run `{FIX}`, which removes it",
                copy.display()
            ));
            continue;
        }
        let bytes = fs::read(root.join(&copy))
            .with_context(|| format!("cannot read {}", copy.display()))?;
        let matches =
            |version: &Option<Vec<u8>>| version.as_deref().is_some_and(|v| same(v, &bytes));
        if !matches(&at_head) && !matches(&working) {
            let version = match (&at_head, &working) {
                (Some(_), Some(_)) => "at git HEAD or in the working tree",
                (Some(_), None) => "at git HEAD",
                _ => "in the working tree",
            };
            problems.push(format!(
                "{} is not {} as it is {version}, so the book shows other code than the exercise has: run `{FIX}`",
                copy.display(),
                file.display()
            ));
        }
    }
    Ok(problems)
}

/// Every file under the copies' folder but its README.md, relative to the workspace.
pub fn copies(root: &Path) -> Result<Vec<PathBuf>> {
    let dir = copies_dir();
    if !root.join(&dir).is_dir() {
        return Ok(Vec::new());
    }
    let readme = dir.join("README.md");
    Ok(files_under(root, &dir)?.into_iter().filter(|file| *file != readme).collect())
}

/// The markdown files under `dir`, relative to `root`, sorted.
fn markdown_files(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(files_under(root, dir)?
        .into_iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "md"))
        .collect())
}

/// Every file under `dir` (relative to `root`), relative to `root`, sorted.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(root.join(&dir))
            .with_context(|| format!("cannot read the folder {}", dir.display()))?;
        for entry in entries {
            let entry =
                entry.with_context(|| format!("cannot read the folder {}", dir.display()))?;
            let path = dir.join(entry.file_name());
            if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Removes the folders above `file` that are empty now, up to the copies' folder.
fn remove_empty_parents(root: &Path, file: &Path) {
    let top = copies_dir();
    for dir in file.ancestors().skip(1) {
        if dir == top || !dir.starts_with(&top) || fs::remove_dir(root.join(dir)).is_err() {
            break;
        }
    }
}

/// Whether two versions of a file are the same text, whatever their line ends (a
/// checkout with `core.autocrlf` has `\r\n` where git's blobs have `\n`).
fn same(a: &[u8], b: &[u8]) -> bool {
    let lines = |bytes: &[u8]| -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        for (index, byte) in bytes.iter().enumerate() {
            if !(*byte == b'\r' && bytes.get(index + 1) == Some(&b'\n')) {
                out.push(*byte);
            }
        }
        out
    };
    a == b || lines(a) == lines(b)
}

/// `path` with `/` between its parts, as includes and git write paths.
fn slashed(path: &Path) -> String {
    path.components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_mirror_the_exercise_files() {
        let file = Path::new("exercises/01_connect/src/lib.rs");
        let copy = copy_of(file);
        assert_eq!(copy, Path::new("book/shipped/exercises/01_connect/src/lib.rs"));
        assert_eq!(exercise_of(&copy).as_deref(), Some(file));
        assert_eq!(exercise_of(Path::new("book/shipped/README.md")), None);
        assert_eq!(exercise_of(Path::new("exercises/01_connect/src/lib.rs")), None);
    }

    #[test]
    fn line_ends_do_not_make_versions_differ() {
        assert!(same(b"a\r\nb\r\n", b"a\nb\n"));
        assert!(same(b"a\rb", b"a\rb"));
        assert!(!same(b"a\nb\n", b"a\nc\n"));
        assert!(!same(b"a\rb", b"ab"));
    }

    #[test]
    fn paths_between_folders_go_up_only_as_far_as_needed() {
        let to = Path::new("book/shipped/exercises/01_connect/src/lib.rs");
        assert_eq!(
            relative_path(Path::new("book/src/exercises"), to),
            Path::new("../../shipped/exercises/01_connect/src/lib.rs")
        );
        assert_eq!(
            relative_path(Path::new("book/src"), to),
            Path::new("../shipped/exercises/01_connect/src/lib.rs")
        );
    }

    #[test]
    fn a_direct_include_is_rewritten_and_the_rest_kept() {
        let chapter = Path::new("book/src/exercises/01_connect.md");
        let text =
            "# 01\n\n```rust\n{{#include ../../../exercises/01_connect/src/lib.rs:stub}}\n```\n\
                    {{#include ../../../solutions/01_connect/src/lib.rs:solution}}\n";
        let found = includes(text);
        let direct = ExerciseInclude {
            chapter: chapter.to_path_buf(),
            line: found[0].line,
            written: found[0].written.clone(),
            path: found[0].path.clone(),
            exercise_file: PathBuf::from("exercises/01_connect/src/lib.rs"),
            direct: true,
        };
        assert_eq!(
            rewrite_includes(text, chapter, &[&direct]),
            "# 01\n\n```rust\n{{#include ../../shipped/exercises/01_connect/src/lib.rs:stub}}\n```\n\
             {{#include ../../../solutions/01_connect/src/lib.rs:solution}}\n"
        );
    }
}
