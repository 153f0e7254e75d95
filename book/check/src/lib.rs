//! Helpers for the tests that keep the course book honest.
//!
//! - [`summary`] reads `SUMMARY.md`, [`markdown`] finds links and heading ids in a chapter,
//!   and [`include`] finds its includes and what each puts in the page, the way mdBook 0.5
//!   would.
//! - [`build_book`] runs `mdbook build` into a folder of the caller's choosing.
//! - [`serve::FileServer`] serves the built HTML on 127.0.0.1 and records every request, and
//!   [`browser`] opens a page of it in headless Chromium.
//!
//! The tests need two programs that cargo does not install: `mdbook` and `chromium`. Where one
//! is missing, [`require_tool`] skips the test with a notice, or fails it when `CI` is set.

pub mod browser;
pub mod include;
pub mod markdown;
pub mod serve;
pub mod summary;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _, Result};

/// How to install the mdBook release the book is written for.
pub const MDBOOK_INSTALL: &str = "install it with `cargo install mdbook --locked --version 0.5.4`";

/// The mdBook series the book is written for: its theme, `book.toml` keys and markdown
/// extensions (admonitions, definition lists) are those of 0.5.
const MDBOOK_SERIES: &str = "v0.5.";

/// The folder, inside the book's, of the copies of the exercise files the chapters
/// include: `book/shipped/exercises/NN_slug/src/lib.rs` is `exercises/NN_slug/src/lib.rs`
/// as committed. Learners edit the exercises; the book shows the copies, so it shows
/// the code as shipped. `cargo xtask sync-book` writes them.
pub const SHIPPED_COPIES: &str = "shipped";

/// The book's folder: the one holding `book.toml`.
pub fn book_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("book/check lives inside book/")
        .to_path_buf()
}

/// The book's markdown sources, `book/src`.
pub fn src_dir() -> PathBuf {
    book_dir().join("src")
}

/// The root of the repository, which holds `exercises/course.toml`.
pub fn repo_root() -> PathBuf {
    book_dir().parent().expect("the book lives inside the repository").to_path_buf()
}

/// Looks `name` up in the folders of `PATH`, as a shell would.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}

/// Finds the first of `names` on `PATH`. When none is there, a test on CI fails (the tool
/// is part of CI's set-up) and a test elsewhere prints why it is skipped and gets `None`.
pub fn require_tool(names: &[&str], install: &str) -> Option<PathBuf> {
    if let Some(found) = names.iter().find_map(|name| find_on_path(name)) {
        return Some(found);
    }
    let wanted = names.join(" or ");
    assert!(
        std::env::var_os("CI").is_none(),
        "{wanted} is not on PATH, and CI is set, so this test may not be skipped: {install}"
    );
    eprintln!("skipped: {wanted} is not on PATH ({install})");
    None
}

/// What `mdbook build` said while building the book.
#[derive(Debug)]
pub struct BuildLog {
    /// Everything it wrote on stdout and stderr.
    pub output: String,
    /// The lines logged at the WARN or ERROR level.
    pub problems: Vec<String>,
}

/// Builds the book with `mdbook` into `dest` and returns what it logged. Fails when mdBook
/// exits with an error; warnings are returned for the caller to judge.
pub fn build_book(mdbook: &Path, dest: &Path) -> Result<BuildLog> {
    let version = Command::new(mdbook)
        .arg("--version")
        .output()
        .with_context(|| format!("cannot run {} --version", mdbook.display()))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    if !version.contains(MDBOOK_SERIES) {
        bail!(
            "{} is {version:?}, but the book is written for mdBook 0.5: {MDBOOK_INSTALL}",
            mdbook.display()
        );
    }
    let output = Command::new(mdbook)
        .arg("build")
        .arg(book_dir())
        .arg("--dest-dir")
        .arg(dest)
        .env("MDBOOK_LOG", "info")
        .output()
        .with_context(|| format!("cannot run {}", mdbook.display()))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if !output.status.success() {
        bail!("mdbook build failed ({}):\n{text}", output.status);
    }
    let problems = text
        .lines()
        .filter(|line| {
            let level = line.split_whitespace().next().unwrap_or("");
            level == "WARN" || level == "ERROR"
        })
        .map(str::to_string)
        .collect();
    Ok(BuildLog { output: text, problems })
}

/// Reads the book's title from `book.toml`.
pub fn book_title() -> Result<String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        book: Book,
    }
    #[derive(serde::Deserialize)]
    struct Book {
        title: String,
    }
    let path = book_dir().join("book.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let manifest: Manifest =
        toml::from_str(&text).with_context(|| format!("{} has no [book] title", path.display()))?;
    Ok(manifest.book.title)
}

/// The exercises of `exercises/course.toml`, by name (`01_connect`), in course order,
/// as the grader itself reads and validates them.
pub fn course_exercises() -> Result<Vec<String>> {
    let course = grader::course::Course::load(&repo_root())?;
    Ok(course.exercises.into_iter().map(|exercise| exercise.name).collect())
}

/// Every file under `dir` whose name ends with `.{ext}`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}
