//! The GitHub Classroom workflow the kit ships (`classroom/classroom.yml`): its tests
//! are the course's exercises, in order, each worth its points, and the commands it
//! runs, run here the same way against a persistent server (the local backend where
//! the workflow's runner has Docker), pass the reference solutions and fail the
//! untouched exercises.

use std::path::Path;

use crate::support::{grader_with_env, workspace_root, Run};

/// One autograding test of the workflow: a step that uses the command grader.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Test {
    id: String,
    name: String,
    command: String,
    max_score: u32,
}

/// What the workflow holds, read line by line: the file is the kit's own, in the
/// plain block style GitHub's own examples use, so a YAML library is not needed.
#[derive(Debug, Default)]
struct Workflow {
    /// The `run:` commands of plain steps, in order.
    runs: Vec<String>,
    /// The command-grader steps, in order.
    tests: Vec<Test>,
    /// The reporter's `runners:`.
    runners: Vec<String>,
    /// The reporter's environment, `NAME: value`.
    reporter_env: Vec<(String, String)>,
}

fn parse(text: &str) -> Workflow {
    let mut workflow = Workflow::default();
    let mut step: Vec<(String, String)> = Vec::new();
    let mut steps = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let (key, value) = trimmed.split_once(':').map_or((trimmed, ""), |(k, v)| (k, v.trim()));
        if let Some(first) = key.strip_prefix("- ") {
            if line.starts_with("      - ") {
                steps.push(std::mem::take(&mut step));
                step.push((first.to_string(), value.to_string()));
                continue;
            }
        }
        step.push((key.to_string(), value.trim_matches('"').to_string()));
    }
    steps.push(step);
    for step in steps {
        let get = |key: &str| step.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        match get("uses").as_deref() {
            Some("classroom-resources/autograding-command-grader@v1") => {
                workflow.tests.push(Test {
                    id: get("id").expect("a test step has an id"),
                    name: get("test-name").expect("a test has a name"),
                    command: get("command").expect("a test has a command"),
                    max_score: get("max-score").expect("a max-score").parse().unwrap(),
                });
                assert_eq!(get("timeout").as_deref(), Some("10"), "{step:?}");
            }
            Some("classroom-resources/autograding-grading-reporter@v1") => {
                let runners = get("runners").expect("the reporter names its runners");
                workflow.runners = runners.split(',').map(String::from).collect();
                workflow.reporter_env =
                    step.iter().filter(|(key, _)| key.ends_with("_RESULTS")).cloned().collect();
            }
            _ => workflow.runs.extend(get("run")),
        }
    }
    workflow
}

fn workflow() -> Workflow {
    let path = workspace_root().join("classroom/classroom.yml");
    parse(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn the_workflow_has_a_test_per_exercise_worth_its_points() {
    let workflow = workflow();
    let course = grader::course::Course::load(&workspace_root()).unwrap();
    let expected: Vec<Test> = course
        .exercises
        .iter()
        .map(|exercise| Test {
            id: format!("ex{}", exercise.number()),
            name: exercise.name.clone(),
            command: format!("cargo grader check {}", exercise.number()),
            max_score: exercise.points,
        })
        .collect();
    assert_eq!(workflow.tests, expected);
    let ids: Vec<String> = expected.iter().map(|test| test.id.clone()).collect();
    assert_eq!(workflow.runners, ids, "the reporter reports every test");
    let env: Vec<(String, String)> = ids
        .iter()
        .map(|id| {
            (
                format!("{}_RESULTS", id.to_uppercase()),
                format!("${{{{steps.{id}.outputs.result}}}}"),
            )
        })
        .collect();
    assert_eq!(workflow.reporter_env, env, "each test's result reaches the reporter");
    assert_eq!(workflow.runs, ["cargo grader server start"]);
}

/// Runs a workflow command (`cargo grader ARGS`) as the workflow would, with the
/// grader under test, on the local backend, with `extra` arguments.
fn run_command(command: &str, extra: &[&str], state: &Path) -> Run {
    let args = command
        .strip_prefix("cargo grader ")
        .unwrap_or_else(|| panic!("the workflow runs only the grader, not {command:?}"));
    let mut all: Vec<&str> = args.split_whitespace().collect();
    all.extend(extra);
    grader_with_env(
        &all,
        &[("GRADER_BACKEND", "local"), ("GRADER_STATE_DIR", state.to_str().unwrap())],
    )
}

#[test]
fn the_workflow_passes_the_solutions_and_fails_the_untouched_exercises() {
    let workflow = workflow();
    let state = tempfile::Builder::new().prefix("grader-classroom-").tempdir().unwrap();
    for command in &workflow.runs {
        run_command(command, &[], state.path()).assert_code(0);
    }
    let mut wrong = Vec::new();
    for test in &workflow.tests {
        let solved = run_command(&test.command, &["--solutions"], state.path());
        let untouched = run_command(&test.command, &[], state.path());
        if solved.code != 0 || untouched.code == 0 {
            wrong.push(format!(
                "{}: solutions exit {} (0 expected), untouched exit {} (non-zero expected)\n{}{}",
                test.name, solved.code, untouched.code, solved.stdout, untouched.stdout
            ));
        }
    }
    run_command("cargo grader server stop", &[], state.path()).assert_code(0);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
