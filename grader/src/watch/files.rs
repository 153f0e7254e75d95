//! Which files `watch` watches, and which exercise a changed file belongs to.
//!
//! An exercise is its folder, `exercises/NN_slug/` (or, with the hidden `--program`
//! option, the folder of the package that stands in for it). A change counts when it
//! is to a file an editor saves: not under `target/`, not hidden (`.file.swp`), not a
//! backup (`file~`, `#file#`) and not vim's probe file `4913`.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result};
use serde::Deserialize;

/// The folders to watch and the exercise each one is.
#[derive(Debug, Clone, Default)]
pub struct WatchedDirs {
    /// `(folder, exercise name)`, one per watched exercise.
    pub dirs: Vec<(PathBuf, String)>,
}

impl WatchedDirs {
    /// The exercises (names, in `order`, each once) that the changes to `paths` touch.
    pub fn exercises_for<'n>(&self, paths: &[PathBuf], order: &'n [String]) -> Vec<&'n str> {
        let touched: Vec<&str> = paths
            .iter()
            .filter_map(|path| {
                self.dirs.iter().find_map(|(dir, name)| {
                    let inside = path.strip_prefix(dir).ok()?;
                    counts(inside).then_some(name.as_str())
                })
            })
            .collect();
        order.iter().map(String::as_str).filter(|name| touched.contains(name)).collect()
    }

    /// The folders to hand to the file watcher: `exercises/` once for every exercise
    /// folder under it, and each other folder by itself.
    pub fn roots(&self, exercises_dir: &Path) -> Vec<PathBuf> {
        let mut roots: Vec<PathBuf> = Vec::new();
        for (dir, _) in &self.dirs {
            let root = if dir.starts_with(exercises_dir) { exercises_dir } else { dir.as_path() };
            if !roots.iter().any(|known| known == root) {
                roots.push(root.to_path_buf());
            }
        }
        roots
    }
}

/// Whether a change to `relative` (a path inside an exercise's folder) counts.
fn counts(relative: &Path) -> bool {
    let mut components = relative.components().peekable();
    if components.peek().is_none() {
        // The folder itself (deleted or created): its files will tell.
        return true;
    }
    relative.components().all(|component| match component {
        Component::Normal(name) => {
            let name = name.to_string_lossy();
            !(name == "target"
                || name.starts_with('.')
                || name.ends_with('~')
                || (name.starts_with('#') && name.ends_with('#'))
                || name == "4913")
        }
        _ => true,
    })
}

/// One package of `cargo metadata`.
#[derive(Deserialize)]
struct Package {
    name: String,
    manifest_path: PathBuf,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
}

/// The folder of each workspace package, by name, as `cargo metadata` tells.
pub fn package_dirs(root: &Path) -> Result<HashMap<String, PathBuf>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .stdin(Stdio::null())
        .output()
        .context("cannot run cargo metadata")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr).trim()
    );
    let metadata: Metadata =
        serde_json::from_slice(&output.stdout).context("cannot read cargo metadata's answer")?;
    Ok(metadata
        .packages
        .into_iter()
        .filter_map(|package| {
            let dir = package.manifest_path.parent()?.to_path_buf();
            Some((package.name, dir))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watched() -> WatchedDirs {
        WatchedDirs {
            dirs: vec![
                ("/w/exercises/01_connect".into(), "01_connect".into()),
                ("/w/exercises/02_show".into(), "02_show".into()),
                ("/w/grader/tests/programs/p".into(), "03_more".into()),
            ],
        }
    }

    #[test]
    fn maps_saved_files_to_exercises_in_course_order() {
        let order: Vec<String> = ["01_connect", "02_show", "03_more"].map(String::from).to_vec();
        let paths: Vec<PathBuf> = [
            "/w/exercises/02_show/src/lib.rs",
            "/w/grader/tests/programs/p/src/main.rs",
            "/w/exercises/01_connect/src/.lib.rs.swp",
            "/w/exercises/01_connect/target/debug/x",
            "/w/exercises/01_connect/src/lib.rs~",
            "/w/exercises/course.toml",
            "/w/exercises/02_show/src/lib.rs",
        ]
        .map(PathBuf::from)
        .to_vec();
        assert_eq!(watched().exercises_for(&paths, &order), ["02_show", "03_more"]);
        let deleted_folder = [PathBuf::from("/w/exercises/01_connect")];
        assert_eq!(watched().exercises_for(&deleted_folder, &order), ["01_connect"]);
    }

    #[test]
    fn watches_the_exercises_folder_once() {
        let roots = watched().roots(Path::new("/w/exercises"));
        assert_eq!(
            roots,
            [PathBuf::from("/w/exercises"), PathBuf::from("/w/grader/tests/programs/p")]
        );
    }
}
