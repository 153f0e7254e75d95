//! The options `check` and `watch` share: which exercises, where the server comes
//! from, the seed, the time limit and the format.

use anyhow::Result;

use super::Format;
use crate::plan::Request;
use crate::server::{self, docker, external, BackendChoice, ServerSettings, DEFAULT_IMAGE};

/// What to check, against which server, and how to report.
#[derive(Debug, clap::Args)]
pub struct RunOptions {
    /// Exercises, by number (02), name (02_show_databases) or slug (show_databases); all if none.
    #[arg(value_name = "EXERCISE")]
    pub exercises: Vec<String>,
    #[command(flatten)]
    pub server: ServerArgs,
    /// For people, or JSON for scripts: check prints one document (schema in README.md), watch one
    /// event per line.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Draw the checks' random data from this seed, to replay an earlier run (else a new seed each run).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Stop each run of a program after this many seconds, instead of the exercise's own limit.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Another package of the workspace in an exercise's place (the kit's own tests use it).
    #[arg(long = "program", value_name = "EXERCISE=PACKAGE", hide = true)]
    pub programs: Vec<String>,
}

impl RunOptions {
    /// The plan these options ask for, of the learner's crates or the solutions.
    pub fn request(&self, solutions: bool) -> Request<'_> {
        Request {
            exercises: &self.exercises,
            solutions,
            stand_ins: &self.programs,
            seed: self.seed,
            timeout: self.timeout,
        }
    }
}

/// Where the server comes from.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Where the MySQL server comes from (a persistent server is used whenever it is up and fits).
    #[arg(long, value_enum, default_value_t = BackendChoice::Auto, env = "GRADER_BACKEND")]
    pub backend: BackendChoice,
    /// An existing server to check against, as mysql://USER:PASSWORD@HOST:PORT; the account must be able to
    /// create databases and users.
    #[arg(long, value_name = "URL", env = "GRADER_SERVER", hide_env_values = true)]
    pub server: Option<String>,
    /// The image the docker backend starts (the offline one is mysql-course/server:offline).
    #[arg(long, value_name = "IMAGE", env = docker::IMAGE_ENV, default_value = DEFAULT_IMAGE)]
    pub image: String,
}

impl ServerArgs {
    /// The settings for the server, refused at once if `--server`'s URL is malformed
    /// or the options contradict each other.
    pub fn settings(&self) -> Result<ServerSettings> {
        if let Some(url) = &self.server {
            external::parse(url)?;
        }
        let settings = ServerSettings {
            backend: self.backend,
            server_url: self.server.clone(),
            image: self.image.clone(),
        };
        server::validate(&settings)?;
        Ok(settings)
    }
}
