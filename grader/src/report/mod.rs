//! The report of a `check` run, for people ([`human`]) or for programs ([`json`]),
//! and for grading systems: JUnit XML ([`junit`]) and Gradescope's results.json
//! ([`gradescope`]), which score each exercise out of its points.
//!
//! The JSON form is a stable interface for instructors' scripts; its schema is
//! documented in README.md and versioned by [`SCHEMA_VERSION`].

pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;

use std::process::ExitCode;
use std::time::Duration;

use serde::Serialize;

use crate::course::{Course, DEFAULT_POINTS};
use crate::grade::{ExerciseResult, Status};
use crate::server::Backend;

/// Raised when a field of the JSON report changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything a `check` run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The JSON schema's version.
    pub schema_version: u32,
    /// The seed the checks drew their data from; `--seed` replays it.
    pub seed: u64,
    /// `exercises` or `solutions`.
    pub track: &'static str,
    /// What ran: `rust` (the course's crates), `python` (the Python track) or
    /// `command` (a `--cmd` command line).
    pub language: &'static str,
    /// The backend the server came from.
    pub backend: Backend,
    /// The server's `SELECT VERSION()`.
    pub server_version: String,
    /// One result per exercise, in course order.
    pub exercises: Vec<ExerciseResult>,
    /// Where the time went.
    pub timings: Timings,
}

/// Where the time of a run went.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timings {
    /// From asking for a server to its first answer.
    #[serde(rename = "server_start_ms", serialize_with = "millis")]
    pub server_start: Duration,
    /// Building the programs (at the same time as the server started).
    #[serde(rename = "build_ms", serialize_with = "millis")]
    pub build: Duration,
    /// Running every check.
    #[serde(rename = "checks_ms", serialize_with = "millis")]
    pub checks: Duration,
}

fn millis<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

impl Report {
    /// How many exercises passed.
    pub fn passed(&self) -> usize {
        self.exercises.iter().filter(|result| result.status == Status::Passed).count()
    }

    /// How many exercises could not be checked on this backend.
    pub fn skipped(&self) -> usize {
        self.exercises.iter().filter(|result| result.status == Status::Skipped).count()
    }

    /// 0 when everything checked passed (skipped exercises aside), 2 when the grader
    /// could not check something, else 1.
    pub fn exit_code(&self) -> ExitCode {
        if self.exercises.iter().any(|result| result.status == Status::Error) {
            ExitCode::from(2)
        } else if self.passed() + self.skipped() == self.exercises.len() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }
}

/// The points `result` earned in `course`: all of its exercise's if it passed, none
/// otherwise.
pub fn earned(course: &Course, result: &ExerciseResult) -> u32 {
    if result.status == Status::Passed {
        points_of(course, &result.name)
    } else {
        0
    }
}

/// What the exercise `name` is worth in `course` (the default if the course does not
/// have it).
pub fn points_of(course: &Course, name: &str) -> u32 {
    course
        .exercises
        .iter()
        .find(|exercise| exercise.name == name)
        .map_or(DEFAULT_POINTS, |e| e.points)
}

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    /// The course of [`report`]'s exercises: 5, 3 and the default 1 points.
    pub(crate) fn course() -> Course {
        Course::parse(
            r#"
            [[exercise]]
            name = "01_connect"
            title = "Title of 01_connect"
            points = 5
            hints = ["h"]

            [[exercise]]
            name = "02_show_databases"
            title = "Title of 02_show_databases"
            points = 3
            hints = ["h"]

            [[exercise]]
            name = "03_x"
            title = "Title of 03_x"
            hints = ["h"]
            "#,
        )
        .unwrap()
    }

    /// A report with one exercise of each interesting status.
    pub(crate) fn report() -> Report {
        let result =
            |name: &str, status, message: Option<&str>, next: Option<&str>| ExerciseResult {
                name: name.into(),
                title: format!("Title of {name}"),
                status,
                message: message.map(String::from),
                next_step: next.map(String::from),
                duration: Duration::from_millis(120),
                program_time: Duration::from_millis(20),
                wire: Vec::new(),
            };
        Report {
            schema_version: SCHEMA_VERSION,
            seed: 42,
            track: "exercises",
            language: "rust",
            backend: Backend::Local,
            server_version: "10.11.6-MariaDB".into(),
            exercises: vec![
                result("01_connect", Status::Passed, None, None),
                result(
                    "02_show_databases",
                    Status::Failed,
                    Some("your program left out gr02_x_orders12\nexpected: 2 lines: a, b\ngot: 1 line: \"a\""),
                    Some("print every row"),
                ),
                result("03_x", Status::NotImplemented, Some("not implemented yet (exercises/03_x/src/lib.rs:9)"), Some("replace the todo!()")),
            ],
            timings: Timings {
                server_start: Duration::from_millis(640),
                build: Duration::from_millis(300),
                checks: Duration::from_millis(250),
            },
        }
    }
}
