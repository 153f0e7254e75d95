//! The program's view of the file system, made inside its own mount namespace: the
//! grader's folders covered by an empty file system nobody can read, `/tmp` and the
//! like fresh and empty, the program's own folders kept where a fresh one covered
//! them, and a `/proc` of the program's own process namespace, where the grader's
//! processes do not exist.

use std::fs::{self, File};
use std::os::fd::AsRawFd as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use nix::mount::{mount, MsFlags};

use super::message::Spec;

/// Applies `spec`'s view. Must run in a new mount namespace and, for `/proc`, as
/// the first process of a new process namespace.
pub fn apply(spec: &Spec) -> Result<()> {
    // Nothing done here may reach the grader's own mount namespace.
    mount(None::<&str>, "/", None::<&str>, MsFlags::MS_REC | MsFlags::MS_PRIVATE, None::<&str>)
        .context("cannot make the program's mounts private")?;
    let kept = open_kept(spec);
    for folder in spec.fresh.iter().filter(|folder| is_real_dir(folder)) {
        tmpfs(folder, MsFlags::empty(), "mode=1777,size=64m")
            .with_context(|| format!("cannot give the program a fresh {}", folder.display()))?;
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

/// The folders to keep that a fresh file system would cover, each opened before it
/// does (so the original can be bound back from the open handle).
fn open_kept(spec: &Spec) -> Vec<(PathBuf, File)> {
    spec.keep
        .iter()
        .filter(|folder| {
            spec.fresh.iter().any(|fresh| folder.starts_with(fresh) && *folder != fresh)
        })
        .filter(|folder| is_real_dir(folder))
        .filter_map(|folder| Some((folder.clone(), File::open(folder).ok()?)))
        .collect()
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
