//! Which submissions a batch grades: a folder that is a copy of the course, a folder
//! of such copies, or a git URL, cloned (`git clone --depth 1`) when its turn comes.
//! Each gets a name of its own, fit for a file name, that the gradebook uses.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};

/// How long a clone may take before it counts as failed.
const CLONE_TIMEOUT: Duration = Duration::from_secs(300);

/// Where a submission comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder on this machine.
    Folder(PathBuf),
    /// A git repository, cloned into the batch's work folder.
    Git(String),
}

/// One submission of the batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// Its name in the gradebook: the folder's or the repository's, made unique.
    pub name: String,
    /// Where it comes from.
    pub source: Source,
}

impl Submission {
    /// Where it comes from, as the gradebook says it.
    pub fn origin(&self) -> String {
        match &self.source {
            Source::Folder(path) => path.display().to_string(),
            Source::Git(url) => url.clone(),
        }
    }
}

/// Whether `arg` names a git repository rather than a folder.
fn is_git_url(arg: &str) -> bool {
    arg.contains("://")
        || arg.starts_with("git@")
        || (arg.ends_with(".git") && !Path::new(arg).is_dir())
}

/// Whether `dir` looks like a copy of the course: it has an `exercises/` folder.
pub fn is_course_copy(dir: &Path) -> bool {
    dir.join("exercises").is_dir()
}

/// The submissions `args` name, in order: each git URL, each folder that is a copy
/// of the course, and each folder inside a folder of copies (sorted by name; hidden
/// folders are left out). A folder that does not exist is an error; a folder that
/// is not a copy is kept, so that its verdict says so.
pub fn find(args: &[String]) -> Result<Vec<Submission>> {
    if args.is_empty() {
        bail!("name the submissions to grade: folders that are copies of the course, a folder of them, or git URLs");
    }
    let mut found = Vec::new();
    for arg in args {
        if is_git_url(arg) {
            found.push((name_of(arg), Source::Git(arg.clone())));
            continue;
        }
        let dir = PathBuf::from(arg);
        if !dir.is_dir() {
            bail!("{arg} is neither a folder nor a git URL: name a copy of the course, a folder of copies, or a repository's URL");
        }
        if is_course_copy(&dir) {
            found.push((name_of(arg), Source::Folder(dir)));
            continue;
        }
        let mut children: Vec<PathBuf> = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read the folder {arg}"))?
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.is_dir() && !hidden(path))
            .collect();
        children.sort();
        if !children.iter().any(|child| is_course_copy(child)) {
            found.push((name_of(arg), Source::Folder(dir)));
            continue;
        }
        // Every folder beside the copies is a student's too: its verdict says what it lacks.
        for child in children {
            found.push((name_of(&child.to_string_lossy()), Source::Folder(child)));
        }
    }
    let mut taken = HashSet::new();
    Ok(found
        .into_iter()
        .map(|(base, source)| {
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            Submission { name, source }
        })
        .collect())
}

fn hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

/// A name for the submission at `arg`: its last part, without `.git`, in letters,
/// digits, `.`, `_` and `-` only.
fn name_of(arg: &str) -> String {
    let last = arg.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or(arg);
    let last = last.strip_suffix(".git").unwrap_or(last);
    let name: String = last
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' })
        .collect();
    match name.trim_matches('.') {
        "" => "submission".to_string(),
        name => name.to_string(),
    }
}

/// Clones `url` (its last commit only) into `into`, which must not exist. Git never
/// asks for a password: a repository that needs one fails at once.
pub fn clone(url: &str, into: &Path) -> Result<()> {
    let mut child = Command::new("git")
        .args(["clone", "--quiet", "--depth", "1", "--", url])
        .arg(into)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git: is it installed?")?;
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().context("cannot wait for git")? {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                use std::io::Read as _;
                let _ = pipe.read_to_string(&mut stderr);
            }
            if !status.success() {
                bail!("git clone failed: {}", stderr.trim());
            }
            return Ok(());
        }
        if started.elapsed() > CLONE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("git clone took more than {} s and was stopped", CLONE_TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_last_part() {
        assert_eq!(name_of("https://github.com/class/ada-lovelace.git"), "ada-lovelace");
        assert_eq!(name_of("git@github.com:class/bob.git"), "bob");
        assert_eq!(name_of("subs/carol smith/"), "carol_smith");
        assert_eq!(name_of(".."), "submission");
        assert!(is_git_url("https://example.com/x.git") && is_git_url("git@host:x"));
        assert!(!is_git_url("subs/alice"));
    }

    #[test]
    fn a_folder_of_copies_gives_each_copy_and_names_stay_unique() {
        let dir = tempfile::tempdir().unwrap();
        for copy in ["b", "a", ".hidden", "stray"] {
            std::fs::create_dir_all(dir.path().join(copy)).unwrap();
        }
        for copy in ["a", "b", ".hidden"] {
            std::fs::create_dir_all(dir.path().join(copy).join("exercises")).unwrap();
        }
        let root = dir.path().to_string_lossy().into_owned();
        let again = dir.path().join("a").to_string_lossy().into_owned();
        let found = find(&[root, again]).unwrap();
        let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "stray", "a-2"]);
        assert_eq!(found[1].source, Source::Folder(dir.path().join("b")));
        let error = find(&["no/such/folder".into()]).unwrap_err().to_string();
        assert!(error.contains("neither a folder nor a git URL"), "{error}");
    }
}
