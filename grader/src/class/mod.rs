//! Grading a class: every submission (a copy of the course) checked against one
//! server, side by side within the machine's cores, each built in a folder of its own
//! from the instructor's workspace and the submission's exercise folders
//! ([`build_dir`]), planned by the same [`Plan::new`] as `check`, against the
//! instructor's course (never the submission's course.toml, nor its grader). What a
//! submission does, fails to clone, does not build, hangs or floods, is its verdict;
//! the batch goes on. [`gradebook`] writes what came of it.

pub mod build_dir;
pub mod gradebook;
pub mod submissions;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::compile::{self, Build, Stopper};
use crate::course::{Course, Exercise};
use crate::grade::{self, ExerciseResult, Status};
use crate::isolate::Isolation;
use crate::plan::{Plan, Request};
use crate::report::{Report, Timings, SCHEMA_VERSION};
use crate::server::{persistent, Server, ServerSettings};
use crate::spinner::Spinners;
use build_dir::{BuildDir, Template};
use submissions::{Source, Submission};

/// What a batch grades and how.
#[derive(Debug)]
pub struct Batch {
    /// The instructor's workspace: its course, its manifest and its exercises (the
    /// template), never a submission's.
    pub root: PathBuf,
    /// The instructor's course.
    pub course: Course,
    /// The submissions, in the gradebook's order.
    pub submissions: Vec<Submission>,
    /// The exercises to check, by number, name or slug; all if empty.
    pub exercises: Vec<String>,
    /// The seed every submission's checks draw their data from.
    pub seed: u64,
    /// A time limit for every run of a program, instead of each exercise's own.
    pub timeout: Option<u64>,
    /// Where the server comes from.
    pub settings: ServerSettings,
    /// The persistent server's folder (a persistent server is used if it is up).
    pub server_dir: PathBuf,
    /// Where the template, the clones and the build folders go.
    pub work: PathBuf,
    /// Submissions checked at the same time.
    pub jobs: usize,
    /// How long one submission's build may take.
    pub build_timeout: Duration,
    /// How students' programs run isolated from the grader's files, processes and
    /// network; `None` only when the instructor asked for `--no-sandbox`.
    pub isolation: Option<Isolation>,
}

/// How a submission fared as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Built (whatever compiled) and checked: its exercises' results say the rest.
    Graded,
    /// The folder is not a copy of the course (it has no `exercises/`).
    NotACourse,
    /// Its repository could not be cloned.
    CloneFailed,
    /// Cargo could not build it at all (a broken manifest, or a build that hung).
    BuildFailed,
}

/// What came of one submission.
#[derive(Debug, Clone)]
pub struct SubmissionResult {
    /// The submission.
    pub submission: Submission,
    /// How it fared as a whole.
    pub verdict: Verdict,
    /// Why it was not graded, when it was not.
    pub message: Option<String>,
    /// One result per exercise checked, in course order (when it was not graded,
    /// each says why).
    pub results: Vec<ExerciseResult>,
    /// Building its crates.
    pub build_time: Duration,
    /// How many crates its build compiled (its own, when the template's dependencies
    /// were fresh).
    pub crates_compiled: usize,
    /// Checking them.
    pub check_time: Duration,
    /// Everything said along the way: notes, every compile error, every check's message.
    pub log: String,
}

/// What a batch found.
#[derive(Debug)]
pub struct Outcome {
    /// The exercises checked, with their points, in course order.
    pub exercises: Vec<Exercise>,
    /// The seed of every check.
    pub seed: u64,
    /// The server the checks ran against.
    pub backend: crate::server::Backend,
    /// Its `SELECT VERSION()`.
    pub server_version: String,
    /// One per submission, in the batch's order.
    pub graded: Vec<SubmissionResult>,
    /// Building the template (the shared dependencies).
    pub template_build: Duration,
    /// The whole batch.
    pub total: Duration,
}

impl SubmissionResult {
    /// The points it earned and the most it could.
    pub fn score(&self, course: &Course) -> (u32, u32) {
        self.results.iter().fold((0, 0), |(got, max), result| {
            let points = crate::report::points_of(course, &result.name);
            (got + crate::report::earned(course, result), max + points)
        })
    }

    /// Its results as a check's report (for its JUnit and Gradescope files).
    pub fn report(&self, outcome: &Outcome) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            seed: outcome.seed,
            track: "exercises",
            language: "rust",
            backend: outcome.backend,
            server_version: outcome.server_version.clone(),
            exercises: self.results.clone(),
            timings: Timings {
                server_start: Duration::ZERO,
                build: self.build_time,
                checks: self.check_time,
            },
        }
    }
}

/// Grades every submission of `batch`. `spinners` show the server's start and the
/// template's build; `on_done` is told each submission's result as it comes. An error
/// means the batch itself could not run (no server, the template does not build).
pub fn run(
    batch: &Batch,
    spinners: &Spinners,
    on_done: &(dyn Fn(&SubmissionResult) + Sync),
) -> Result<Outcome> {
    let started = Instant::now();
    let plan_for = |root: &Path| {
        let mut plan = Plan::new(
            &batch.course,
            &Request {
                exercises: &batch.exercises,
                seed: Some(batch.seed),
                timeout: batch.timeout,
                root: Some(root),
                ..Request::default()
            },
        )?;
        // The folders to hide are the instructor's, not the copy's own.
        plan.isolation.clone_from(&batch.isolation);
        anyhow::Ok(plan)
    };
    let plan = plan_for(&batch.root)?;
    let packages = plan.packages();
    std::fs::create_dir_all(&batch.work)
        .with_context(|| format!("cannot create the work folder {}", batch.work.display()))?;
    let _ = std::fs::remove_dir_all(batch.work.join("builds"));
    let _ = std::fs::remove_dir_all(batch.work.join("clones"));
    let template = Template::prepare(&batch.work, &batch.root, &batch.course)?;

    let stopper = Stopper::default();
    let (server, template_build) = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let spinner = spinners.spinner("Looking for a MySQL server…");
            let server = persistent::server_for(&batch.settings, &batch.server_dir, &spinner);
            if server.is_err() {
                stopper.stop();
            }
            server
        });
        let built = Instant::now();
        let build = {
            let spinner = spinners.spinner("Building the shared dependencies…");
            let progress = |n: usize| {
                spinner.set_message(format!(
                    "Building the shared dependencies ({n} crates compiled)…"
                ));
            };
            compile::build_into(&template.root, &template.target(), &packages, &progress, &stopper)
        };
        let server = server.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (server.map(|server| (server, build)), built.elapsed())
    });
    let (server, template_built) = server.context("cannot start a MySQL server")?;
    template_built.context(
        "cannot build the course's own exercises, which every submission's build starts from",
    )?;

    let next = AtomicUsize::new(0);
    let graded: Mutex<Vec<Option<SubmissionResult>>> =
        Mutex::new(vec![None; batch.submissions.len()]);
    std::thread::scope(|scope| {
        for _ in 0..batch.jobs.clamp(1, batch.submissions.len().max(1)) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(submission) = batch.submissions.get(index) else { break };
                let result = grade_one(batch, &server, &template, submission, &plan_for, &plan);
                on_done(&result);
                graded.lock().expect("no grading panics holding the lock")[index] = Some(result);
            });
        }
    });
    Ok(Outcome {
        exercises: plan.items.iter().map(|(exercise, _)| exercise.clone()).collect(),
        seed: batch.seed,
        backend: server.backend,
        server_version: server.version.clone(),
        graded: graded
            .into_inner()
            .expect("all submissions are done")
            .into_iter()
            .map(|graded| graded.expect("every submission was graded"))
            .collect(),
        template_build,
        total: started.elapsed(),
    })
}

/// Clones (if need be), builds and checks one submission; whatever happens is its verdict.
fn grade_one(
    batch: &Batch,
    server: &Server,
    template: &Template,
    submission: &Submission,
    plan_for: &dyn Fn(&Path) -> Result<Plan>,
    plan: &Plan,
) -> SubmissionResult {
    let mut graded = SubmissionResult {
        submission: submission.clone(),
        verdict: Verdict::Graded,
        message: None,
        results: Vec::new(),
        build_time: Duration::ZERO,
        crates_compiled: 0,
        check_time: Duration::ZERO,
        log: format!("submission {}\nfrom {}\n", submission.name, submission.origin()),
    };
    let clone_dir = batch.work.join("clones").join(&submission.name);
    let dir = match &submission.source {
        Source::Folder(dir) => dir.clone(),
        Source::Git(url) => match submissions::clone(url, &clone_dir) {
            Ok(()) => clone_dir.clone(),
            Err(error) => {
                return not_graded(graded, plan, Verdict::CloneFailed, format!("{error:#}"));
            }
        },
    };
    let graded = (|| {
        if !submissions::is_course_copy(&dir) {
            let why = format!(
                "{} has no exercises/ folder: it is not a copy of the course",
                dir.display()
            );
            return not_graded(graded, plan, Verdict::NotACourse, why);
        }
        let build_dir =
            match BuildDir::create(&batch.work, &submission.name, template, &dir, &batch.course) {
                Ok(build_dir) => build_dir,
                Err(error) => {
                    let why = format!("cannot prepare its build: {error:#}");
                    return not_graded(graded, plan, Verdict::BuildFailed, why);
                }
            };
        for note in &build_dir.notes {
            let _ = writeln!(graded.log, "note: {note}");
        }
        let plan = match plan_for(&build_dir.root) {
            Ok(plan) => plan,
            Err(error) => {
                return not_graded(graded, plan, Verdict::BuildFailed, format!("{error:#}"))
            }
        };
        let built = Instant::now();
        let compiled = AtomicUsize::new(0);
        let progress = |n: usize| compiled.store(n, Ordering::Relaxed);
        let build = build_within(&build_dir, &plan.packages(), batch.build_timeout, &progress);
        graded.build_time = built.elapsed();
        graded.crates_compiled = compiled.load(Ordering::Relaxed);
        let _ = writeln!(
            graded.log,
            "build: {:.2} s, {} crates compiled",
            graded.build_time.as_secs_f64(),
            graded.crates_compiled
        );
        let build = match build {
            Ok(build) => build,
            Err(error) => {
                return not_graded(graded, &plan, Verdict::BuildFailed, format!("{error:#}"));
            }
        };
        log_compile_errors(&mut graded.log, &build);
        let checked = Instant::now();
        graded.results = grade::check_all(server, &build, &plan, &|_: &ExerciseResult| {});
        graded.check_time = checked.elapsed();
        log_results(&mut graded.log, &graded.results);
        graded
    })();
    let _ = std::fs::remove_dir_all(&clone_dir);
    graded
}

/// Builds `packages` in `build_dir`, stopped after `limit` (a build script or a
/// macro can loop forever).
fn build_within(
    build_dir: &BuildDir,
    packages: &[String],
    limit: Duration,
    progress: &dyn Fn(usize),
) -> Result<Build> {
    let stopper = Stopper::default();
    let (done, finished) = mpsc::channel::<()>();
    let watchdog = &stopper;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if finished.recv_timeout(limit) == Err(mpsc::RecvTimeoutError::Timeout) {
                watchdog.stop();
            }
        });
        let target = build_dir.root.join("target");
        let build = compile::build_into(&build_dir.root, &target, packages, progress, &stopper);
        let _ = done.send(());
        match build {
            Err(_) if stopper.stopped() => Err(anyhow::anyhow!(
                "the build took more than {} s and was stopped",
                limit.as_secs()
            )),
            build => build,
        }
    })
}

/// `graded` with `verdict`, and each exercise of `plan` failed for `why`.
fn not_graded(
    mut graded: SubmissionResult,
    plan: &Plan,
    verdict: Verdict,
    why: String,
) -> SubmissionResult {
    let _ = writeln!(graded.log, "not graded ({verdict:?}): {why}");
    let status =
        if verdict == Verdict::BuildFailed { Status::CompileError } else { Status::Failed };
    graded.results = plan
        .items
        .iter()
        .map(|(exercise, _)| ExerciseResult {
            name: exercise.name.clone(),
            title: exercise.title.clone(),
            status,
            message: Some(format!("not graded: {why}")),
            next_step: None,
            duration: Duration::ZERO,
            program_time: Duration::ZERO,
            wire: Vec::new(),
        })
        .collect();
    graded.verdict = verdict;
    graded.message = Some(why);
    graded
}

fn log_compile_errors(log: &mut String, build: &Build) {
    let mut packages: Vec<&String> = build.errors.keys().collect();
    packages.sort();
    for package in packages {
        let _ = writeln!(log, "\ncompile errors in {package}:");
        for error in &build.errors[package] {
            let _ = writeln!(log, "{error}\n");
        }
    }
}

fn log_results(log: &mut String, results: &[ExerciseResult]) {
    log.push('\n');
    for result in results {
        let _ = writeln!(
            log,
            "{} {} ({:.2} s)",
            result.name,
            result.status.word(),
            result.duration.as_secs_f64()
        );
        for line in result.explanation().lines() {
            let _ = writeln!(log, "    {line}");
        }
    }
}
