//! The GitHub Classroom workflow, `classroom/classroom.yml`, made from course.toml:
//! a test per exercise, in course order, worth its points. `new-exercise` writes it
//! again with the new exercise, and the guard reports it when it is not the course's.

use std::fmt::Write as _;
use std::path::Path;

use grader::course::Course;

/// Where the workflow lives, relative to the workspace root.
pub const PATH: &str = "classroom/classroom.yml";

const HEADER: &str = r#"# GitHub Classroom autograding for this course: copy this file into the course's template
# repository as .github/workflows/classroom.yml (book chapter "Grading a class").
#
# Each exercise is one test, worth its `points` in exercises/course.toml: the grader checks
# it against a MySQL server (a persistent container of mysql:8.4, started once for the whole
# run) and the test passes when `cargo grader check NN` exits with 0. The reporter sends the
# scores to GitHub Classroom. The kit's own tests run these very commands (classroom.rs).
# `cargo xtask classroom` writes this file again from course.toml (new-exercise does too).
name: Autograding Tests
'on':
  - push
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    env:
      CARGO_TERM_COLOR: never
      NO_COLOR: "1"
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      # Rust and Docker come with ubuntu-latest: the grader builds, and pulls mysql:8.4.
      - name: Start a MySQL server for every check
        run: cargo grader server start
"#;

/// The workflow for `course`.
pub fn workflow(course: &Course) -> String {
    let mut text = HEADER.to_string();
    for exercise in &course.exercises {
        let (number, name) = (exercise.number(), &exercise.name);
        let _ = write!(
            text,
            "      - name: {name}\n        id: ex{number}\n        \
             uses: classroom-resources/autograding-command-grader@v1\n        with:\n          \
             test-name: {name}\n          command: cargo grader check {number}\n          \
             timeout: 10\n          max-score: {}\n",
            exercise.points
        );
    }
    text.push_str(
        "      - name: Autograding Reporter\n        \
         uses: classroom-resources/autograding-grading-reporter@v1\n        env:\n",
    );
    for exercise in &course.exercises {
        let number = exercise.number();
        let _ = writeln!(
            text,
            "          EX{number}_RESULTS: \"${{{{steps.ex{number}.outputs.result}}}}\""
        );
    }
    let runners: Vec<String> =
        course.exercises.iter().map(|exercise| format!("ex{}", exercise.number())).collect();
    let _ = writeln!(text, "        with:\n          runners: {}", runners.join(","));
    text
}

/// A problem if the workflow at `root` is not the one `course` makes.
pub fn problems(root: &Path, course: &Course) -> Vec<String> {
    match std::fs::read_to_string(root.join(PATH)) {
        Ok(text) if text == workflow(course) => Vec::new(),
        Ok(_) => vec![format!(
            "{PATH} is not course.toml's (its exercises or their points differ): \
             `cargo xtask classroom` writes it again"
        )],
        Err(_) => vec![format!("{PATH} is missing: `cargo xtask classroom` writes it")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_workflow_is_the_course_s() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let course = Course::load(root).unwrap();
        assert_eq!(problems(root, &course), Vec::<String>::new());
    }
}
