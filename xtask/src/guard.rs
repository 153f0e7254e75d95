//! Does every place of every exercise agree with course.toml? Each exercise lives in
//! six places: its `[[exercise]]` in course.toml, its crate `exercises/NN_slug/`
//! (package `exNN_slug`), its solution `solutions/NN_slug/` (package `solNN_slug`),
//! its check in the grader's registry, its chapter `book/src/exercises/NN_slug.md`
//! listed in SUMMARY.md, and its row in the introduction's table. A problem is one
//! line that names the exercise, the missing piece and the file to fix. The GitHub
//! Classroom workflow must be the one course.toml makes ([`crate::classroom`]).
//!
//! An exercise of a track in another language (course.toml's `[[track]]`, Python's)
//! lives in the track's folder: its stub `FOLDER/exercises/NN_slug/lib.py` beside the
//! given `main.py` and its README.md, and its solution `FOLDER/solutions/NN_slug/lib.py`.
//!
//! It also asks [`crate::sync_book::problems`] whether the book's copies of exercise
//! files are those files as committed, and whether the chapters include the copies.

use std::fs;
use std::path::Path;

use anyhow::{Context as _, Result};
use grader::course::{Course, Track};

/// Every disagreement between course.toml and the other places under `root`, then
/// every one between the book's copies of exercise files and those files.
/// `has_check` says whether the grader has a check for an exercise's name (the real
/// registry is `grader::checks::for_exercise`).
pub fn problems(root: &Path, has_check: &dyn Fn(&str) -> bool) -> Result<Vec<String>> {
    let course = Course::load(root)?;
    let summary = read(root, "book/src/SUMMARY.md")?;
    let introduction = read(root, "book/src/introduction.md")?;
    let mut found = Vec::new();
    for exercise in &course.exercises {
        let name = &exercise.name;
        for track in [Track::Exercises, Track::Solutions] {
            let manifest = exercise.dir(track).join("Cargo.toml");
            let package = exercise.package(track);
            match fs::read_to_string(root.join(&manifest)) {
                Err(_) => found.push(format!("{name}: {} is missing", manifest.display())),
                Ok(text) if !text.contains(&format!("name = \"{package}\"")) => found.push(
                    format!("{name}: {} does not name its package {package}", manifest.display()),
                ),
                Ok(_) => {}
            }
        }
        if !has_check(name) {
            found.push(format!(
                "{name}: the grader has no check for it (grader/src/checks/mod.rs, `CHECKS`)"
            ));
        }
        let chapter = format!("exercises/{name}.md");
        if !root.join("book/src").join(&chapter).is_file() {
            found.push(format!("{name}: the chapter book/src/{chapter} is missing"));
        }
        if !summary.contains(&format!("]({chapter})")) {
            found.push(format!("{name}: book/src/SUMMARY.md lists no chapter {chapter}"));
        }
        let row = format!("| {} | [", exercise.number());
        if !introduction.lines().any(|line| line.starts_with(&row) && line.contains(&chapter)) {
            found.push(format!(
                "{name}: the table of exercises in book/src/introduction.md has no row for it"
            ));
        }
    }
    found.extend(track_problems(root, &course)?);
    let listed = |name: &str| course.exercises.iter().any(|exercise| exercise.name == name);
    for folder in ["exercises", "solutions"] {
        for entry in entries(&root.join(folder))? {
            if root.join(folder).join(&entry).is_dir() && !listed(&entry) {
                found.push(format!("{entry}: {folder}/{entry}/ is not in exercises/course.toml"));
            }
        }
    }
    for entry in entries(&root.join("book/src/exercises"))? {
        let Some(name) = entry.strip_suffix(".md") else { continue };
        if !listed(name) {
            found.push(format!(
                "{name}: book/src/exercises/{entry} is not in exercises/course.toml"
            ));
        }
    }
    found.extend(crate::sync_book::problems(root)?);
    found.extend(crate::classroom::problems(root, &course));
    Ok(found)
}

/// The places of each track's exercises: the stub, the given `main.py`, the task and
/// the solution, and no folder that the track does not list.
fn track_problems(root: &Path, course: &Course) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for spec in &course.tracks {
        let track = course.on_track(Some(&spec.name))?;
        for exercise in &track.exercises {
            let name = &exercise.name;
            let stub = exercise.dir(Track::Exercises);
            let solution = exercise.dir(Track::Solutions).join("lib.py");
            for file in
                [stub.join("lib.py"), stub.join("main.py"), stub.join("README.md"), solution]
            {
                if !root.join(&file).is_file() {
                    found.push(format!(
                        "{name}: {} is missing (track {})",
                        file.display(),
                        spec.name
                    ));
                }
            }
        }
        let listed = |entry: &str| track.exercises.iter().any(|exercise| exercise.name == entry);
        for folder in ["exercises", "solutions"] {
            let dir = spec.folder.join(folder);
            for entry in entries(&root.join(&dir))? {
                if root.join(&dir).join(&entry).is_dir() && !listed(&entry) {
                    found.push(format!(
                        "{entry}: {}/{entry}/ is not in track {} of exercises/course.toml",
                        dir.display(),
                        spec.name
                    ));
                }
            }
        }
    }
    Ok(found)
}

fn read(root: &Path, file: &str) -> Result<String> {
    fs::read_to_string(root.join(file)).with_context(|| format!("cannot read {file}"))
}

/// The names in a folder, sorted.
fn entries(dir: &Path) -> Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}
