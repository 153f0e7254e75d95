//! Grading: each exercise's check run against the server, side by side, each with its
//! own sandbox, turned into a result the report can show.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::checks::{self, Context, Problem, WireRun};
use crate::compile::Build;
use crate::course::{Exercise, Track};
use crate::fnv::fnv1a;
use crate::plan::{Plan, Subject};
use crate::runner::{Limits, Program, OUTPUT_CAP};
use crate::sandbox::Sandbox;
use crate::server::Server;

/// Checks run at the same time; each mostly waits on the server or on a program.
const PARALLEL_CHECKS: usize = 4;

/// How an exercise fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every expectation was met.
    Passed,
    /// The program ran but missed an expectation.
    Failed,
    /// The learner's code still has its `todo!()`.
    NotImplemented,
    /// The crate did not compile.
    CompileError,
    /// This check cannot run on this backend (exercise 10 on a server the user
    /// names): not the learner's fault, and not the grader's either.
    Skipped,
    /// The grader could not check it (not the learner's fault).
    Error,
}

impl Status {
    /// The status as the JSON report spells it (`not_implemented`).
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::NotImplemented => "not_implemented",
            Status::CompileError => "compile_error",
            Status::Skipped => "skipped",
            Status::Error => "error",
        }
    }
}

/// The result of one exercise, as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ExerciseResult {
    /// `NN_slug`.
    pub name: String,
    /// The exercise's title.
    pub title: String,
    /// How it fared.
    pub status: Status,
    /// What went wrong, in plain words; `None` when it passed.
    pub message: Option<String>,
    /// What to try next; `None` when it passed.
    pub next_step: Option<String>,
    /// Time spent checking it, programs included.
    #[serde(rename = "duration_ms", serialize_with = "as_millis")]
    pub duration: Duration,
    /// Time spent in the learner's program alone.
    #[serde(skip)]
    pub program_time: Duration,
    /// What the program said to the server, run by run (`grader wire` shows it).
    #[serde(skip)]
    pub wire: Vec<WireRun>,
}

impl ExerciseResult {
    /// What the check said and the next step (`→ …` on a line of its own), or an
    /// empty text when it passed.
    pub fn explanation(&self) -> String {
        let mut text = self.message.clone().unwrap_or_default();
        if let Some(next) = &self.next_step {
            text.push_str(&format!("\n→ {next}"));
        }
        text
    }
}

fn as_millis<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(u64::try_from(duration.as_millis()).unwrap_or(u64::MAX))
}

/// Checks every item of `plan` against `server`, with the binaries of `build`.
/// `on_done` is told each result as it comes (for progress); results come back in
/// course order.
pub fn check_all(
    server: &Server,
    build: &Build,
    plan: &Plan,
    on_done: &(dyn Fn(&ExerciseResult) + Sync),
) -> Vec<ExerciseResult> {
    let next = AtomicUsize::new(0);
    let order = start_order(plan);
    let results: Mutex<Vec<Option<ExerciseResult>>> = Mutex::new(vec![None; plan.items.len()]);
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_CHECKS.min(plan.items.len()) {
            scope.spawn(|| {
                while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let (exercise, subject) = &plan.items[index];
                    let result = check_one(server, build, plan, exercise, subject);
                    on_done(&result);
                    results.lock().expect("no check panics while holding the lock")[index] =
                        Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("all checks are done")
        .into_iter()
        .map(|r| r.expect("every item was checked"))
        .collect()
}

/// The order in which the plan's checks start: the long ones first (see
/// [`checks::Check::long`]), then the others in course order. Results keep course order.
fn start_order(plan: &Plan) -> Vec<usize> {
    let long = |index: &usize| {
        checks::for_exercise(&plan.items[*index].0.name).is_some_and(|check| check.long())
    };
    let (mut order, others): (Vec<usize>, Vec<usize>) = (0..plan.items.len()).partition(long);
    order.extend(others);
    order
}

fn check_one(
    server: &Server,
    build: &Build,
    plan: &Plan,
    exercise: &Exercise,
    subject: &Subject,
) -> ExerciseResult {
    let started = Instant::now();
    let mut program_time = Duration::ZERO;
    let mut wire = Vec::new();
    let program = match subject {
        Subject::Package(package) => match build.binaries.get(package) {
            None => Err(Outcome::compile_error(build.error_summary(package), package)),
            Some(binary) => Ok((
                Program::binary(binary),
                build.dirs.get(package).map_or(Path::new("."), PathBuf::as_path),
            )),
        },
        Subject::Program(program) => {
            Ok((program.clone(), program.dir.as_deref().unwrap_or(Path::new("."))))
        }
    };
    let outcome = match program {
        Err(outcome) => outcome,
        Ok((program, package_dir)) => {
            match run_check(
                server,
                plan,
                exercise,
                &program,
                package_dir,
                &mut program_time,
                &mut wire,
            ) {
                Ok(()) => Outcome::passed(),
                Err(problem) => Outcome::from_problem(problem, exercise, plan.command),
            }
        }
    };
    ExerciseResult {
        name: exercise.name.clone(),
        title: exercise.title.clone(),
        status: outcome.status,
        message: outcome.message,
        next_step: outcome.next_step,
        duration: started.elapsed(),
        program_time,
        wire,
    }
}

fn run_check(
    server: &Server,
    plan: &Plan,
    exercise: &Exercise,
    program: &Program,
    package_dir: &Path,
    program_time: &mut Duration,
    wire: &mut Vec<WireRun>,
) -> Result<(), Problem> {
    let check = checks::for_exercise(&exercise.name)
        .ok_or_else(|| anyhow::anyhow!("the grader has no check for {}", exercise.name))?;
    let sandbox = Sandbox::create(server, exercise.number())?;
    let limits = Limits {
        timeout: plan.timeout.unwrap_or(Duration::from_secs(exercise.timeout)),
        output_cap: OUTPUT_CAP,
    };
    let rng = fastrand::Rng::with_seed(plan.seed ^ fnv1a(exercise.name.as_bytes()));
    let mut cx = Context::new(server, sandbox, program, package_dir, limits, rng);
    cx.python = exercise.is_python();
    cx.isolation = plan.isolation.as_ref();
    let verdict = check.run(&mut cx);
    *program_time = cx.program_time();
    *wire = cx.take_wire();
    let cleanup = cx.finish();
    verdict?;
    cleanup?;
    Ok(())
}

struct Outcome {
    status: Status,
    message: Option<String>,
    next_step: Option<String>,
}

impl Outcome {
    fn passed() -> Outcome {
        Outcome { status: Status::Passed, message: None, next_step: None }
    }

    fn compile_error(summary: String, package: &str) -> Outcome {
        Outcome {
            status: Status::CompileError,
            message: Some(format!("it does not compile:\n{summary}")),
            next_step: Some(format!(
                "fix it and check again; `cargo build -p {package}` shows every error in full"
            )),
        }
    }

    /// The outcome of `problem`; `command` when a `--cmd` command line ran in the
    /// exercise's place, so that the task is not in the exercise's stub.
    fn from_problem(problem: Problem, exercise: &Exercise, command: bool) -> Outcome {
        let task = exercise.dir(Track::Exercises).join("README.md");
        match problem {
            Problem::NotImplemented(location) => Outcome {
                status: Status::NotImplemented,
                message: Some(format!("not implemented yet ({location})")),
                next_step: Some(if command {
                    format!("write the part that raises or panics there; the task is in {}", task.display())
                } else {
                    format!(
                        "replace the {} with your code; the task is in {}",
                        exercise.stub_marker(),
                        task.display()
                    )
                }),
            },
            Problem::Failed(failure) => Outcome {
                status: Status::Failed,
                next_step: Some(failure.next_step(exercise.is_python()).to_string()),
                message: Some(failure.to_string()),
            },
            Problem::Unavailable { why, next } => Outcome {
                status: Status::Skipped,
                message: Some(format!("not checked on this backend: {why}")),
                next_step: Some(next),
            },
            Problem::Grader(error) => Outcome {
                status: Status::Error,
                message: Some(format!("the grader could not check it: {error:#}")),
                next_step: Some("this is not about your code: check that the server is still up, then run the check again".into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_word_is_its_json_spelling() {
        use Status::*;
        for status in [Passed, Failed, NotImplemented, CompileError, Skipped, Error] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.word(), "{status:?}");
        }
    }
}
