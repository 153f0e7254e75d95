//! The report as Gradescope's `results.json` (`--format gradescope`, and each
//! submission's file in a gradebook): a test per exercise with its score out of its
//! points, its status and what the check said. The fields are those of Gradescope's
//! autograder specification: `score`, `output` and `tests` (`name`, `score`,
//! `max_score`, `status`, `output`).

use serde::Serialize;

use super::{earned, points_of, Report};
use crate::course::Course;
use crate::grade::Status;

#[derive(Serialize)]
struct Results {
    score: u32,
    max_score: u32,
    output: String,
    tests: Vec<Test>,
}

#[derive(Serialize)]
struct Test {
    name: String,
    score: u32,
    max_score: u32,
    status: &'static str,
    output: String,
}

/// The report as a `results.json` document, with each exercise's points from `course`.
pub fn render(report: &Report, course: &Course) -> String {
    let tests: Vec<Test> = report
        .exercises
        .iter()
        .map(|result| {
            let passed = result.status == Status::Passed;
            let explanation = result.explanation();
            Test {
                name: format!("{} {}", result.name, result.title),
                score: earned(course, result),
                max_score: points_of(course, &result.name),
                status: if passed { "passed" } else { "failed" },
                output: if explanation.is_empty() { "passed".into() } else { explanation },
            }
        })
        .collect();
    let results = Results {
        score: tests.iter().map(|test| test.score).sum(),
        max_score: tests.iter().map(|test| test.max_score).sum(),
        output: format!(
            "Checked against a {} server with seed {}: `cargo grader check --seed {}` replays the same data.",
            report.backend, report.seed, report.seed
        ),
        tests,
    };
    let mut text = serde_json::to_string_pretty(&results).expect("results always serialise");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn a_test_per_exercise_scored_out_of_its_points() {
        let text = render(&sample::report(), &sample::course());
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!((value["score"].as_u64(), value["max_score"].as_u64()), (Some(5), Some(9)));
        let tests = value["tests"].as_array().unwrap();
        assert_eq!(tests.len(), 3);
        assert_eq!(tests[0]["name"], "01_connect Title of 01_connect");
        assert_eq!(
            (tests[0]["score"].as_u64(), tests[0]["status"].as_str()),
            (Some(5), Some("passed"))
        );
        assert_eq!(tests[1]["max_score"], 3);
        assert_eq!(tests[1]["status"], "failed");
        assert_eq!(
            tests[2]["output"],
            "not implemented yet (exercises/03_x/src/lib.rs:9)\n→ replace the todo!()"
        );
        assert!(value["output"].as_str().unwrap().contains("--seed 42"));
    }
}
