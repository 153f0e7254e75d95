//! The options `check` and `watch` share: which exercises on which track, or a
//! command line in an exercise's place, where the server comes from, the seed and the
//! time limit. (Each command has its own `--format`: check's has more than watch's.)

use std::path::Path;

use anyhow::Result;

use crate::config::{self, Config, Source};
use crate::plan::Request;
use crate::server::{self, docker, external, BackendChoice, ServerSettings};

/// What to check, against which server, and how to report.
#[derive(Debug, clap::Args)]
pub struct RunOptions {
    /// Exercises, by number (02), name (02_show_databases) or slug (show_databases); all if none.
    #[arg(value_name = "EXERCISE")]
    pub exercises: Vec<String>,
    #[command(flatten)]
    pub track: TrackArg,
    /// Run this command line in the one exercise's place, under the same checks (any language:
    /// "python3 my02.py"); it gets DATABASE_URL, MYSQL_HOST, MYSQL_PORT, MYSQL_USER,
    /// MYSQL_PASSWORD and MYSQL_DATABASE, and the check's arguments after its own.
    #[arg(long = "cmd", value_name = "COMMAND")]
    pub command: Option<String>,
    #[command(flatten)]
    pub server: ServerArgs,
    /// Draw the checks' random data from this seed, to replay an earlier run (else a new seed each run).
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Stop each run of a program after this many seconds, instead of the exercise's own limit.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Run learners' programs isolated: they cannot read the grader's files (server.json, the
    /// local server's folder), see its processes, or reach the network beyond the server's
    /// recorder (root: as user nobody; otherwise in user namespaces).
    #[arg(long)]
    pub sandbox: bool,
    /// Another package of the workspace in an exercise's place (the kit's own tests use it).
    #[arg(long = "program", value_name = "EXERCISE=PACKAGE", hide = true)]
    pub programs: Vec<String>,
}

impl RunOptions {
    /// The plan these options ask for, of the learner's crates or the solutions, in
    /// the workspace at `root`.
    pub fn request<'a>(&'a self, solutions: bool, root: &'a Path) -> Request<'a> {
        Request {
            exercises: &self.exercises,
            solutions,
            stand_ins: &self.programs,
            seed: self.seed,
            timeout: self.timeout,
            command: self.command.as_deref(),
            root: Some(root),
            sandbox: self.sandbox,
        }
    }
}

/// The environment variable that names an external server for every run; an explicit
/// `--backend docker|local` wins over it.
pub const SERVER_ENV: &str = "GRADER_SERVER";

/// Which track: the Rust exercises, or another language's (list, hint and reset
/// take it too).
#[derive(Debug, clap::Args)]
pub struct TrackArg {
    /// The track: rust (exercises/) or python (tracks/python/, after scripts/setup-python.sh);
    /// each keeps its own progress.
    #[arg(long, value_name = "TRACK", env = "GRADER_TRACK")]
    pub track: Option<String>,
}

impl TrackArg {
    /// The track's name, if one was given.
    pub fn name(&self) -> Option<&str> {
        self.track.as_deref()
    }
}

/// Where the server comes from.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Where the MySQL server comes from [default: the course's config, else auto] (a persistent
    /// server is used whenever it is up and fits).
    #[arg(long, value_enum, env = config::BACKEND_ENV)]
    pub backend: Option<BackendChoice>,
    /// An existing server to check against, as mysql://USER:PASSWORD@HOST:PORT; the account must be able to
    /// create databases and users.
    #[arg(long, value_name = "URL", env = SERVER_ENV, hide_env_values = true)]
    pub server: Option<String>,
    /// The image the docker backend starts [default: the course's config, else mysql:8.4] (the
    /// offline one is mysql-course/server:offline).
    #[arg(long, value_name = "IMAGE", env = docker::IMAGE_ENV)]
    pub image: Option<String>,
}

impl ServerArgs {
    /// The settings for the server: these options, else the course's config at
    /// `config_path`, else the defaults. Refused at once if `--server`'s URL is
    /// malformed or the options contradict each other.
    pub fn settings(&self, config_path: &Path) -> Result<ServerSettings> {
        let config = Config::load(config_path)?;
        let image = config.image(self.image.as_deref(), config_path);
        let mut backend = config.backend(self.backend, config_path);
        let server_url = self.server.clone().filter(|url| {
            // `--backend local` (or docker) typed for this run wins over a server that
            // the environment names for every run.
            let from_env = std::env::var(SERVER_ENV).is_ok_and(|env| env == *url);
            let concrete = matches!(backend.value, BackendChoice::Docker | BackendChoice::Local);
            !(from_env && concrete && backend.source == Source::Flag("--backend"))
        });
        if let Some(url) = &server_url {
            external::parse(url)?;
        }
        if server_url.is_some() && matches!(backend.source, Source::File(_)) {
            // A URL on the command line names the server; the file's choice is for other runs.
            backend.value = BackendChoice::Auto;
        }
        let settings = ServerSettings {
            backend: backend.value,
            server_url,
            image: image.value,
            image_chosen: image.source.is_chosen(),
        };
        server::validate(&settings)?;
        Ok(settings)
    }
}
