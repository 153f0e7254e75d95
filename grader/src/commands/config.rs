//! `grader config show|set|unset`: the course's grader settings (the work is in
//! [`crate::config`]).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use super::Format;
use crate::config::{Config, Key, Setting, BACKEND_ENV};
use crate::output::{print, warning};
use crate::server::{backend_name, docker, BackendChoice};
use crate::workspace;

/// The examples under `config --help`.
pub const HELP: &str = "\
Examples:
  cargo grader config show
  cargo grader config set image mysql-course/server:offline
  cargo grader config set backend local
  cargo grader config unset backend

The settings live in .grader/config.toml. For each, a command-line option (--backend,
--image) wins over the environment (GRADER_BACKEND, GRADER_IMAGE), which wins over the file,
which wins over the default (backend auto, image mysql:8.4).";

/// `grader config`'s subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Show each setting, its value and where the value comes from.
    Show(ShowArgs),
    /// Save a setting for this course: backend (auto, docker, local) or image.
    Set {
        /// The setting.
        #[arg(value_enum)]
        key: Key,
        /// Its new value.
        value: String,
    },
    /// Remove a setting, so that its default applies again.
    Unset {
        /// The setting.
        #[arg(value_enum)]
        key: Key,
    },
}

/// `grader config show`'s options.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Runs a `config` subcommand on the course's config file.
pub fn run(command: Command) -> Result<ExitCode> {
    let path = workspace::state_paths()?.config;
    let mut config = Config::load(&path)?;
    match command {
        Command::Show(args) => {
            let (backend, image) = config.in_force(&path);
            print(&match args.format {
                Format::Human => show(&path, &backend, &image),
                Format::Json => format!(
                    "{}\n",
                    json!({
                        "file": path,
                        "backend": {"value": backend_name(backend.value), "from": backend.source.to_string()},
                        "image": {"value": image.value, "from": image.source.to_string()},
                    })
                ),
            });
        }
        Command::Set { key, value } => {
            config.set(key, Some(&value))?;
            config.save(&path)?;
            print(&format!("Saved {} = {:?} in {}.\n", key.name(), value.trim(), shown(&path)));
            warn_if_overridden(key);
        }
        Command::Unset { key } => {
            let was = config.get(key).map(String::from);
            config.set(key, None)?;
            config.save(&path)?;
            let (backend, image) = config.in_force(&path);
            let now = match key {
                Key::Backend => backend_name(backend.value).to_string(),
                Key::Image => image.value,
            };
            print(&match was {
                Some(_) => {
                    format!("Removed {} from {}; it is {now} now.\n", key.name(), shown(&path))
                }
                None => format!("{} was not set in {}; it is {now}.\n", key.name(), shown(&path)),
            });
            warn_if_overridden(key);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `config show` for people.
fn show(path: &Path, backend: &Setting<BackendChoice>, image: &Setting<String>) -> String {
    let mut text = format!("Settings for this course ({}):\n", shown(path));
    let _ = writeln!(text, "  backend  {:30} {}", backend_name(backend.value), backend.source);
    let _ = writeln!(text, "  image    {:30} {}", image.value, image.source);
    text.push_str(
        "An option (--backend, --image) wins over the environment (GRADER_BACKEND, GRADER_IMAGE),\n\
         which wins over the file; `cargo grader config set KEY VALUE` changes the file.\n",
    );
    text
}

/// Warns when the environment sets `key`, since it wins over the file.
fn warn_if_overridden(key: Key) {
    let name = match key {
        Key::Backend => BACKEND_ENV,
        Key::Image => docker::IMAGE_ENV,
    };
    if std::env::var_os(name).is_some() {
        warning(format!("{name} is set in your environment and wins over the file; `unset {name}` lets the file decide"));
    }
}

/// `path` relative to the current folder when it is below it, for messages.
fn shown(path: &Path) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&here).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Source;

    #[test]
    fn show_says_each_value_and_its_source() {
        let path = Path::new(".grader/config.toml");
        let backend = Setting { value: BackendChoice::Local, source: Source::File(path.into()) };
        let image = Setting { value: "mysql:8.4".to_string(), source: Source::Default };
        let text = show(path, &backend, &image);
        assert!(text.starts_with("Settings for this course (.grader/config.toml):\n"), "{text}");
        assert!(
            text.contains("  backend  local                          from .grader/config.toml\n"),
            "{text}"
        );
        assert!(text.contains("  image    mysql:8.4                      the default\n"), "{text}");
    }
}
