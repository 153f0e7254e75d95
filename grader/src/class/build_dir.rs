//! Where a submission is built: a folder of the batch's own, never the submission's
//! workspace. It holds the instructor's workspace manifest (with the exercises as its
//! only members) and Cargo.lock, and the submission's exercise folders, so that a
//! learner's edits to the workspace, its lock file, course.toml or the grader have no
//! say in the grading.
//!
//! Compiled dependencies are shared: a *template* folder of the same shape, with the
//! instructor's own exercises, is built once (and kept between batches); each
//! submission's target folder starts as a copy of it (`cp -r --preserve=timestamps
//! --reflink=auto`: cargo finds a crate stale when a dependency's output is newer than
//! its own, so the times must stay; the blocks are shared where the file system can), without the exercises' own
//! artifacts, so cargo compiles only the submission's crates and none of the
//! template's programs can be taken for the learner's.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};

use crate::course::{Course, Track};

/// The instructor's workspace manifest with the exercises as its only members.
fn manifest(root: &Path) -> Result<String> {
    let path = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the workspace manifest {}", path.display()))?;
    let mut manifest: toml::Table =
        text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(toml::Value::as_table_mut)
        .with_context(|| format!("{} has no [workspace]", path.display()))?;
    workspace.insert("members".into(), toml::Value::Array(vec!["exercises/*".into()]));
    workspace.remove("exclude");
    workspace.remove("default-members");
    Ok(toml::to_string(&manifest).expect("a manifest serialises"))
}

/// Writes `text` to `path` unless it holds it already (so that cargo, which goes by
/// modification times, finds an unchanged template fresh).
fn write_if_changed(path: &Path, text: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Copies the folder `from` into `to`, leaving out `target/`, hidden entries and
/// symbolic links (a link could make the build read a file of the grader's machine);
/// with `only_changed`, files that hold the same bytes are left untouched. Says what
/// it left out in `notes`.
fn copy_tree(from: &Path, to: &Path, only_changed: bool, notes: &mut Vec<String>) -> Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let entries =
        std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text.starts_with('.') || name_text == "target" {
            continue;
        }
        let kind = entry.file_type().with_context(|| format!("cannot read {}", from.display()))?;
        let (source, dest) = (entry.path(), to.join(&name));
        if kind.is_symlink() {
            notes.push(format!("left out the symbolic link {}", source.display()));
        } else if kind.is_dir() {
            copy_tree(&source, &dest, only_changed, notes)?;
        } else if only_changed {
            let bytes = std::fs::read(&source)
                .with_context(|| format!("cannot read {}", source.display()))?;
            write_if_changed(&dest, &bytes)?;
        } else {
            std::fs::copy(&source, &dest)
                .with_context(|| format!("cannot copy {}", source.display()))?;
        }
    }
    Ok(())
}

/// The template: the instructor's exercises in a workspace of the batch's shape, and
/// its target folder, where the dependencies are compiled once.
#[derive(Debug)]
pub struct Template {
    /// The template workspace's root.
    pub root: PathBuf,
}

impl Template {
    /// Writes (or brings up to date) the template in `work/template` from the
    /// instructor's workspace at `workspace_root`, with every exercise of `course`.
    pub fn prepare(work: &Path, workspace_root: &Path, course: &Course) -> Result<Template> {
        let root = work.join("template");
        write_if_changed(&root.join("Cargo.toml"), manifest(workspace_root)?.as_bytes())?;
        let lock = root.join("Cargo.lock");
        if !lock.exists() {
            let from = workspace_root.join("Cargo.lock");
            std::fs::create_dir_all(&root)?;
            std::fs::copy(&from, &lock)
                .with_context(|| format!("cannot copy {}", from.display()))?;
        }
        for exercise in &course.exercises {
            let dir = exercise.dir(Track::Exercises);
            copy_tree(&workspace_root.join(&dir), &root.join(&dir), true, &mut Vec::new())?;
        }
        Ok(Template { root })
    }

    /// The template's target folder.
    pub fn target(&self) -> PathBuf {
        self.root.join("target")
    }
}

/// A submission's build folder, removed when dropped.
#[derive(Debug)]
pub struct BuildDir {
    /// The build workspace's root.
    pub root: PathBuf,
    /// What the copy left out or took from the instructor, for the submission's log.
    pub notes: Vec<String>,
}

impl BuildDir {
    /// Makes `work/builds/NAME` for the submission at `submission` (a copy of the
    /// course): the template's manifest and lock file, the submission's folder of
    /// each exercise of `course` (the instructor's, said in the notes, where it has
    /// none), and a copy of the template's target folder without the exercises'
    /// packages in it.
    pub fn create(
        work: &Path,
        name: &str,
        template: &Template,
        submission: &Path,
        course: &Course,
    ) -> Result<BuildDir> {
        let root = work.join("builds").join(name);
        if root.exists() {
            std::fs::remove_dir_all(&root)
                .with_context(|| format!("cannot remove the old {}", root.display()))?;
        }
        std::fs::create_dir_all(&root)
            .with_context(|| format!("cannot create {}", root.display()))?;
        // Removed again, if what follows fails, when dropped.
        let mut build = BuildDir { root, notes: Vec::new() };
        let notes = &mut build.notes;
        for file in ["Cargo.toml", "Cargo.lock"] {
            std::fs::copy(template.root.join(file), build.root.join(file))
                .with_context(|| format!("cannot copy the template's {file}"))?;
        }
        for exercise in &course.exercises {
            let dir = exercise.dir(Track::Exercises);
            let theirs = submission.join(&dir);
            let from = if theirs.join("Cargo.toml").is_file() {
                theirs
            } else {
                notes.push(format!("{} is missing: the shipped one stands in", dir.display()));
                template.root.join(&dir)
            };
            copy_tree(&from, &build.root.join(&dir), false, notes)?;
        }
        let target = build.root.join("target");
        if template.target().is_dir() {
            let status = Command::new("cp")
                .args(["-r", "--preserve=timestamps", "--reflink=auto"])
                .arg(template.target())
                .arg(&target)
                .status()
                .context("cannot run cp")?;
            if !status.success() {
                bail!("cannot copy the template's target folder to {}", target.display());
            }
            let packages: Vec<String> =
                course.exercises.iter().map(|e| e.package(Track::Exercises)).collect();
            remove_packages(&target, &packages)?;
        }
        Ok(build)
    }
}

/// Removes from the target folder `target` every artifact of `packages` (their
/// fingerprints, objects, build scripts' output and programs), so that cargo
/// compiles them again and no program of another workspace is left to run.
fn remove_packages(target: &Path, packages: &[String]) -> Result<()> {
    let Ok(profiles) = std::fs::read_dir(target) else { return Ok(()) };
    for profile in profiles.flatten().map(|entry| entry.path()).filter(|p| p.is_dir()) {
        for sub in ["", ".fingerprint", "deps", "build"] {
            let Ok(entries) = std::fs::read_dir(profile.join(sub)) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                // `PACKAGE`, `PACKAGE-HASH…`, `PACKAGE.d`, and the same after `lib`.
                let names = [Some(name.as_str()), name.strip_prefix("lib")];
                let ours = packages.iter().any(|package| {
                    names
                        .iter()
                        .flatten()
                        .filter_map(|name| name.strip_prefix(package.as_str()))
                        .any(|rest| {
                            rest.is_empty() || rest.starts_with('-') || rest.starts_with('.')
                        })
                });
                if !ours {
                    continue;
                }
                let path = entry.path();
                let removed = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                removed.with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
    }
    Ok(())
}

impl Drop for BuildDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_keeps_only_the_exercises() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let manifest: toml::Table = manifest(root).unwrap().parse().unwrap();
        let members = manifest["workspace"]["members"].as_array().unwrap();
        assert_eq!(members, &[toml::Value::from("exercises/*")]);
        assert!(manifest["workspace"].get("dependencies").is_some(), "shared dependencies stay");
    }

    #[test]
    fn only_the_packages_artifacts_go() {
        let dir = tempfile::tempdir().unwrap();
        let debug = dir.path().join("debug");
        let files = [
            "ex01_connect",
            "ex01_connect.d",
            "deps/ex01_connect-0a1b",
            "deps/ex01_connect-0a1b.d",
            ".fingerprint/ex01_connect-0a1b/bin",
            "deps/libmysql-77.rlib",
            ".fingerprint/mysql-77/lib",
            "ex01_connect_more",
        ];
        for file in files {
            let path = debug.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        remove_packages(dir.path(), &["ex01_connect".into()]).unwrap();
        let left: Vec<&str> = files.into_iter().filter(|file| debug.join(file).exists()).collect();
        assert_eq!(
            left,
            ["deps/libmysql-77.rlib", ".fingerprint/mysql-77/lib", "ex01_connect_more"]
        );
    }
}
