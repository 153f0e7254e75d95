//! The persistent server: one that `grader server start` leaves running, so that
//! `check` and `watch` skip the server's start (a second or more on docker) and
//! reuse it while it answers.
//!
//! It lives in the state's server folder (`target/grader/server/`, or
//! `$GRADER_STATE_DIR/server/`):
//! - `server.json`, the record: backend, address, administrator account, version,
//!   start time, and the process id (local) or container name (docker). Readable by
//!   its owner only, since it holds the password.
//! - on the local backend, `grader-mysql-persistent/`: the data folder of a
//!   `mariadbd`/`mysqld` that runs in a process group of its own, on a free port of
//!   127.0.0.1;
//! - on docker, nothing but the record: the container is named
//!   `mysql-course-grader-<hash of the folder>` and labelled
//!   `org.mysql-course.grader=persistent` and `org.mysql-course.grader.state=<folder>`,
//!   and started as a testcontainers *reusable* container, so a stopped one (after
//!   the daemon restarted, say) is started again with its data and password;
//! - `lock`, held while a server starts or stops, so two graders never start two.
//!
//! To the checks a persistent server is like an external one (an address and an
//! administrator account, nothing to stop), but it keeps its backend's name.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};
use nix::fcntl::{Flock, FlockArg};
use serde::{Deserialize, Serialize};
use testcontainers::core::{IntoContainerPort as _, WaitFor};
use testcontainers::runners::SyncRunner as _;
use testcontainers::{GenericImage, ImageExt as _, ReuseDirective};

use super::{containers, docker, local, random_password, ready, Backend, BackendChoice};
use super::{Endpoint, Server, ServerSettings};
use crate::process;
use crate::shutdown;
use crate::state::{self, write_atomically};

/// The record's file name in the server folder.
pub const RECORD_FILE: &str = "server.json";
/// The local server's data folder in the server folder.
pub const LOCAL_DIR: &str = "grader-mysql-persistent";
/// The value of the grader's container label on a persistent container.
pub const PERSISTENT_OWNER: &str = "persistent";
/// The label that names a persistent container's server folder.
pub const STATE_LABEL: &str = "org.mysql-course.grader.state";
/// The start of a persistent container's name.
pub const CONTAINER_PREFIX: &str = "mysql-course-grader-";
/// The lock file in the server folder.
const LOCK_FILE: &str = "lock";
/// How long a container may take to answer its first query.
const DOCKER_PATIENCE: Duration = Duration::from_secs(180);
/// How long a connection to see whether the server answers may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// Unix sockets paths are limited to 108 bytes; the server's lives in its data folder.
const SOCKET_PATH_LIMIT: usize = 107;

/// The backends a persistent server can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A named container.
    Docker,
    /// A background `mariadbd` or `mysqld`.
    Local,
}

impl Kind {
    /// The backend the reports name.
    pub fn backend(self) -> Backend {
        match self {
            Kind::Docker => Backend::Docker,
            Kind::Local => Backend::Local,
        }
    }

    /// Whether a check that asks for `choice` may use a persistent server of this kind.
    pub fn serves(self, choice: BackendChoice) -> bool {
        match choice {
            BackendChoice::Auto => true,
            BackendChoice::Docker => self == Kind::Docker,
            BackendChoice::Local => self == Kind::Local,
            BackendChoice::External => false,
        }
    }
}

/// What `server.json` holds.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// `docker` or `local`.
    pub backend: Kind,
    /// Where it listens.
    pub host: String,
    /// Its port on `host`.
    pub port: u16,
    /// The administrator account.
    pub user: String,
    /// The administrator's password.
    pub password: String,
    /// What `SELECT VERSION()` said at start.
    pub version: String,
    /// When it started, in seconds since 1970 (UTC).
    pub started_at: u64,
    /// The server process (local).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// The data folder (local).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// The container's name (docker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// The image it runs (docker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("backend", &self.backend)
            .field("endpoint", &self.endpoint())
            .field("pid", &self.pid)
            .field("container", &self.container)
            .finish_non_exhaustive()
    }
}

impl Record {
    /// The administrator's endpoint.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: self.host.clone(),
            port: self.port,
            user: self.user.clone(),
            password: self.password.clone(),
        }
    }

    /// The record in `dir`, if there is one.
    pub fn load(dir: &Path) -> Result<Option<Record>> {
        let path = dir.join(RECORD_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()))
            }
        };
        let record = serde_json::from_str(&text).with_context(|| {
            format!(
                "the server record {} is damaged; `cargo grader server stop` clears it",
                path.display()
            )
        })?;
        Ok(Some(record))
    }

    fn save(&self, dir: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).expect("a record always serialises");
        text.push('\n');
        write_atomically(&dir.join(RECORD_FILE), text.as_bytes())
    }

    /// Whether the server answers `SELECT 1` right now.
    pub fn answers(&self) -> bool {
        let opts = OptsBuilder::from_opts(self.endpoint().opts(None))
            .tcp_connect_timeout(Some(PROBE_TIMEOUT));
        Conn::new(opts).and_then(|mut conn| conn.query_drop("SELECT 1")).is_ok()
    }
}

/// What `start` did.
#[derive(Debug, Clone)]
pub enum Started {
    /// A persistent server was up already.
    AlreadyUp(Record),
    /// A server was started (or a stopped container started again).
    Started(Record),
}

/// Starts a persistent server in `dir` as `settings` ask (auto: docker if its daemon
/// answers, else local), unless one is up already.
pub fn start(dir: &Path, settings: &ServerSettings) -> Result<Started> {
    let kind = choose_kind(settings)?;
    create_private_dir(dir)?;
    let _lock = lock(dir)?;
    let existing = Record::load(dir).ok().flatten();
    if let Some(record) = existing.as_ref().filter(|record| record.answers()) {
        if !record.backend.serves(settings.backend) {
            bail!(
                "a persistent {} server is up already; stop it first (cargo grader server stop) to start a {} one",
                record.backend.backend(),
                kind.backend()
            );
        }
        return Ok(Started::AlreadyUp(record.clone()));
    }
    let record = match kind {
        Kind::Local => {
            if existing.as_ref().is_some_and(|record| record.backend == Kind::Docker) {
                // It does not answer, and a local one takes its place: no orphan container.
                let _ = containers::remove(&container_name(dir));
            }
            clear_local(dir)?;
            start_local(dir)?
        }
        Kind::Docker => {
            let same = existing.filter(|record| record.backend == Kind::Docker);
            if same.is_none() {
                clear_local(dir)?;
            }
            let image =
                same.as_ref().and_then(|r| r.image.clone()).unwrap_or(settings.image.clone());
            start_docker(dir, &image, same.as_ref())?
        }
    };
    record.save(dir)?;
    Ok(Started::Started(record))
}

/// The kind of server `settings` ask for.
fn choose_kind(settings: &ServerSettings) -> Result<Kind> {
    if settings.server_url.is_some() || settings.backend == BackendChoice::External {
        bail!(
            "an external server runs already and needs no starting: pass --server mysql://USER:PASSWORD@HOST:PORT \
             (or set GRADER_SERVER) to `check` and `watch`"
        );
    }
    Ok(match settings.backend {
        BackendChoice::Docker => Kind::Docker,
        BackendChoice::Local => Kind::Local,
        _ if docker::daemon_answers() => Kind::Docker,
        _ if local::server_binary().is_some() => Kind::Local,
        _ => bail!(
            "no server to start: Docker does not answer and no mysqld or mariadbd is installed. Start Docker \
             (or set DOCKER_HOST), or install a server (sudo apt-get install mariadb-server)"
        ),
    })
}

/// What `stop` removed, in words.
pub type Removed = Vec<String>;

/// Stops the persistent server of `dir` and removes its process, container, data
/// folder and record, whatever state they are in.
pub fn stop(dir: &Path) -> Result<Removed> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let lock = lock(dir)?;
    let record = Record::load(dir).ok().flatten();
    let mut removed = stop_local_processes(dir)?;
    let data = dir.join(LOCAL_DIR);
    if data.exists() {
        fs::remove_dir_all(&data).with_context(|| {
            format!("cannot remove the server's data folder {}", data.display())
        })?;
        removed.push(format!("its data folder {}", data.display()));
    }
    let name = container_name(dir);
    let recorded_container = record.as_ref().is_some_and(|r| r.backend == Kind::Docker);
    if recorded_container || docker::daemon_answers() {
        match containers::remove(&name) {
            Ok(true) => removed.push(format!("the container {name}")),
            Ok(false) => {}
            Err(error) if recorded_container => {
                return Err(error.context(
                    "the persistent server is a container, and Docker must answer to remove it; start Docker and try again",
                ))
            }
            Err(_) => {}
        }
    }
    let record_path = dir.join(RECORD_FILE);
    if record_path.exists() {
        fs::remove_file(&record_path)
            .with_context(|| format!("cannot remove {}", record_path.display()))?;
        removed.push(format!("its record {}", record_path.display()));
    }
    drop(lock);
    let _ = fs::remove_file(dir.join(LOCK_FILE));
    let _ = fs::remove_dir(dir);
    Ok(removed)
}

/// Whether a grader is starting or stopping the server of `dir` right now.
pub fn busy(dir: &Path) -> bool {
    let Ok(file) = OpenOptions::new().write(true).open(dir.join(LOCK_FILE)) else {
        return false;
    };
    Flock::lock(file, FlockArg::LockExclusiveNonblock).is_err()
}

/// A server for `check` or `watch`: the persistent one if it is up and fits
/// `settings`, started again if it stopped (`notice` is told), else a throwaway one
/// as `settings` ask.
pub fn server_for(
    settings: &ServerSettings,
    dir: &Path,
    notice: &(dyn Fn(String) + Sync),
) -> Result<Server> {
    let started = Instant::now();
    if settings.server_url.is_some() || settings.backend == BackendChoice::External {
        return Server::start(settings);
    }
    let record = match Record::load(dir) {
        Ok(Some(record)) if record.backend.serves(settings.backend) => record,
        Ok(_) => return Server::start(settings),
        Err(error) => {
            notice(format!("{error:#}; using a throwaway server meanwhile"));
            return Server::start(settings);
        }
    };
    if let Ok(server) = attach(&record, started) {
        return Ok(server);
    }
    let again = ServerSettings {
        backend: match record.backend {
            Kind::Docker => BackendChoice::Docker,
            Kind::Local => BackendChoice::Local,
        },
        server_url: None,
        image: record.image.clone().unwrap_or_else(|| settings.image.clone()),
    };
    let record = match start(dir, &again) {
        Ok(Started::Started(record) | Started::AlreadyUp(record)) => record,
        Err(error) => {
            return Err(error.context(
                "the persistent server stopped answering and could not be started again; \
                 `cargo grader server stop` clears it, `cargo grader doctor` looks for the cause",
            ))
        }
    };
    notice(format!(
        "the persistent {} server had stopped answering; started it again in {:.1} s",
        record.backend.backend(),
        started.elapsed().as_secs_f64()
    ));
    attach(&record, started)
}

/// The persistent server of `record` as a [`Server`]: nothing to stop when dropped.
pub fn attach(record: &Record, started: Instant) -> Result<Server> {
    let admin = record.endpoint();
    let probe = OptsBuilder::from_opts(admin.opts(None)).tcp_connect_timeout(Some(PROBE_TIMEOUT));
    Conn::new(probe).with_context(|| {
        format!("the persistent server at {}:{} does not answer", record.host, record.port)
    })?;
    Server::with_admin(record.backend.backend(), admin, record.image.clone(), started, None)
}

/// Drops every database and account whose name starts with `gr{label}_` (what the
/// checks of exercise `label` create) on the persistent server of `dir`, if it is
/// up. Returns how many were dropped, or `None` if no persistent server answers.
pub fn drop_sandboxes(dir: &Path, label: &str) -> Result<Option<usize>> {
    let Some(record) = Record::load(dir).ok().flatten().filter(Record::answers) else {
        return Ok(None);
    };
    let mut conn = Conn::new(record.endpoint().opts(None))
        .context("cannot connect to the persistent server")?;
    let pattern = format!("gr{label}\\_%");
    let databases: Vec<String> = conn.exec(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
        (&pattern,),
    )?;
    let accounts: Vec<(String, String)> =
        conn.exec("SELECT User, Host FROM mysql.user WHERE User LIKE ?", (&pattern,))?;
    for database in &databases {
        conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))?;
    }
    for (user, host) in &accounts {
        conn.query_drop(format!("DROP USER IF EXISTS '{user}'@'{host}'"))?;
    }
    Ok(Some(databases.len() + accounts.len()))
}

/// The container name of the persistent server of `dir`: stable for a folder, and
/// different for two folders (two checkouts, or tests side by side).
pub fn container_name(dir: &Path) -> String {
    let hash = dir.to_string_lossy().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{CONTAINER_PREFIX}{:08x}", hash & 0xffff_ffff)
}

fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the server folder {}", dir.display()))?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", dir.display()))
}

fn lock(dir: &Path) -> Result<Flock<File>> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    Flock::lock(file, FlockArg::LockExclusive)
        .map_err(|(_, errno)| anyhow::anyhow!("cannot lock {}: {errno}", path.display()))
}

/// Kills every server process that uses the local data folder of `dir`.
fn stop_local_processes(dir: &Path) -> Result<Removed> {
    let data = dir.join(LOCAL_DIR);
    let mut removed = Vec::new();
    for process in process::processes_using(&data) {
        process::kill_and_wait(process.pid)?;
        removed.push(format!("the local server (process {})", process.pid));
    }
    Ok(removed)
}

/// Removes what is left of a local server in `dir` that no longer answers.
fn clear_local(dir: &Path) -> Result<()> {
    stop_local_processes(dir)?;
    let data = dir.join(LOCAL_DIR);
    if data.exists() {
        fs::remove_dir_all(&data)
            .with_context(|| format!("cannot remove the old data folder {}", data.display()))?;
    }
    Ok(())
}

fn start_local(dir: &Path) -> Result<Record> {
    let binary = local::server_binary().context(
        "no mariadbd or mysqld found on PATH or in /usr/sbin: install one (sudo apt-get install mariadb-server) \
         or name it with GRADER_MYSQLD=/path/to/mysqld",
    )?;
    let data = dir.join(LOCAL_DIR);
    let socket = data.join("mysqld.sock");
    if socket.as_os_str().len() > SOCKET_PATH_LIMIT {
        bail!(
            "the server folder {} is too deep for the server's socket ({} bytes, at most {SOCKET_PATH_LIMIT}); \
             set {}=/tmp/grader-state (or another short path)",
            dir.display(),
            socket.as_os_str().len(),
            state::STATE_DIR_ENV
        );
    }
    fs::create_dir_all(&data)
        .with_context(|| format!("cannot create the data folder {}", data.display()))?;
    let process_id: Arc<Mutex<Option<u32>>> = Arc::default();
    let cleanup = {
        let (data, process_id) = (data.clone(), process_id.clone());
        shutdown::on_interrupt(move || {
            if let Some(pid) = *process_id.lock().unwrap_or_else(PoisonError::into_inner) {
                let _ = process::kill_and_wait(pid);
            }
            let _ = fs::remove_dir_all(&data);
        })
    };
    let launched = launch_local(&binary, &data, &process_id);
    if launched.is_err() {
        let _ = fs::remove_dir_all(&data);
    }
    drop(cleanup);
    launched
}

fn launch_local(binary: &Path, data: &Path, process_id: &Mutex<Option<u32>>) -> Result<Record> {
    let flavor = local::flavor_of(binary)?;
    local::initialise(binary, flavor, data)?;
    let password = random_password();
    fs::write(data.join("init.sql"), local::init_sql(&password))
        .context("cannot write the server's start-up script")?;
    let mut last_error = None;
    for _ in 0..local::PORT_ATTEMPTS {
        let port = local::free_port()?;
        let admin = Endpoint {
            host: "127.0.0.1".into(),
            port,
            user: "grader".into(),
            password: password.clone(),
        };
        let mut process = local::spawn_server(binary, flavor, data, port, "127.0.0.1")?;
        *process_id.lock().unwrap_or_else(PoisonError::into_inner) = Some(process.id());
        let log = data.join("error.log");
        let waited =
            ready::wait_until_ready(&admin, local::PATIENCE, || match process.try_wait() {
                Ok(Some(status)) => {
                    bail!(
                        "{} stopped ({status}) while starting: {}",
                        binary.display(),
                        local::log_tail(&log)
                    )
                }
                _ => Ok(()),
            });
        match waited {
            Ok(()) => {
                let version = query_version(&admin)?;
                return Ok(Record {
                    backend: Kind::Local,
                    host: admin.host,
                    port,
                    user: admin.user,
                    password,
                    version,
                    started_at: state::now(),
                    pid: Some(process.id()),
                    data_dir: Some(data.to_path_buf()),
                    container: None,
                    image: None,
                });
            }
            Err(error) => {
                let _ = process.kill();
                let _ = process.wait();
                let port_taken =
                    fs::read_to_string(&log).is_ok_and(|text| text.contains("already in use"));
                last_error = Some(error);
                if !port_taken {
                    break;
                }
                let _ = fs::remove_file(&log);
            }
        }
    }
    Err(last_error.expect("at least one attempt was made"))
}

fn start_docker(dir: &Path, image: &str, existing: Option<&Record>) -> Result<Record> {
    let name = container_name(dir);
    if existing.is_none() {
        // A container without a record is a leftover: its password is lost.
        let _ = containers::remove(&name);
    }
    let password = existing.map_or_else(random_password, |record| record.password.clone());
    let (image_name, tag) = docker::split_image(image);
    let request = GenericImage::new(image_name, tag)
        .with_exposed_port(3306.tcp())
        .with_wait_for(WaitFor::Nothing)
        .with_env_var("MYSQL_ROOT_PASSWORD", &password)
        .with_label(docker::LABEL, PERSISTENT_OWNER)
        .with_label(STATE_LABEL, dir.to_string_lossy())
        .with_container_name(&name)
        .with_reuse(ReuseDirective::Always);
    let cleanup = {
        let name = name.clone();
        shutdown::on_interrupt(move || {
            let _ = containers::remove(&name);
        })
    };
    let started = launch_docker(request, image, &name, &password);
    if started.is_err() {
        let _ = containers::remove(&name);
    }
    drop(cleanup);
    started
}

fn launch_docker(
    request: testcontainers::ContainerRequest<GenericImage>,
    image: &str,
    name: &str,
    password: &str,
) -> Result<Record> {
    let container = request.start().map_err(|error| {
        anyhow::anyhow!(
            "cannot start the container {name} of {image} ({error}); without a registry, build the offline image \
             (sudo scripts/build-offline-image.sh) and pass --image {}",
            docker::OFFLINE_IMAGE
        )
    })?;
    let host = match container.get_host()?.to_string() {
        host if host == "localhost" => "127.0.0.1".to_string(),
        host => host,
    };
    let port = container.get_host_port_ipv4(3306)?;
    let admin = Endpoint { host, port, user: "root".into(), password: password.into() };
    ready::wait_until_ready(&admin, DOCKER_PATIENCE, || {
        if container.is_running().unwrap_or(true) {
            return Ok(());
        }
        let logs = container.stderr_to_vec().unwrap_or_default();
        let logs = String::from_utf8_lossy(&logs);
        let last = logs.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no log");
        bail!("the container {name} stopped while starting; its last words: {last}")
    })?;
    let version = query_version(&admin)?;
    Ok(Record {
        backend: Kind::Docker,
        host: admin.host,
        port,
        user: admin.user,
        password: admin.password,
        version,
        started_at: state::now(),
        pid: None,
        data_dir: None,
        container: Some(name.to_string()),
        image: Some(image.to_string()),
    })
}

fn query_version(admin: &Endpoint) -> Result<String> {
    let mut conn = Conn::new(admin.opts(None)).context("cannot connect to the new server")?;
    Ok(conn.query_first("SELECT VERSION()")?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            backend: Kind::Local,
            host: "127.0.0.1".into(),
            port: 1,
            user: "grader".into(),
            password: "secret".into(),
            version: "10.11".into(),
            started_at: 5,
            pid: Some(42),
            data_dir: Some("/x/grader-mysql-persistent".into()),
            container: None,
            image: None,
        }
    }

    #[test]
    fn the_record_reads_back_and_hides_its_password_from_debug() {
        let dir = tempfile::tempdir().unwrap();
        record().save(dir.path()).unwrap();
        assert_eq!(Record::load(dir.path()).unwrap(), Some(record()));
        assert!(!format!("{:?}", record()).contains("secret"));
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(dir.path().join(RECORD_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only its owner may read the record");
        fs::write(dir.path().join(RECORD_FILE), "{").unwrap();
        let error = format!("{:#}", Record::load(dir.path()).unwrap_err());
        assert!(error.contains("server stop"), "{error}");
        assert_eq!(Record::load(&dir.path().join("none")).unwrap(), None);
    }

    #[test]
    fn a_persistent_server_serves_auto_and_its_own_backend() {
        assert!(Kind::Local.serves(BackendChoice::Auto));
        assert!(Kind::Local.serves(BackendChoice::Local));
        assert!(!Kind::Local.serves(BackendChoice::Docker));
        assert!(!Kind::Docker.serves(BackendChoice::External));
    }

    #[test]
    fn container_names_are_stable_per_folder() {
        let a = container_name(Path::new("/home/learner/course-a/target/grader/server"));
        assert_eq!(a, container_name(Path::new("/home/learner/course-a/target/grader/server")));
        assert_ne!(a, container_name(Path::new("/home/learner/course-b/target/grader/server")));
        assert!(a.starts_with(CONTAINER_PREFIX) && a.len() == CONTAINER_PREFIX.len() + 8, "{a}");
    }

    #[test]
    fn nothing_to_stop_is_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let server_dir = dir.path().join("server");
        assert_eq!(stop(&server_dir).unwrap(), Vec::<String>::new());
        assert!(!busy(&server_dir));
    }
}
