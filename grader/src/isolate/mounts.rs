//! The program's view of the file system, made inside its own mount namespace: the
//! grader's folders covered by an empty file system nobody can read, `/tmp` and the
//! like fresh and empty, the program's own folders kept where a fresh one covered
//! them, and a `/proc` of the program's own process namespace, where the grader's
//! processes do not exist. A program that runs as `nobody` cannot pass a folder
//! closed to other users (`/root`, where an interpreter may be installed): such a
//! folder above one of the program's is replaced by an empty one open to all, and
//! the program's folder is kept inside it, so it sees that folder and nothing else
//! of the closed one.

use std::fs::{self, File};
use std::os::fd::AsRawFd as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use nix::mount::{mount, MsFlags};

use super::message::Spec;
use super::Mode;

/// Applies `spec`'s view. Must run in a new mount namespace and, for `/proc`, as
/// the first process of a new process namespace.
pub fn apply(spec: &Spec) -> Result<()> {
    // Nothing done here may reach the grader's own mount namespace.
    mount(None::<&str>, "/", None::<&str>, MsFlags::MS_REC | MsFlags::MS_PRIVATE, None::<&str>)
        .context("cannot make the program's mounts private")?;
    let closed = match spec.mode {
        Mode::AnotherUser => closed_above(&spec.keep),
        Mode::UserNamespace => Vec::new(),
    };
    let covered: Vec<PathBuf> = spec.fresh.iter().chain(&closed).cloned().collect();
    let kept = open_kept(&spec.keep, &covered);
    for folder in spec.fresh.iter().filter(|folder| is_real_dir(folder)) {
        tmpfs(folder, MsFlags::empty(), "mode=1777,size=64m")
            .with_context(|| format!("cannot give the program a fresh {}", folder.display()))?;
    }
    for folder in &closed {
        tmpfs(folder, MsFlags::empty(), "mode=0755,size=1m")
            .with_context(|| format!("cannot open {} to the program", folder.display()))?;
    }
    for (folder, handle) in &kept {
        fs::create_dir_all(folder)
            .with_context(|| format!("cannot keep {} in the program's view", folder.display()))?;
        let source = format!("/proc/self/fd/{}", handle.as_raw_fd());
        mount(
            Some(source.as_str()),
            folder,
            None::<&str>,
            MsFlags::MS_BIND | MsFlags::MS_REC,
            None::<&str>,
        )
        .with_context(|| format!("cannot keep {} in the program's view", folder.display()))?;
    }
    for folder in spec.hide.iter().filter(|folder| is_real_dir(folder)) {
        tmpfs(folder, MsFlags::MS_RDONLY | MsFlags::MS_NOEXEC, "mode=000,size=4k")
            .with_context(|| format!("cannot hide {} from the program", folder.display()))?;
    }
    mount(
        Some("proc"),
        "/proc",
        Some("proc"),
        MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
        None::<&str>,
    )
    .context("cannot mount the program's own /proc")?;
    Ok(())
}

/// The folders of `keep` that a file system mounted on one of `covered` would hide,
/// each opened before it does (so the original can be bound back from the handle).
fn open_kept(keep: &[PathBuf], covered: &[PathBuf]) -> Vec<(PathBuf, File)> {
    keep.iter()
        .filter(|folder| covered.iter().any(|above| folder.starts_with(above) && *folder != above))
        .filter(|folder| is_real_dir(folder))
        .filter_map(|folder| Some((folder.clone(), File::open(folder).ok()?)))
        .collect()
}

/// For each folder of `keep`, the highest folder above it that other users cannot
/// pass (no `x` for others), if any.
fn closed_above(keep: &[PathBuf]) -> Vec<PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;
    let mut closed: Vec<PathBuf> = keep
        .iter()
        .filter_map(|folder| {
            let above: Vec<&Path> = folder.ancestors().skip(1).collect();
            above.into_iter().rev().skip(1).find(|ancestor| {
                fs::metadata(ancestor).is_ok_and(|meta| meta.permissions().mode() & 0o001 == 0)
            })
        })
        .map(Path::to_path_buf)
        .collect();
    closed.sort();
    closed.dedup();
    closed
}

fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir())
}

fn tmpfs(folder: &Path, flags: MsFlags, options: &str) -> nix::Result<()> {
    mount(
        Some("tmpfs"),
        folder,
        Some("tmpfs"),
        flags | MsFlags::MS_NOSUID | MsFlags::MS_NODEV,
        Some(options),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_closed_to_others_above_a_kept_one_is_found() {
        use std::os::unix::fs::PermissionsExt as _;
        let base = tempfile::tempdir().unwrap();
        let closed = base.path().join("home");
        let kept = closed.join("tools/python");
        fs::create_dir_all(&kept).unwrap();
        fs::set_permissions(base.path(), fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(&closed, fs::Permissions::from_mode(0o700)).unwrap();
        assert_eq!(closed_above(std::slice::from_ref(&kept)), vec![closed.clone()]);
        fs::set_permissions(&closed, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(closed_above(&[kept]), Vec::<PathBuf>::new());
    }
}
