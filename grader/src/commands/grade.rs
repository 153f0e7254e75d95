//! `grader grade`: grade a class's submissions against one server and write a
//! gradebook (the work is in [`crate::class`]).

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::run_options::ServerArgs;
use crate::class::{self, gradebook, submissions, Batch, SubmissionResult, Verdict};
use crate::grade::Status;
use crate::isolate::Isolation;
use crate::output::print;
use crate::plan::random_seed;
use crate::spinner::Spinners;
use crate::state::target_dir;
use crate::{shutdown, workspace::Workspace};

/// The examples and exit codes under `grade --help`.
pub const HELP: &str = "\
Examples:
  cargo grader grade submissions/                 every copy of the course in the folder
  cargo grader grade alice/ bob/ https://github.com/class/carol.git
  cargo grader grade submissions/ --exercises 01,02,03 --out week1/

Each submission is built in a folder of the grader's own from its exercises/ folders
and this course's workspace; its course.toml, Cargo.toml and grader are never used.
Written into --out: grades.csv, summary.json, junit/NAME.xml, gradescope/NAME.json
and logs/NAME.log.

Exit codes:
  0    the gradebook is written (whatever the students' results)
  1    the gradebook is written, but some check could not run (status error): grade
       those submissions again
  2    the batch could not run (bad arguments, no server, the course does not build)
  130  interrupted (Ctrl-C or SIGTERM)";

/// `grader grade`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Copies of the course: folders, a folder of them, or git URLs (cloned with --depth 1).
    #[arg(value_name = "SUBMISSION", required = true)]
    submissions: Vec<String>,
    /// The exercises to grade, by number, name or slug, separated by commas; all if none.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    exercises: Vec<String>,
    /// Where the gradebook goes: a new folder, or one that holds a gradebook already.
    #[arg(long, value_name = "DIR", default_value = "gradebook")]
    out: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
    /// Draw every submission's checks from this seed (else a new one, written in summary.json).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Stop each run of a program after this many seconds, instead of the exercise's own limit.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Submissions graded at the same time [default: the machine's cores].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    jobs: Option<u64>,
    /// Stop a submission's build after this many seconds (it then fails to build).
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..))]
    build_timeout: u64,
    /// Where submissions are cloned and built [default: target/class in the course's folder].
    #[arg(long, value_name = "DIR")]
    work: Option<PathBuf>,
    /// Run students' programs with the grader's own access (only for copies you trust):
    /// by default they run isolated, as `check --sandbox` runs them.
    #[arg(long)]
    no_sandbox: bool,
}

/// Grades the submissions `args` name and writes the gradebook.
pub fn run(args: &Args) -> Result<ExitCode> {
    shutdown::install_handler()?;
    let workspace = Workspace::find()?;
    workspace.course.select(&args.exercises)?;
    let submissions = submissions::find(&args.submissions)?;
    gradebook::prepare(&args.out)?;
    let jobs = match args.jobs {
        Some(jobs) => usize::try_from(jobs).unwrap_or(1),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let work = args.work.clone().unwrap_or_else(|| target_dir(&workspace.root).join("class"));
    // Isolated, students' programs never see the grader's own folders: the persistent
    // server's record, the local servers' data, the progress file. Their builds must
    // then lie elsewhere.
    let hidden = workspace.paths.private_folders(&workspace.root);
    let absolute_work = std::path::absolute(&work).unwrap_or_else(|_| work.clone());
    let inside = hidden.iter().find(|folder| absolute_work.starts_with(folder));
    if let (Some(folder), false) = (inside, args.no_sandbox) {
        bail!(
            "--work {} lies inside {}, which students' programs must not see; choose a folder outside it (or grade trusted copies with --no-sandbox)",
            work.display(),
            folder.display()
        );
    }
    let batch = Batch {
        settings: args.server.settings(&workspace.paths.config)?,
        server_dir: workspace.paths.server_dir.clone(),
        work,
        root: workspace.root.clone(),
        course: workspace.course.clone(),
        submissions,
        exercises: args.exercises.clone(),
        seed: args.seed.unwrap_or_else(random_seed),
        timeout: args.timeout,
        jobs,
        build_timeout: Duration::from_secs(args.build_timeout),
        isolation: if args.no_sandbox { None } else { Some(Isolation::new(hidden)?) },
    };
    let terminal = std::io::stderr().is_terminal();
    let spinners = Spinners::new(terminal);
    let bar = ProgressBar::with_draw_target(
        Some(batch.submissions.len() as u64),
        if terminal { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() },
    );
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:30.cyan/dim} {pos}/{len} submissions {msg} {elapsed:.dim}",
        )
        .expect("valid template"),
    );
    let on_done = |graded: &SubmissionResult| {
        let (score, max) = graded.score(&batch.course);
        bar.set_message(format!("(last: {} {score}/{max})", graded.submission.name));
        bar.inc(1);
    };
    let outcome = class::run(&batch, &spinners, &on_done)?;
    bar.finish_and_clear();
    gradebook::write(&args.out, &outcome, &batch.course)?;

    let width = outcome.graded.iter().map(|g| g.submission.name.len()).max().unwrap_or(0);
    let mut text = String::new();
    for graded in &outcome.graded {
        let (score, max) = graded.score(&batch.course);
        let why = match (graded.verdict, &graded.message) {
            (Verdict::Graded, _) | (_, None) => String::new(),
            (_, Some(message)) => {
                format!("  not graded: {}", message.lines().next().unwrap_or_default())
            }
        };
        text.push_str(&format!("{:width$}  {score:>3} / {max}{why}\n", graded.submission.name));
    }
    text.push_str(&format!(
        "\n{} submissions in {:.1} s (seed {}); the gradebook: {}\n",
        outcome.graded.len(),
        outcome.total.as_secs_f64(),
        outcome.seed,
        args.out.join("grades.csv").display()
    ));
    print(&text);
    let grader_errors = outcome
        .graded
        .iter()
        .any(|graded| graded.results.iter().any(|result| result.status == Status::Error));
    Ok(if grader_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
