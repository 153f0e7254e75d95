//! The command line: every subcommand (`check`, `watch`, `list`, `hint`, `reset`,
//! `server`, `doctor`, `completions`), their options, examples and exit codes.

use std::collections::HashMap;
use std::io::{IsTerminal as _, Write as _};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use clap::{Parser, Subcommand, ValueEnum};
use colored::Colorize as _;

use crate::course::{self, Course, Track};
use crate::grade::{self, ExerciseResult, Plan};
use crate::spinner::Spinners;
use crate::report::{self, Report, Timings, SCHEMA_VERSION};
use crate::server::{docker, external, persistent, BackendChoice, ServerSettings, DEFAULT_IMAGE};
use crate::state::{self, StatePaths};
use crate::commands::server as server_command;
use crate::{compile, doctor, hint, list, reset, shutdown, watch};

const EXIT_CODES: &str = "\
Start here:
  cargo grader list               where you are, and the next exercise
  cargo grader watch              check each exercise as you save it
  cargo grader doctor             if something does not work

Exit codes (of check):
  0    every exercise checked passed
  1    some exercise failed, is not implemented yet or does not compile
  2    the grader could not do its job (bad arguments, no server, a lost server)
  130  interrupted (Ctrl-C or SIGTERM); the server and programs were stopped";

/// Checks your exercises against a real MySQL server and says what to fix.
#[derive(Debug, Parser)]
#[command(name = "grader", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour the output; NO_COLOR in the environment also turns colour off.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,
    /// Show more: cargo's own output while building, and the server the grader uses.
    #[arg(short, long, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build exercises, run each against a MySQL server, and report.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Check an exercise each time you save it, and move on when it passes.
    ///
    /// Watches the exercises' folders; on each save, rebuilds and checks only the exercise
    /// that changed, against one server kept up for the whole session (the persistent one if
    /// it is up). While it runs, type h (hint), l (list), c (check again) or q (quit), then Enter.
    #[command(after_help = WATCH_HELP)]
    Watch(WatchArgs),
    /// List the exercises in course order, with your progress and the next one to do.
    #[command(after_help = LIST_HELP)]
    List(ListArgs),
    /// Show an exercise's hints, one more each time you try again (or with --more).
    #[command(after_help = HINT_HELP)]
    Hint(HintArgs),
    /// Put an exercise back as it was shipped (your changes to it are lost).
    #[command(after_help = RESET_HELP)]
    Reset(ResetArgs),
    /// Start, stop or look at a persistent server that check and watch reuse.
    #[command(subcommand, after_help = SERVER_HELP)]
    Server(ServerCommand),
    /// Look for what could stop the grader from working, and say how to fix it.
    #[command(after_help = DOCTOR_HELP)]
    Doctor(DoctorArgs),
    /// Print a shell completion script for the grader's commands.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
}

const CHECK_HELP: &str = "\
Examples:
  cargo grader check              every exercise
  cargo grader check 02           one exercise
  cargo grader check --format json --backend local

Exit codes:
  0    every exercise checked passed
  1    some exercise failed, is not implemented yet or does not compile
  2    the grader could not do its job (bad arguments, no server, a lost server)
  130  interrupted (Ctrl-C or SIGTERM); the server and programs were stopped";

const WATCH_HELP: &str = "\
Examples:
  cargo grader watch              every exercise, starting with the next one to do
  cargo grader watch 03 04        only these two
  cargo grader server start && cargo grader watch    checks begin without a server's start

Exit codes: 0 after q, 2 if it cannot start (bad arguments), 130 after Ctrl-C.";

const LIST_HELP: &str = "\
Examples:
  cargo grader list
  cargo grader list --format json

Your progress is in .grader/progress.json (GRADER_STATE_DIR moves it); every check updates it.";

const HINT_HELP: &str = "\
Examples:
  cargo grader hint               the exercise to do next
  cargo grader hint 02            the first hint of 02, or the next one after you tried again
  cargo grader hint 02 --more     one more hint right now

Exit codes: 0, or 2 for an unknown exercise (the valid names are listed).";

const RESET_HELP: &str = "\
Examples:
  cargo grader reset 02           asks before it overwrites anything
  cargo grader reset 02 --yes
  cargo grader reset 02 --from origin/main    if you committed your work

The shipped version comes from git (HEAD, or --from), else from the copy the grader took
when it first ran here. Files you added are kept. Its progress and hints are forgotten,
and what its checks left on the persistent server is dropped.
Exit codes: 0 reset, 1 not confirmed, 2 the grader could not do it.";

const SERVER_HELP: &str = "\
Examples:
  cargo grader server start                  docker if it answers, else local
  cargo grader server start --backend local
  cargo grader server status --show-password
  cargo grader server stop";

const START_HELP: &str = "\
Examples:
  cargo grader server start
  cargo grader server start --backend docker --image mysql-course/server:offline

A local server keeps its data in target/grader/server/; a docker one is the container
mysql-course-grader-<hash>. Either runs until `cargo grader server stop`.";

const STOP_HELP: &str = "\
Example:
  cargo grader server stop

Removes the server's process or container, its data folder and its record.";

const STATUS_HELP: &str = "\
Examples:
  cargo grader server status
  cargo grader server status --show-password --format json

Exit codes: 0 the server answers, 1 there is none or it does not answer.";

const DOCTOR_HELP: &str = "\
Examples:
  cargo grader doctor
  cargo grader doctor --fix       also removes what killed graders left behind

Exit codes: 0 no problem found (warnings aside), 1 some problem remains.";

const COMPLETIONS_HELP: &str = "\
Examples:
  cargo grader completions bash > ~/.local/share/bash-completion/completions/grader
  source <(cargo grader completions bash) && alias grader='cargo grader'
  cargo grader completions zsh > ~/.zfunc/_grader

The script completes the command `grader`: install the binary (cargo install --path grader)
or define the alias above.";

/// Where the server comes from, shared by `check` and `watch`.
#[derive(Debug, clap::Args)]
struct ServerArgs {
    /// Where the MySQL server comes from (a persistent server is used whenever it is up and fits).
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto, env = "GRADER_BACKEND")]
    backend: BackendChoice,
    /// An existing server to check against, as mysql://USER:PASSWORD@HOST:PORT; the account must be able to
    /// create databases and users.
    #[arg(long, value_name = "URL", env = "GRADER_SERVER", hide_env_values = true)]
    server: Option<String>,
    /// The image the docker backend starts (the offline one is mysql-course/server:offline).
    #[arg(long, value_name = "IMAGE", env = docker::IMAGE_ENV, default_value = DEFAULT_IMAGE)]
    image: String,
}

impl ServerArgs {
    fn settings(&self) -> Result<ServerSettings> {
        if let Some(url) = &self.server {
            external::parse(url)?;
        }
        Ok(ServerSettings {
            backend: self.backend,
            server_url: self.server.clone(),
            image: self.image.clone(),
        })
    }
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Exercises to check, by number (02), name (02_show_databases) or slug (show_databases); all if none.
    #[arg(value_name = "EXERCISE")]
    exercises: Vec<String>,
    /// Check the reference solutions instead of your exercises.
    #[arg(long)]
    solutions: bool,
    #[command(flatten)]
    server: ServerArgs,
    /// How to report: for people, or one JSON document for scripts (schema in README.md).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Draw the checks' random data from this seed, to replay an earlier run.
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Stop each run of a program after this many seconds, instead of the exercise's own limit.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Check another package of the workspace in an exercise's place (the kit's own tests use it).
    #[arg(long = "program", value_name = "EXERCISE=PACKAGE", hide = true)]
    programs: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct WatchArgs {
    /// Exercises to watch, by number, name or slug; all if none.
    #[arg(value_name = "EXERCISE")]
    exercises: Vec<String>,
    #[command(flatten)]
    server: ServerArgs,
    /// A screen for people, or one JSON event per line for scripts.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Draw every check's random data from this seed (else a new seed each time).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Stop each run of a program after this many seconds, instead of the exercise's own limit.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    timeout: Option<u64>,
    /// Watch another package of the workspace in an exercise's place (the kit's own tests use it).
    #[arg(long = "program", value_name = "EXERCISE=PACKAGE", hide = true)]
    programs: Vec<String>,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct HintArgs {
    /// The exercise, by number, name or slug; the next one to do if none.
    #[arg(value_name = "EXERCISE")]
    exercise: Option<String>,
    /// Show one more hint now, without trying again first.
    #[arg(long)]
    more: bool,
}

#[derive(Debug, clap::Args)]
struct ResetArgs {
    /// The exercise to reset, by number, name or slug.
    #[arg(value_name = "EXERCISE")]
    exercise: String,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    yes: bool,
    /// The git revision that holds the shipped version (default HEAD).
    #[arg(long, value_name = "REVISION")]
    from: Option<String>,
}

#[derive(Debug, Subcommand)]
enum ServerCommand {
    /// Start a persistent server (nothing happens if one is up).
    #[command(after_help = START_HELP)]
    Start(StartArgs),
    /// Stop the persistent server and remove all of it.
    #[command(after_help = STOP_HELP)]
    Stop,
    /// Show the persistent server's backend, address, version and uptime.
    #[command(after_help = STATUS_HELP)]
    Status(StatusArgs),
}

#[derive(Debug, clap::Args)]
struct StartArgs {
    /// docker, local, or auto (docker if its daemon answers, else local).
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto, env = "GRADER_BACKEND")]
    backend: BackendChoice,
    /// The image a docker server runs.
    #[arg(long, value_name = "IMAGE", env = docker::IMAGE_ENV, default_value = DEFAULT_IMAGE)]
    image: String,
}

#[derive(Debug, clap::Args)]
struct StatusArgs {
    /// Show the administrator's password instead of ********.
    #[arg(long)]
    show_password: bool,
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct DoctorArgs {
    /// Remove what killed graders left behind, and set a damaged progress file aside.
    #[arg(long)]
    fix: bool,
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Debug, clap::Args)]
struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Coloured lines for people.
    Human,
    /// One JSON document on stdout.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Runs the grader with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    colored::control::set_override(match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
        }
    });
    let code = match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{} {error:#}", "error:".red().bold());
            ExitCode::from(2)
        }
    };
    shutdown::finish(code)
}

/// Writes `text` to stdout; a closed pipe (`grader list | head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Writes `text` and a newline to stderr; a closed terminal is not an error.
pub fn notice(text: String) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check(args, cli.verbose),
        Command::Watch(args) => watch(args),
        Command::List(args) => list(&args),
        Command::Hint(args) => hint(&args),
        Command::Reset(args) => reset(&args),
        Command::Server(command) => server(command),
        Command::Doctor(args) => doctor(&args),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "grader", &mut script);
            print(&String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The workspace, its course, and where the grader keeps its files there.
fn workspace() -> Result<(std::path::PathBuf, Course, StatePaths)> {
    let root = course::find_root()?;
    let course = Course::load(&root)?;
    let paths = StatePaths::for_workspace(&root);
    Ok((root, course, paths))
}

/// Where the grader keeps its files: the workspace's, or `$GRADER_STATE_DIR` alone
/// when no workspace is found (the server commands work anywhere).
fn state_paths() -> Result<StatePaths> {
    match course::find_root() {
        Ok(root) => Ok(StatePaths::for_workspace(&root)),
        Err(error) => match std::env::var_os(state::STATE_DIR_ENV) {
            Some(dir) => Ok(StatePaths::in_dir(std::path::Path::new(&dir))),
            None => Err(error),
        },
    }
}

fn list(args: &ListArgs) -> Result<ExitCode> {
    let (root, course, paths) = workspace()?;
    reset::snapshot_if_needed(&root, &paths, &course);
    let progress = state::Progress::load(&paths.progress)?;
    let listing = list::listing(&course, &progress);
    print(&match args.format {
        Format::Human => list::render(&listing, state::now()),
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&listing)?),
    });
    Ok(ExitCode::SUCCESS)
}

fn hint(args: &HintArgs) -> Result<ExitCode> {
    let (_, course, paths) = workspace()?;
    let exercise = match &args.exercise {
        Some(query) => course.select(std::slice::from_ref(query))?.remove(0),
        None => {
            let progress = state::Progress::load(&paths.progress)?;
            let Some(next) = progress.next_to_do(&course.exercises) else {
                print("Every exercise is done: no hint needed. `cargo grader hint NN` shows an exercise's hints.\n");
                return Ok(ExitCode::SUCCESS);
            };
            next.clone()
        }
    };
    let mut hints = None;
    state::update(&paths.progress, |progress| {
        let entry = progress.exercises.entry(exercise.name.clone()).or_default();
        hints = Some(hint::take(&exercise, entry, args.more, state::now()));
    })?;
    print(&hint::render(&hints.expect("the update ran")));
    Ok(ExitCode::SUCCESS)
}

fn reset(args: &ResetArgs) -> Result<ExitCode> {
    let (root, course, paths) = workspace()?;
    let exercise = course.select(std::slice::from_ref(&args.exercise))?.remove(0);
    let shipped = reset::shipped(&root, &paths, &exercise, args.from.as_deref())?;
    let dir = root.join(exercise.dir(Track::Exercises));
    let changes = reset::compare(&dir, &shipped);
    if !changes.is_empty() && !args.yes {
        eprintln!(
            "{} differs from its shipped version ({}):\n{}",
            dir.display(),
            shipped.source,
            reset::describe(&changes)
        );
        if !reset::confirm(&format!("Reset {}", exercise.name))? {
            print("Nothing was changed.\n");
            return Ok(ExitCode::FAILURE);
        }
    }
    reset::restore(&dir, &shipped)?;
    state::update(&paths.progress, |progress| progress.forget(&exercise.name))?;
    let dropped = persistent::drop_sandboxes(&paths.server_dir, exercise.number())?;
    let mut text = if changes.is_empty() {
        format!("{} was as shipped already ({}).\n", exercise.name.bold(), shipped.source)
    } else {
        format!(
            "{} {} is back as shipped ({}):\n{}\n",
            "Reset".green().bold(),
            exercise.name.bold(),
            shipped.source,
            reset::describe(&changes)
        )
    };
    text.push_str("Its progress and hints are forgotten.");
    if let Some(count) = dropped {
        text.push_str(&format!(
            " The persistent server had {count} leftovers of its checks; they are dropped."
        ));
    }
    text.push('\n');
    print(&text);
    Ok(ExitCode::SUCCESS)
}

fn server(command: ServerCommand) -> Result<ExitCode> {
    let dir = state_paths()?.server_dir;
    match command {
        ServerCommand::Start(args) => {
            shutdown::install_handler()?;
            let settings =
                ServerSettings { backend: args.backend, server_url: None, image: args.image };
            server_command::start(&dir, &settings)
        }
        ServerCommand::Stop => server_command::stop(&dir),
        ServerCommand::Status(args) => {
            server_command::status(&dir, args.show_password, args.format == Format::Json)
        }
    }
}

fn doctor(args: &DoctorArgs) -> Result<ExitCode> {
    let root = course::find_root().ok();
    let paths = state_paths()?;
    let image = doctor::default_image();
    let mut findings = doctor::examine(root.as_deref(), &paths, &image);
    let mut fixed = Vec::new();
    if args.fix {
        fixed = doctor::fix(&findings);
        findings = doctor::examine(root.as_deref(), &paths, &image);
    }
    print(&match args.format {
        Format::Human => {
            let mut text: String = fixed.iter().map(|line| format!("{line}\n")).collect();
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&doctor::render(&findings));
            text
        }
        Format::Json => {
            let value = serde_json::json!({
                "problems": findings.iter().filter(|f| f.level == doctor::Level::Problem).count(),
                "fixed": fixed,
                "findings": findings,
            });
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
    });
    Ok(if doctor::has_problems(&findings) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn watch(args: WatchArgs) -> Result<ExitCode> {
    let course = Course::load(&course::find_root()?)?;
    let options = watch::Options {
        programs: parse_overrides(&args.programs, &course)?,
        settings: args.server.settings()?,
        exercises: args.exercises,
        json: args.format == Format::Json,
        seed: args.seed,
        timeout: args.timeout.map(Duration::from_secs),
    };
    let redraw = std::io::stdout().is_terminal();
    watch::run(options, redraw)
}

fn check(args: CheckArgs, verbose: bool) -> Result<ExitCode> {
    shutdown::install_handler()?;
    let (root, course, paths) = workspace()?;
    let exercises = course.select(&args.exercises)?;
    let overrides = parse_overrides(&args.programs, &course)?;
    let settings = args.server.settings()?;
    reset::snapshot_if_needed(&root, &paths, &course);
    let track = if args.solutions { Track::Solutions } else { Track::Exercises };
    let items: Vec<_> = exercises
        .into_iter()
        .map(|exercise| {
            let package =
                overrides.get(&exercise.name).cloned().unwrap_or_else(|| exercise.package(track));
            (exercise, package)
        })
        .collect();
    let plan = Plan {
        items,
        seed: args.seed.unwrap_or_else(|| fastrand::u64(..1_000_000)),
        timeout: args.timeout.map(Duration::from_secs),
    };
    let progress =
        Spinners::new(args.format == Format::Human && std::io::stderr().is_terminal() && !verbose);

    let packages: Vec<String> = plan.items.iter().map(|(_, package)| package.clone()).collect();
    let (server, (build, build_time)) = std::thread::scope(|scope| {
        let server = scope.spawn(|| {
            let _spinner = progress.spinner("Starting a MySQL server…");
            persistent::server_for(&settings, &paths.server_dir, &notice)
        });
        let started = Instant::now();
        let build = {
            let count = packages.len();
            let _spinner = progress
                .spinner(format!("Building {count} program{}…", if count == 1 { "" } else { "s" }));
            compile::build(&root, &packages, verbose)
        };
        let build_time = started.elapsed();
        let server = server.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (server, (build, build_time))
    });
    let server = server.context("cannot start a MySQL server")?;
    let build = build?;
    if verbose {
        eprintln!("server: {} backend, {:?}, {}", server.backend, server.admin, server.version);
    }

    let started = Instant::now();
    let results = {
        let total = plan.items.len();
        let done = AtomicUsize::new(0);
        let spinner = progress
            .spinner(format!("Checking {total} exercise{}…", if total == 1 { "" } else { "s" }));
        let on_done = |_: &ExerciseResult| {
            let done = done.fetch_add(1, Ordering::Relaxed) + 1;
            spinner.set_message(format!("Checking… {done} of {total} done"));
        };
        grade::check_all(&server, &build, &plan, &on_done)
    };
    let report = Report {
        schema_version: SCHEMA_VERSION,
        seed: plan.seed,
        track: if args.solutions { "solutions" } else { "exercises" },
        backend: server.backend,
        server_version: server.version.clone(),
        exercises: results,
        timings: Timings {
            server_start: server.start_time,
            build: build_time,
            checks: started.elapsed(),
        },
    };
    print(&match args.format {
        Format::Human => report::human::render(&report),
        Format::Json => report::json::render(&report),
    });
    if !args.solutions {
        let own: Vec<ExerciseResult> = report
            .exercises
            .iter()
            .filter(|result| !overrides.contains_key(&result.name))
            .cloned()
            .collect();
        if let Err(error) = state::record(&paths.progress, &own) {
            eprintln!("{} your progress was not saved: {error:#}", "warning:".yellow().bold());
        }
    }
    Ok(report.exit_code())
}

/// Reads the hidden `--program EXERCISE=PACKAGE` options.
fn parse_overrides(specs: &[String], course: &Course) -> Result<HashMap<String, String>> {
    specs
        .iter()
        .map(|spec| {
            let Some((exercise, package)) = spec.split_once('=') else {
                bail!("--program {spec:?} is not EXERCISE=PACKAGE");
            };
            let [exercise] = &course.select(&[exercise.to_string()])?[..] else {
                bail!("--program {spec:?} names more than one exercise");
            };
            Ok((exercise.name.clone(), package.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_documents_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("2    the grader could not do its job"), "{help}");
    }
}
