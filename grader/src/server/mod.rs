//! The MySQL server the checks run against, started by one of three backends:
//! a Docker container ([`docker`]), a throwaway local process ([`local`]), or a
//! server the user names ([`external`]).

pub mod choice;
pub mod containers;
pub mod docker;
pub mod external;
pub mod local;
pub mod persistent;
mod ready;
pub mod template;

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use mysql::prelude::Queryable as _;
use mysql::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts, PooledConn};

/// The image the docker backend starts when none is named.
pub const DEFAULT_IMAGE: &str = "mysql:8.4";

/// What every server the grader starts runs without: the binary log, the performance
/// schema and the X protocol, which no check uses and on which Oracle MySQL (where
/// all three are on by default, unlike MariaDB) spends a second of its start and a
/// sync of the binary log on every commit. `loose-`: a server without the option
/// passes over it. None of them touches networking or accounts.
pub(crate) const LEAN_SERVER_ARGS: [&str; 3] =
    ["--loose-skip-log-bin", "--performance-schema=OFF", "--loose-mysqlx=OFF"];

/// How long one attempt to open a TCP connection may take.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Which backend to use, as the user asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendChoice {
    /// `external` if --server is given, else the persistent server if one is up (`grader server
    /// start`), else docker if the image is here or can be pulled, else the offline image if it
    /// is here, else local.
    Auto,
    /// A container from --image, started and removed by the grader.
    Docker,
    /// A throwaway mysqld/mariadbd from this machine, in a temporary folder.
    Local,
    /// The server named by --server.
    External,
}

/// The backend a server was started with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// A Docker container.
    Docker,
    /// A local server process.
    Local,
    /// A server the user runs.
    External,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Docker => "docker",
            Backend::Local => "local",
            Backend::External => "external",
        })
    }
}

/// What the user asked for: the backend and its settings.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// The backend to use.
    pub backend: BackendChoice,
    /// `mysql://USER:PASSWORD@HOST:PORT` of an external server.
    pub server_url: Option<String>,
    /// The image for the docker backend.
    pub image: String,
    /// Whether someone chose the image (a flag, the environment, the config file): if
    /// not, `auto` may take another way when it cannot be had.
    pub image_chosen: bool,
}

/// What a server's start tells the person waiting for it.
pub trait Narrator: Sync {
    /// The step the start is in, for a spinner ("Pulling mysql:8.4 (312 MB of 560 MB)…").
    fn step(&self, text: String);
    /// A line that stays on screen, such as which server is used instead of another.
    fn note(&self, text: String);
}

/// A narrator for when no spinner is drawn: notes go to stderr, steps nowhere.
#[derive(Debug, Clone, Copy)]
pub struct Notices;

impl Narrator for Notices {
    fn step(&self, _text: String) {}

    fn note(&self, text: String) {
        crate::output::notice(text);
    }
}

/// Where a server listens and which account to use there.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Host name or address.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// Account name.
    pub user: String,
    /// Account password.
    pub password: String,
    /// The local address to connect from, if not the one the system picks: a
    /// sandbox's account is for one host, and its connections must come from there.
    pub source: Option<IpAddr>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}:{}", self.user, self.host, self.port)
    }
}

impl Endpoint {
    /// Connection options for `database` (or none), over TCP only: `prefer_socket` is
    /// off, or the `mysql` crate would switch to whatever Unix socket the server
    /// reports, which may belong to another server on this machine.
    pub fn opts(&self, database: Option<&str>) -> Opts {
        OptsBuilder::new()
            .ip_or_hostname(Some(&self.host))
            .tcp_port(self.port)
            .user(Some(&self.user))
            .pass(Some(&self.password))
            .db_name(database)
            .prefer_socket(false)
            .tcp_connect_timeout(Some(CONNECT_TIMEOUT))
            .bind_address(self.source.map(|ip| SocketAddr::new(ip, 0)))
            .into()
    }

    /// The same as a URL, for `DATABASE_URL`: plain, with no driver's own options,
    /// so that any client reads it (SQLAlchemy refuses `prefer_socket`); the Rust
    /// scaffolds add `prefer_socket=false` themselves. User and password must be
    /// URL-safe (the grader's generated ones are).
    pub fn url(&self, database: &str) -> String {
        let Endpoint { host, port, user, password, .. } = self;
        format!("mysql://{user}:{password}@{host}:{port}/{database}")
    }

    /// The same endpoint with another account.
    pub fn with_account(&self, user: &str, password: &str) -> Endpoint {
        Endpoint { user: user.into(), password: password.into(), ..self.clone() }
    }
}

/// What keeps a started server alive; dropping it stops and removes the server.
#[derive(Default)]
pub enum KeepAlive {
    /// Nothing to stop: an external server, or the persistent one.
    #[default]
    Nothing,
    /// A throwaway container.
    Docker(Box<docker::DockerServer>),
    /// A throwaway local server process and its folder.
    Local(Box<local::LocalServer>),
}

/// A running server, ready for queries.
pub struct Server {
    /// The backend it was started with.
    pub backend: Backend,
    /// The administrator account, able to create databases and users.
    pub admin: Endpoint,
    /// What `SELECT VERSION()` returned.
    pub version: String,
    /// How long it took from asking for a server to its first successful query.
    pub start_time: Duration,
    /// The image the server runs from, on the docker backend (checks that start more
    /// containers, like the two-host lab, use the same one).
    pub image: Option<String>,
    pool: Pool,
    _keep_alive: KeepAlive,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("backend", &self.backend)
            .field("admin", &self.admin)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Starts (or reaches) a server as `settings` ask, and waits until it answers
    /// queries; `narrator` hears of an image pull and of another way taken.
    pub fn start(settings: &ServerSettings, narrator: &dyn Narrator) -> Result<Server> {
        let started = Instant::now();
        let (backend, admin, keep_alive, image) = match choice::choose(settings, narrator)? {
            choice::Choice::External(url) => {
                (Backend::External, external::connect(&url)?, KeepAlive::Nothing, None)
            }
            choice::Choice::Docker(image) => {
                narrator.step("Starting a MySQL server…".into());
                let server = docker::DockerServer::start(&image)?;
                let admin = server.admin.clone();
                (Backend::Docker, admin, KeepAlive::Docker(Box::new(server)), Some(image))
            }
            choice::Choice::Local => {
                narrator.step("Starting a MySQL server…".into());
                let server = local::LocalServer::start()?;
                (Backend::Local, server.admin.clone(), KeepAlive::Local(Box::new(server)), None)
            }
        };
        Server::with_admin(backend, admin, image, started, keep_alive)
    }

    /// A server that answers at `admin`: opens the administrator's pool and asks the
    /// version. `started` is when the grader began asking for it.
    pub(crate) fn with_admin(
        backend: Backend,
        admin: Endpoint,
        image: Option<String>,
        started: Instant,
        keep_alive: KeepAlive,
    ) -> Result<Server> {
        let pool_opts =
            PoolOpts::new().with_constraints(PoolConstraints::new(0, 16).expect("0 <= 16"));
        let pool = Pool::new(OptsBuilder::from_opts(admin.opts(None)).pool_opts(pool_opts))?;
        let version: String = pool.get_conn()?.query_first("SELECT VERSION()")?.unwrap_or_default();
        Ok(Server {
            backend,
            admin,
            version,
            start_time: started.elapsed(),
            image,
            pool,
            _keep_alive: keep_alive,
        })
    }

    /// A connection with the administrator account.
    pub fn admin_conn(&self) -> Result<PooledConn> {
        Ok(self.pool.get_conn()?)
    }
}

/// A password of 24 letters and digits, safe in SQL and in URLs.
pub(crate) fn random_password() -> String {
    let mut rng = fastrand::Rng::new();
    (0..24).map(|_| rng.alphanumeric()).collect()
}

/// Refuses settings that contradict each other (a backend that needs `--server`
/// without it, or `--server` beside another backend), before anything slow starts.
pub fn validate(settings: &ServerSettings) -> Result<()> {
    let has_url = settings.server_url.is_some();
    match settings.backend {
        BackendChoice::External if !has_url => {
            bail!("--backend external needs --server mysql://USER:PASSWORD@HOST:PORT")
        }
        BackendChoice::Docker | BackendChoice::Local if has_url => {
            bail!(
                "--server names an external server; leave it out to use --backend {}",
                backend_name(settings.backend)
            )
        }
        _ => Ok(()),
    }
}

/// The backend as the command line spells it.
pub(crate) fn backend_name(choice: BackendChoice) -> &'static str {
    match choice {
        BackendChoice::Auto => "auto",
        BackendChoice::Docker => "docker",
        BackendChoice::Local => "local",
        BackendChoice::External => "external",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Endpoint {
        Endpoint {
            host: "127.0.0.1".into(),
            port: 3307,
            user: "u1".into(),
            password: "p1".into(),
            source: None,
        }
    }

    #[test]
    fn urls_are_plain_and_own_connections_never_prefer_the_socket() {
        let url = endpoint().url("db1");
        assert_eq!(url, "mysql://u1:p1@127.0.0.1:3307/db1");
        let opts = Opts::from_url(&url).unwrap();
        assert!(!endpoint().opts(None).get_prefer_socket());
        assert_eq!(opts.get_db_name(), Some("db1"));
    }

    #[test]
    fn passwords_are_long_and_plain() {
        let password = random_password();
        assert_eq!(password.len(), 24);
        assert!(password.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(password, random_password());
    }

    #[test]
    fn the_password_stays_out_of_debug_output() {
        assert_eq!(format!("{:?}", endpoint()), "u1@127.0.0.1:3307");
    }
}
