//! `cargo xtask new-exercise NN_slug "Title"`: a new exercise in every place it lives,
//! made from the templates in `xtask/templates/`. As made it is a small, complete
//! exercise (print the server's version) whose every part passes the guard, builds,
//! and is checked; the blanks a contributor fills are marked `TODO(new exercise)`. The
//! exercise files its chapter includes get their copies in `book/shipped/` too.
//!
//! Every file is worked out first and written only when all of them could be: a
//! refusal leaves the workspace as it was.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use grader::course::Course;

use crate::{classroom, sync_book};

/// The mark on every blank a contributor fills in.
pub const BLANK: &str = "TODO(new exercise)";

/// Files made from a template: where each goes, and its template.
const TEMPLATES: &[(&str, &str)] = &[
    ("exercises/@NAME@/Cargo.toml", include_str!("../templates/exercise_Cargo.toml")),
    ("exercises/@NAME@/README.md", include_str!("../templates/exercise_README.md")),
    ("exercises/@NAME@/src/lib.rs", include_str!("../templates/exercise_lib.rs")),
    ("exercises/@NAME@/src/main.rs", include_str!("../templates/exercise_main.rs")),
    ("solutions/@NAME@/Cargo.toml", include_str!("../templates/solution_Cargo.toml")),
    ("solutions/@NAME@/src/lib.rs", include_str!("../templates/solution_lib.rs")),
    ("solutions/@NAME@/src/main.rs", include_str!("../templates/solution_main.rs")),
    ("grader/src/checks/@SLUG@.rs", include_str!("../templates/check.rs")),
    ("book/src/exercises/@NAME@.md", include_str!("../templates/chapter.md")),
];

/// The exercise to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExercise {
    /// `NN_slug`.
    pub name: String,
    /// One line, as `grader list` shows it.
    pub title: String,
}

impl NewExercise {
    /// Reads `name` (`NN_slug`: two digits, an underscore, lower-case letters, digits
    /// and underscores) and `title`, or says what a valid one looks like.
    pub fn parse(name: &str, title: &str) -> Result<NewExercise> {
        let (number, slug) = name.split_once('_').unwrap_or_default();
        let slug_ok = slug.starts_with(|c: char| c.is_ascii_lowercase())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if number.len() != 2 || !number.bytes().all(|b| b.is_ascii_digit()) || !slug_ok {
            bail!("{name:?} is not a name of the form NN_slug (two digits, then lower-case words joined by _), e.g. 13_stored_procedures");
        }
        if title.trim().is_empty() || title.contains('\n') {
            bail!("the title must be one line of words, e.g. \"Call a stored procedure\"");
        }
        Ok(NewExercise { name: name.to_string(), title: title.trim().to_string() })
    }

    /// `13`.
    pub fn number(&self) -> &str {
        &self.name[..2]
    }

    /// `stored_procedures`.
    pub fn slug(&self) -> &str {
        &self.name[3..]
    }

    /// `StoredProcedures`, the check's type.
    pub fn type_name(&self) -> String {
        self.slug()
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect()
    }

    fn fill(&self, template: &str) -> String {
        template
            .replace("@NAME@", &self.name)
            .replace("@NUMBER@", self.number())
            .replace("@SLUG@", self.slug())
            .replace("@TYPE@", &self.type_name())
            .replace("@TITLE@", &self.title)
    }
}

/// Makes `exercise` in the workspace at `root`; returns the files it created and
/// changed, relative to `root`.
pub fn create(root: &Path, exercise: &NewExercise) -> Result<Vec<PathBuf>> {
    let course = Course::load(root)?;
    if let Some(other) = course
        .exercises
        .iter()
        .find(|other| other.number() == exercise.number() || other.slug() == exercise.slug())
    {
        bail!(
            "{} is taken by the exercise {}: pick another number and slug (the last exercise is {})",
            if other.number() == exercise.number() { "the number" } else { "the slug" },
            other.name,
            course.exercises.last().map_or("none", |last| last.name.as_str())
        );
    }
    let mut writes: Vec<(PathBuf, String)> = Vec::new();
    for (path, template) in TEMPLATES {
        let path = PathBuf::from(exercise.fill(path));
        if root.join(&path).exists() {
            bail!("{} exists already: remove it, or pick another name", path.display());
        }
        writes.push((path, exercise.fill(template)));
    }
    writes.extend(copies_for_the_chapter(exercise, &writes)?);
    let edit = |file: &str, change: &dyn Fn(&str) -> Result<String>| -> Result<(PathBuf, String)> {
        let text =
            fs::read_to_string(root.join(file)).with_context(|| format!("cannot read {file}"))?;
        Ok((
            PathBuf::from(file),
            change(&text).with_context(|| format!("cannot add {} to {file}", exercise.name))?,
        ))
    };
    writes.push(edit("exercises/course.toml", &|text| Ok(course_entry(text, exercise)))?);
    let (_, course_text) = writes.last().expect("course.toml was just added");
    let new_course = Course::parse(course_text).context("the new course.toml is not valid")?;
    writes.push((PathBuf::from(classroom::PATH), classroom::workflow(&new_course)));
    writes.push(edit("grader/src/checks/mod.rs", &|text| register_check(text, exercise))?);
    writes.push(edit("book/src/SUMMARY.md", &|text| {
        let line = format!(
            "- [{} · {}](exercises/{}.md)",
            exercise.number(),
            exercise.title,
            exercise.name
        );
        insert_after_last(text, |l| l.starts_with("- [") && l.contains("](exercises/"), &line)
    })?);
    writes.push(edit("book/src/introduction.md", &|text| {
        let row = format!(
            "| {} | [{}](exercises/{}.md) | {BLANK}: what you learn |",
            exercise.number(),
            exercise.title,
            exercise.name
        );
        insert_after_last(text, |l| l.starts_with("| ") && l.contains("](exercises/"), &row)
    })?);
    for (path, text) in &writes {
        let full = root.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&full, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(writes.into_iter().map(|(path, _)| path).collect())
}

/// The book's copies (see [`crate::sync_book`]) of the new exercise's files that its
/// chapter includes, from the files about to be written.
fn copies_for_the_chapter(
    exercise: &NewExercise,
    writes: &[(PathBuf, String)],
) -> Result<Vec<(PathBuf, String)>> {
    let chapter = PathBuf::from(format!("book/src/exercises/{}.md", exercise.name));
    let Some((_, text)) = writes.iter().find(|(path, _)| *path == chapter) else {
        return Ok(Vec::new());
    };
    let dir = chapter.parent().unwrap_or(Path::new(""));
    let mut copies: Vec<(PathBuf, String)> = Vec::new();
    for include in book_check::include::includes(text) {
        let target = book_check::include::normalize(&dir.join(&include.path));
        let Some(file) = sync_book::exercise_of(&target) else { continue };
        let Some((_, content)) = writes.iter().find(|(path, _)| *path == file) else {
            bail!(
                "the chapter template includes {}, which is not one of the new exercise's files: fix xtask/templates/chapter.md",
                file.display()
            );
        };
        if !copies.iter().any(|(path, _)| *path == target) {
            copies.push((target, content.clone()));
        }
    }
    Ok(copies)
}

/// course.toml with the new `[[exercise]]` at its end.
fn course_entry(text: &str, exercise: &NewExercise) -> String {
    let title = toml::Value::String(exercise.title.clone());
    format!(
        "{}\n\n[[exercise]]\nname = \"{}\"\ntitle = {title}\nhints = [\n    \"{BLANK}: a nudge in the right direction.\",\n    \"{BLANK}: nearly the answer.\",\n]\n",
        text.trim_end(),
        exercise.name
    )
}

/// The checks' module with `mod slug;` among its modules and the check in `CHECKS`.
fn register_check(text: &str, exercise: &NewExercise) -> Result<String> {
    let module = format!("mod {};", exercise.slug());
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let modules: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            (line.starts_with("mod ") || line.starts_with("pub mod ")) && line.ends_with(';')
        })
        .map(|(index, _)| index)
        .collect();
    let (Some(&first), Some(&last)) = (modules.first(), modules.last()) else {
        bail!("it declares no `mod` lines");
    };
    let name_of = |line: &str| line.trim_start_matches("pub ").to_string();
    let at = (first..=last).find(|&index| name_of(&lines[index]) > module).unwrap_or(last + 1);
    lines.insert(at, module);
    let start = lines
        .iter()
        .position(|line| line.starts_with("const CHECKS:"))
        .context("it has no `const CHECKS: &[(&str, &dyn Check)]` table")?;
    let end = lines[start..]
        .iter()
        .position(|line| line == "];")
        .map(|offset| start + offset)
        .context("its `CHECKS` table has no closing `];`")?;
    lines.insert(
        end,
        format!("    (\"{}\", &{}::{}),", exercise.name, exercise.slug(), exercise.type_name()),
    );
    Ok(lines.join("\n") + "\n")
}

/// `text` with `line` after the last line that `is_entry`.
fn insert_after_last(text: &str, is_entry: impl Fn(&str) -> bool, line: &str) -> Result<String> {
    let mut lines: Vec<&str> = text.lines().collect();
    let last = lines
        .iter()
        .rposition(|existing| is_entry(existing))
        .context("it lists no exercise to put the new one after")?;
    lines.insert(last + 1, line);
    Ok(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_spelled_out() {
        let new = NewExercise::parse("13_stored_procedures", "Call a stored procedure").unwrap();
        assert_eq!((new.number(), new.slug()), ("13", "stored_procedures"));
        assert_eq!(new.type_name(), "StoredProcedures");
        for bad in ["13", "3_x", "13_", "13_Upper", "ab_cd", "13-x", "13_x-y"] {
            let error = NewExercise::parse(bad, "t").unwrap_err().to_string();
            assert!(error.contains("is not a name of the form NN_slug"), "{bad}: {error}");
        }
        assert!(NewExercise::parse("13_x", " ").is_err());
    }

    #[test]
    fn a_check_is_registered_in_order() {
        let text = "mod a;\npub mod c;\n\nconst CHECKS: &[(&str, &dyn Check)] = &[\n    (\"01_a\", &a::A),\n];\n";
        let new = NewExercise::parse("13_b_c", "B").unwrap();
        assert_eq!(
            register_check(text, &new).unwrap(),
            "mod a;\nmod b_c;\npub mod c;\n\nconst CHECKS: &[(&str, &dyn Check)] = &[\n    (\"01_a\", &a::A),\n    (\"13_b_c\", &b_c::BC),\n];\n"
        );
    }
}
