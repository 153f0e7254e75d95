//! The kit's own chores, as `cargo xtask …`:
//!
//! - [`guard`]: whether every place an exercise lives in agrees with course.toml
//!   (its two crates, its check, its chapter in SUMMARY.md and in the introduction's
//!   table), and the reverse, and whether the book's copies of exercise files are the
//!   files as committed;
//! - [`new_exercise`]: a new exercise in all those places at once, from templates,
//!   for a contributor to fill in;
//! - [`classroom`]: the GitHub Classroom workflow, made from course.toml;
//! - [`sync_book`]: the book's copies of the exercise files its chapters include
//!   (`book/shipped/`), as committed, so the book shows the code as shipped.

pub mod classroom;
pub mod guard;
pub mod new_exercise;
pub mod sync_book;

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// The course's workspace at or above `start`: the folder holding
/// `exercises/course.toml`.
pub fn workspace_root(start: &Path) -> Result<PathBuf> {
    match start.ancestors().find(|dir| dir.join("exercises/course.toml").is_file()) {
        Some(root) => Ok(root.to_path_buf()),
        None => bail!(
            "{} is not inside the course's workspace (no exercises/course.toml here or above): run cargo xtask from the course's folder",
            start.display()
        ),
    }
}
