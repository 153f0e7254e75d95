//! The course's own settings for the grader: `.grader/config.toml` at the workspace's
//! root (or `$GRADER_STATE_DIR/config.toml`), so that a choice of server made once
//! sticks. It holds two keys today, both in `[server]`:
//!
//! ```toml
//! [server]
//! backend = "local"                      # auto, docker or local
//! image = "mysql-course/server:offline"  # the image the docker backend starts
//! ```
//!
//! `cargo grader config set|unset` writes it, as do `cargo grader server start` (the
//! server it started) and `scripts/build-offline-image.sh` (the image it built). A
//! value comes from the first of: the command line, the environment, this file, the
//! default; [`Setting`] says which.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::server::{docker, BackendChoice, DEFAULT_IMAGE};

/// The environment variable that chooses the backend, like `--backend`.
pub const BACKEND_ENV: &str = "GRADER_BACKEND";
/// The header written at the top of the file.
const HEADER: &str =
    "# The grader's settings for this course: `cargo grader config show` explains them,\n\
                      # `cargo grader config set KEY VALUE` and `unset KEY` change them.\n";

/// The file's contents; a key that is absent takes the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[server]`.
    #[serde(default, skip_serializing_if = "ServerConfig::is_empty")]
    pub server: ServerConfig,
}

/// `[server]`: where check, watch and server start get their server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    /// `auto`, `docker` or `local`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<String>,
    /// The image the docker backend starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl ServerConfig {
    fn is_empty(&self) -> bool {
        self.backend.is_none() && self.image.is_none()
    }
}

/// A key of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Key {
    /// `server.backend`: auto, docker or local.
    Backend,
    /// `server.image`: the image the docker backend starts.
    Image,
}

impl Key {
    /// The key as the file and the command line spell it.
    pub fn name(self) -> &'static str {
        match self {
            Key::Backend => "backend",
            Key::Image => "image",
        }
    }
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line option, such as `--image`.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// The course's config file.
    File(PathBuf),
    /// Nothing chose it.
    Default,
}

impl Source {
    /// Whether someone chose the value (anything but the default).
    pub fn is_chosen(&self) -> bool {
        *self != Source::Default
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "from {flag}"),
            Source::Env(name) => write!(f, "from the environment ({name})"),
            Source::File(path) => write!(f, "from {}", path.display()),
            Source::Default => f.write_str("the default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Who chose it.
    pub source: Source,
}

impl Config {
    /// The file at `path`; none at all is the empty config. A file that cannot be read
    /// or parsed is an error that names it and says how to start again.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default())
            }
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()))
            }
        };
        let config: Config = toml::from_str(&text).map_err(|error| {
            anyhow::anyhow!(
                "{} is not a valid grader config ({}); fix it, or remove it and run `cargo grader config set` again",
                path.display(),
                error.message()
            )
        })?;
        if let Some(backend) = &config.server.backend {
            parse_backend(backend).with_context(|| format!("in {}", path.display()))?;
        }
        Ok(config)
    }

    /// Writes the config to `path` in one rename (its folder made if needed); an
    /// empty config removes the file.
    pub fn save(&self, path: &Path) -> Result<()> {
        if *self == Config::default() {
            return match fs::remove_file(path) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    Err(error).with_context(|| format!("cannot remove {}", path.display()))
                }
                _ => Ok(()),
            };
        }
        let dir = path.parent().context("the config file has a folder")?;
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let text = format!("{HEADER}{}", toml::to_string(self).context("cannot write the config")?);
        let partial = path.with_extension("toml.partial");
        fs::write(&partial, text).with_context(|| format!("cannot write {}", partial.display()))?;
        fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// The value of `key` in the file, if it is set.
    pub fn get(&self, key: Key) -> Option<&str> {
        match key {
            Key::Backend => self.server.backend.as_deref(),
            Key::Image => self.server.image.as_deref(),
        }
    }

    /// Sets `key` to `value` (checked first), or removes it with `None`.
    pub fn set(&mut self, key: Key, value: Option<&str>) -> Result<()> {
        let value = value.map(str::trim).map(String::from);
        match key {
            Key::Backend => {
                if let Some(backend) = &value {
                    parse_backend(backend)?;
                }
                self.server.backend = value;
            }
            Key::Image => {
                if value
                    .as_deref()
                    .is_some_and(|image| image.is_empty() || image.contains(char::is_whitespace))
                {
                    bail!(
                        "an image is a name like {DEFAULT_IMAGE} or {}, without spaces",
                        docker::OFFLINE_IMAGE
                    );
                }
                self.server.image = value;
            }
        }
        Ok(())
    }

    /// The backend in force: `flag` (from `--backend` or its environment variable),
    /// else the file's, else `auto`.
    pub fn backend(&self, flag: Option<BackendChoice>, path: &Path) -> Setting<BackendChoice> {
        if let Some(value) = flag {
            let source = if std::env::var_os(BACKEND_ENV).is_some() {
                Source::Env(BACKEND_ENV)
            } else {
                Source::Flag("--backend")
            };
            return Setting { value, source };
        }
        match self.server.backend.as_deref().map(parse_backend) {
            Some(Ok(value)) => Setting { value, source: Source::File(path.to_path_buf()) },
            _ => Setting { value: BackendChoice::Auto, source: Source::Default },
        }
    }

    /// The image in force: `flag` (from `--image` or `GRADER_IMAGE`), else the file's,
    /// else [`DEFAULT_IMAGE`].
    pub fn image(&self, flag: Option<&str>, path: &Path) -> Setting<String> {
        if let Some(value) = flag {
            let from_env = std::env::var(docker::IMAGE_ENV).is_ok_and(|env| env == value);
            let source =
                if from_env { Source::Env(docker::IMAGE_ENV) } else { Source::Flag("--image") };
            return Setting { value: value.to_string(), source };
        }
        match &self.server.image {
            Some(image) => {
                Setting { value: image.clone(), source: Source::File(path.to_path_buf()) }
            }
            None => Setting { value: DEFAULT_IMAGE.to_string(), source: Source::Default },
        }
    }
}

impl Config {
    /// The backend and image a check would use without options, as far as the
    /// environment and this file (at `path`) say.
    pub fn in_force(&self, path: &Path) -> (Setting<BackendChoice>, Setting<String>) {
        let backend_env = std::env::var(BACKEND_ENV)
            .ok()
            .and_then(|value| <BackendChoice as clap::ValueEnum>::from_str(&value, true).ok());
        let image_env = std::env::var(docker::IMAGE_ENV).ok();
        (self.backend(backend_env, path), self.image(image_env.as_deref(), path))
    }
}

/// `auto`, `docker` or `local`; `external` needs a URL, which belongs on the command
/// line or in `GRADER_SERVER`, never in a file beside the course.
fn parse_backend(text: &str) -> Result<BackendChoice> {
    match text {
        "auto" => Ok(BackendChoice::Auto),
        "docker" => Ok(BackendChoice::Docker),
        "local" => Ok(BackendChoice::Local),
        "external" => bail!(
            "backend \"external\" cannot be saved: it needs a URL with a password; pass --server or set GRADER_SERVER instead"
        ),
        other => bail!("backend {other:?} is not auto, docker or local"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_from_the_flag_then_the_file_then_the_default() {
        let path = Path::new(".grader/config.toml");
        let mut config = Config::default();
        assert_eq!(
            config.image(None, path),
            Setting { value: DEFAULT_IMAGE.into(), source: Source::Default }
        );
        assert_eq!(config.backend(None, path).value, BackendChoice::Auto);
        config.set(Key::Image, Some("my/image:1")).unwrap();
        config.set(Key::Backend, Some("local")).unwrap();
        let image = config.image(None, path);
        assert_eq!((image.value.as_str(), image.source.is_chosen()), ("my/image:1", true));
        assert_eq!(image.source.to_string(), "from .grader/config.toml");
        assert_eq!(config.backend(None, path).value, BackendChoice::Local);
        assert_eq!(config.image(Some("other:2"), path).value, "other:2");
        if std::env::var_os(docker::IMAGE_ENV).is_none() {
            assert_eq!(config.image(Some("other:2"), path).source, Source::Flag("--image"));
        }
    }

    #[test]
    fn bad_values_are_refused_with_what_would_do() {
        let mut config = Config::default();
        let error = config.set(Key::Backend, Some("dokcer")).unwrap_err().to_string();
        assert_eq!(error, "backend \"dokcer\" is not auto, docker or local");
        let error = config.set(Key::Backend, Some("external")).unwrap_err().to_string();
        assert!(error.contains("GRADER_SERVER"), "{error}");
        assert!(config.set(Key::Image, Some("two words")).is_err());
        assert_eq!(config, Config::default(), "nothing was set");
    }

    #[test]
    fn the_file_is_written_read_and_removed_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".grader").join("config.toml");
        assert_eq!(Config::load(&path).unwrap(), Config::default());
        let mut config = Config::default();
        config.set(Key::Image, Some(docker::OFFLINE_IMAGE)).unwrap();
        config.save(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# The grader's settings"), "{text}");
        assert!(text.contains("[server]\nimage = \"mysql-course/server:offline\"\n"), "{text}");
        assert_eq!(Config::load(&path).unwrap(), config);
        config.set(Key::Image, None).unwrap();
        config.save(&path).unwrap();
        assert!(!path.exists());
    }

    #[test]
    fn a_damaged_file_names_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        fs::write(&path, "[server]\nbackend = \"dokcer\"\n").unwrap();
        let error = format!("{:#}", Config::load(&path).unwrap_err());
        assert!(error.contains("config.toml") && error.contains("dokcer"), "{error}");
        fs::write(&path, "[server]\nimag = \"x\"\n").unwrap();
        let error = format!("{:#}", Config::load(&path).unwrap_err());
        assert!(error.contains("not a valid grader config") && error.contains("imag"), "{error}");
    }
}
