//! The course's workspace as a command finds it: its root folder, its course file,
//! and where the grader keeps its own files there.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::course::{self, Course};
use crate::server::template;
use crate::state::{self, StatePaths};

/// The workspace the grader runs in.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder that holds `exercises/course.toml` (and the workspace's Cargo.toml).
    pub root: PathBuf,
    /// The course it holds.
    pub course: Course,
    /// Where the grader keeps the progress file, the persistent server and snapshots.
    pub paths: StatePaths,
}

impl Workspace {
    /// The workspace at or above the current folder (else the one the grader was
    /// built from), with its course read and validated.
    pub fn find() -> Result<Workspace> {
        Workspace::find_on(None)
    }

    /// The same, on the track named `track` (`python`; the Rust track if `None`):
    /// its exercises, and its own progress file and snapshots. The local backend
    /// keeps its data folder templates in the workspace's folder from now on.
    pub fn find_on(track: Option<&str>) -> Result<Workspace> {
        let root = course::find_root()?;
        let course = Course::load(&root)?.on_track(track)?;
        let paths = StatePaths::for_workspace(&root).on_track(track);
        template::keep_in(&paths.templates);
        Ok(Workspace { root, course, paths })
    }
}

/// Where the grader keeps its files (the local backend's templates among them, from
/// now on): the workspace's, or `$GRADER_STATE_DIR` alone
/// when no workspace is found (the server commands and `doctor` work anywhere).
pub fn state_paths() -> Result<StatePaths> {
    let paths = match course::find_root() {
        Ok(root) => StatePaths::for_workspace(&root),
        Err(error) => match std::env::var_os(state::STATE_DIR_ENV) {
            Some(dir) => StatePaths::in_dir(Path::new(&dir)),
            None => return Err(error),
        },
    };
    template::keep_in(&paths.templates);
    Ok(paths)
}
