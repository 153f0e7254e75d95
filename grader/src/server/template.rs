//! Initialised data folders kept as templates. Initialising a server's data folder
//! (`mariadb-install-db`, or `mysqld --initialize-insecure`, which builds MySQL's
//! data dictionary) takes seconds; copying a folder the same server program already
//! initialised takes a fraction of that. So the local backend initialises one
//! folder per server program, keeps it in the grader's folder (`mysqld-templates/`
//! beside the persistent server's, or under `$GRADER_STATE_DIR`), and copies it for
//! every server it starts: throwaway ones, exercise 10's lab, the persistent one.
//!
//! A template is named by a hash of the program's path, size and modification time,
//! its `--version` and the way the grader initialises ([`LAYOUT`]), so an upgraded
//! server (or a changed initialisation) gets a new one. It is made under an `flock`,
//! in a folder of its own renamed into place when complete, so servers starting side
//! by side initialise once and never copy half a template. Without a folder to keep
//! templates in (none set, or it cannot be written), every start initialises anew.

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::{Context as _, Result};
use nix::fcntl::{Flock, FlockArg};

use crate::fnv::fnv1a;

/// The folder, under the grader's own, where templates are kept.
pub const TEMPLATES_DIR: &str = "mysqld-templates";
/// Changes whenever the grader initialises data folders differently, so that older
/// templates are not used.
const LAYOUT: &str = "1";
/// The initialised data folder inside a template (and inside a server's folder).
const DATA: &str = "data";

/// Where this process keeps its templates, once told.
static KEPT_IN: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Keeps templates in `dir` from now on (the commands name the workspace's folder).
pub fn keep_in(dir: &Path) {
    *KEPT_IN.lock().unwrap_or_else(PoisonError::into_inner) = Some(dir.to_path_buf());
}

fn kept_in() -> Option<PathBuf> {
    KEPT_IN.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

/// Gives `folder` an initialised `data/` for `binary` (whose `--version` said
/// `version`): a copy of its template, made first with `initialise` if there is none.
/// `initialise` initialises `data/` inside the folder it is given.
pub(super) fn prepare(
    binary: &Path,
    version: &str,
    folder: &Path,
    initialise: impl Fn(&Path) -> Result<()>,
) -> Result<()> {
    let Some(dir) = kept_in() else {
        return initialise(folder);
    };
    let template = match template_for(&dir, binary, version, &initialise) {
        Ok(template) => template,
        // A folder the grader cannot write is no reason not to start a server.
        Err(_) => return initialise(folder),
    };
    copy_tree(&template.join(DATA), &folder.join(DATA))
        .with_context(|| format!("cannot copy the data folder template {}", template.display()))
}

/// The template for `binary` in `dir`, made now if there is none.
fn template_for(
    dir: &Path,
    binary: &Path,
    version: &str,
    initialise: &impl Fn(&Path) -> Result<()>,
) -> Result<PathBuf> {
    let name = format!("{:016x}", key(binary, version)?);
    let template = dir.join(&name);
    if template.join(DATA).is_dir() {
        return Ok(template);
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let lock_path = dir.join(format!("{name}.lock"));
    let lock_file =
        File::create(&lock_path).with_context(|| format!("cannot open {}", lock_path.display()))?;
    let _lock = Flock::lock(lock_file, FlockArg::LockExclusive)
        .map_err(|(_, errno)| errno)
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;
    if template.join(DATA).is_dir() {
        // Another server made it while this one waited.
        return Ok(template);
    }
    remove_unfinished(dir, &name);
    let unfinished = dir.join(format!("{name}.new-{}", std::process::id()));
    fs::create_dir_all(&unfinished)
        .with_context(|| format!("cannot create {}", unfinished.display()))?;
    let made = initialise(&unfinished).and_then(|()| {
        // Each server makes its own identity, and its own temporary folder.
        let _ = fs::remove_file(unfinished.join(DATA).join("auto.cnf"));
        let _ = fs::remove_dir_all(unfinished.join("tmp"));
        fs::rename(&unfinished, &template)
            .with_context(|| format!("cannot move the new template to {}", template.display()))
    });
    if made.is_err() {
        let _ = fs::remove_dir_all(&unfinished);
    }
    made.map(|()| template)
}

/// Folders a grader stopped while making the template `name` left behind (their
/// maker held the lock this caller holds now, so none is in progress).
fn remove_unfinished(dir: &Path, name: &str) {
    let prefix = format!("{name}.new-");
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// What names a template: the program (its path, size and modification time), what
/// it says its version is, and the grader's way of initialising.
fn key(binary: &Path, version: &str) -> Result<u64> {
    let path = fs::canonicalize(binary).unwrap_or_else(|_| binary.to_path_buf());
    let metadata =
        fs::metadata(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = format!(
        "{}\0{}\0{}.{}\0{}\0{LAYOUT}",
        path.display(),
        metadata.size(),
        metadata.mtime(),
        metadata.mtime_nsec(),
        version.trim()
    );
    Ok(fnv1a(text.as_bytes()))
}

/// Copies the folder `from` to `to` (which must not exist), files and subfolders,
/// with their permissions.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir(to).with_context(|| format!("cannot create {}", to.display()))?;
    fs::set_permissions(to, fs::metadata(from)?.permissions())?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            fs::copy(&source, &target)
                .with_context(|| format!("cannot copy {}", source.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_template_is_made_once_and_copied_whole() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("mysqld");
        fs::write(&binary, "a server").unwrap();
        let templates = dir.path().join("templates");
        let made = Cell::new(0);
        let initialise = |folder: &Path| -> Result<()> {
            made.set(made.get() + 1);
            fs::create_dir_all(folder.join("data/mysql"))?;
            fs::create_dir_all(folder.join("tmp"))?;
            fs::write(folder.join("data/mysql/user.ibd"), "accounts")?;
            fs::write(folder.join("data/auto.cnf"), "server-uuid")?;
            Ok(())
        };
        for server in ["one", "two"] {
            let folder = dir.path().join(server);
            fs::create_dir(&folder).unwrap();
            let template = template_for(&templates, &binary, "Ver 9.7", &initialise).unwrap();
            copy_tree(&template.join(DATA), &folder.join(DATA)).unwrap();
            assert_eq!(fs::read_to_string(folder.join("data/mysql/user.ibd")).unwrap(), "accounts");
            assert!(!folder.join("data/auto.cnf").exists(), "each server makes its own identity");
        }
        assert_eq!(made.get(), 1, "initialised once for both servers");
        let other = template_for(&templates, &binary, "Ver 9.8", &initialise).unwrap();
        assert_eq!(made.get(), 2, "another version, another template");
        assert!(other.join(DATA).is_dir());
    }

    #[test]
    fn a_failed_initialisation_leaves_no_template() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("mariadbd");
        fs::write(&binary, "a server").unwrap();
        let failing = |folder: &Path| -> Result<()> {
            fs::create_dir_all(folder.join("data"))?;
            anyhow::bail!("no space left")
        };
        assert!(template_for(dir.path(), &binary, "v", &failing).is_err());
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "mariadbd" && !name.ends_with(".lock"))
            .collect();
        assert!(left.is_empty(), "{left:?}");
    }
}
