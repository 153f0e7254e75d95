//! `grader server start|stop|status`: the persistent server, as the learner drives it
//! (the work is in [`crate::server::persistent`]).

use std::fmt::Write as _;
use std::io::IsTerminal as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use colored::Colorize as _;
use serde_json::json;

use super::Format;
use crate::config::{Config, Key};
use crate::output::{print, warning};
use crate::server::persistent::{self, Record, Runs, Started};
use crate::server::{docker, BackendChoice, ServerSettings};
use crate::spinner::Spinners;
use crate::state;
use crate::{shutdown, workspace};

/// What a password looks like when it is not shown.
const MASK: &str = "********";

/// The examples under `server --help`.
pub const HELP: &str = "\
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

/// `grader server`'s subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
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

/// `grader server start`'s options.
#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// docker, local, or auto [default: the course's config, else auto: docker if the image is
    /// here or can be pulled, else the offline image, else local].
    #[arg(long, value_enum, env = crate::config::BACKEND_ENV)]
    backend: Option<BackendChoice>,
    /// The image a docker server runs [default: the course's config, else mysql:8.4].
    #[arg(long, value_name = "IMAGE", env = docker::IMAGE_ENV)]
    image: Option<String>,
}

/// `grader server status`'s options.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Show the administrator's password instead of ********.
    #[arg(long)]
    show_password: bool,
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs a `server` subcommand in the state's server folder.
pub fn run(command: Command) -> Result<ExitCode> {
    let paths = workspace::state_paths()?;
    let dir = paths.server_dir;
    match command {
        Command::Start(args) => {
            shutdown::install_handler()?;
            let config = Config::load(&paths.config)?;
            let image = config.image(args.image.as_deref(), &paths.config);
            let settings = ServerSettings {
                backend: config.backend(args.backend, &paths.config).value,
                server_url: None,
                image: image.value,
                image_chosen: image.source.is_chosen(),
            };
            let code = start(&dir, &settings)?;
            remember(&paths.config, &dir);
            Ok(code)
        }
        Command::Stop => stop(&dir),
        Command::Status(args) => status(&dir, args.show_password, args.format == Format::Json),
    }
}

/// Starts the persistent server unless one is up.
pub fn start(dir: &Path, settings: &ServerSettings) -> Result<ExitCode> {
    let started = Instant::now();
    let spinners = Spinners::new(std::io::stderr().is_terminal());
    let spinner = spinners.spinner("Looking for a MySQL server…");
    let outcome = persistent::start(dir, settings, &spinner)?;
    drop(spinner);
    let text = match outcome {
        Started::AlreadyUp(record) => format!(
            "A persistent {} server is up already at {}:{} ({}), up {}.\n",
            record.kind().backend(),
            record.host,
            record.port,
            record.version,
            state::span(state::now().saturating_sub(record.started_at))
        ),
        Started::Started(record) => format!(
            "{} a persistent {} server at {}:{} ({}) in {:.1} s.\n\
             `cargo grader check` and `cargo grader watch` use it until `cargo grader server stop`.\n",
            "Started".green().bold(),
            record.kind().backend(),
            record.host,
            record.port,
            record.version,
            started.elapsed().as_secs_f64()
        ),
    };
    print(&text);
    Ok(ExitCode::SUCCESS)
}

/// Saves the backend and image of the persistent server in `dir` in the course's
/// config at `path`, where they differ from what the config says, so that checks
/// keep to the same kind of server after `server stop`; says what it saved.
fn remember(path: &Path, dir: &Path) {
    let Ok(Some(record)) = Record::load(dir) else {
        return;
    };
    let Ok(mut config) = Config::load(path) else {
        return;
    };
    let before = config.clone();
    let (_, image_in_force) = config.in_force(path);
    match &record.runs {
        Runs::Docker { image, .. } => {
            if config.get(Key::Backend) == Some("local") {
                let _ = config.set(Key::Backend, None);
            }
            if image_in_force.value != *image {
                let _ = config.set(Key::Image, Some(image));
            }
        }
        Runs::Local { .. } => {
            let _ = config.set(Key::Backend, Some("local"));
        }
    }
    if config == before {
        return;
    }
    if let Err(error) = config.save(path) {
        warning(format!("the server's backend was not saved in {}: {error:#}", path.display()));
        return;
    }
    let saved: Vec<String> = [Key::Backend, Key::Image]
        .into_iter()
        .filter(|key| config.get(*key) != before.get(*key))
        .map(|key| match config.get(key) {
            Some(value) => format!("{} = {value:?}", key.name()),
            None => format!("no {}", key.name()),
        })
        .collect();
    print(&format!(
        "Saved {} in {}: checks use this kind of server after `server stop` too (`cargo grader config show` explains).\n",
        saved.join(" and "),
        path.display()
    ));
}

/// Stops the persistent server and removes everything it left.
pub fn stop(dir: &Path) -> Result<ExitCode> {
    let removed = persistent::stop(dir)?;
    let text = if removed.is_empty() {
        "No persistent server was running, and nothing of one is left.\n".to_string()
    } else {
        let mut text = format!("{} the persistent server. Removed:\n", "Stopped".green().bold());
        for what in removed {
            let _ = writeln!(text, "  {what}");
        }
        text
    };
    print(&text);
    Ok(ExitCode::SUCCESS)
}

/// Says whether the persistent server is up, and how to reach it. Exit code 0 when
/// it answers, 1 when there is none or it does not answer.
pub fn status(dir: &Path, show_password: bool, json: bool) -> Result<ExitCode> {
    let record = Record::load(dir)?;
    let answers = record.as_ref().is_some_and(Record::answers);
    if json {
        print(&format!("{}\n", status_json(record.as_ref(), answers, show_password)));
    } else {
        print(&status_text(record.as_ref(), answers, show_password));
    }
    Ok(if answers { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn status_json(record: Option<&Record>, answers: bool, show_password: bool) -> serde_json::Value {
    let Some(record) = record else {
        return json!({"running": false});
    };
    let (pid, data_dir, container, image) = match &record.runs {
        Runs::Local { pid, data_dir } => (Some(pid), Some(data_dir), None, None),
        Runs::Docker { container, image } => (None, None, Some(container), Some(image)),
    };
    json!({
        "running": answers,
        "backend": record.kind().backend(),
        "host": record.host,
        "port": record.port,
        "user": record.user,
        "password": if show_password { record.password.as_str() } else { MASK },
        "version": record.version,
        "started_at": record.started_at,
        "uptime_s": state::now().saturating_sub(record.started_at),
        "pid": pid,
        "container": container,
        "image": image,
        "data_dir": data_dir,
    })
}

fn status_text(record: Option<&Record>, answers: bool, show_password: bool) -> String {
    let Some(record) = record else {
        return "No persistent server. `cargo grader server start` starts one; until then each check starts \
                its own.\n"
            .into();
    };
    let state_words = if answers { "up".green().bold() } else { "not answering".red().bold() };
    let password = if show_password { record.password.as_str() } else { MASK };
    let mut text = format!("Persistent server: {state_words}\n");
    let mut line = |key: &str, value: String| {
        let _ = writeln!(text, "  {key:9} {value}");
    };
    line("backend", record.kind().backend().to_string());
    line("address", format!("{}:{}", record.host, record.port));
    line(
        "account",
        format!(
            "{} / {password}{}",
            record.user,
            if show_password { "" } else { " (--show-password shows it)" }
        ),
    );
    line("version", record.version.clone());
    line("uptime", state::span(state::now().saturating_sub(record.started_at)));
    match &record.runs {
        Runs::Local { pid, data_dir } => {
            line("process", format!("{pid}, data in {}", data_dir.display()));
        }
        Runs::Docker { container, image } => line("container", format!("{container} ({image})")),
    }
    line("connect", format!("mysql -h {} -P {} -u {} -p", record.host, record.port, record.user));
    if !answers {
        let _ = writeln!(
            text,
            "It does not answer: `cargo grader server start` starts it again, `cargo grader server stop` clears it."
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            host: "127.0.0.1".into(),
            port: 4000,
            user: "grader".into(),
            password: "s3cret".into(),
            version: "10.11.6-MariaDB".into(),
            started_at: state::now() - 300,
            runs: Runs::Local {
                pid: 42,
                data_dir: "/w/target/grader/server/grader-mysql-persistent".into(),
            },
        }
    }

    #[test]
    fn the_status_reads_whole_and_masks_the_password_unless_asked_for() {
        colored::control::set_override(false);
        assert_eq!(
            status_text(Some(&record()), true, false),
            "Persistent server: up
  backend   local
  address   127.0.0.1:4000
  account   grader / ******** (--show-password shows it)
  version   10.11.6-MariaDB
  uptime    5 min
  process   42, data in /w/target/grader/server/grader-mysql-persistent
  connect   mysql -h 127.0.0.1 -P 4000 -u grader -p
"
        );
        let shown = status_text(Some(&record()), false, true);
        assert!(shown.contains("  account   grader / s3cret\n"), "{shown}");
        assert!(shown.ends_with(
            "It does not answer: `cargo grader server start` starts it again, `cargo grader server stop` clears it.\n"
        ));
        let value = status_json(Some(&record()), true, false);
        assert_eq!(value["password"], MASK);
        assert_eq!(value["backend"], "local");
        assert_eq!(value["pid"], 42);
        assert_eq!(value["container"], serde_json::Value::Null);
        assert_eq!(status_json(None, false, false), json!({"running": false}));
    }
}
