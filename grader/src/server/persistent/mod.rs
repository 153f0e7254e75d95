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

mod record;

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::Conn;
use nix::fcntl::{Flock, FlockArg};
use testcontainers::runners::SyncRunner as _;
use testcontainers::{ImageExt as _, ReuseDirective};

pub use self::record::{Kind, Record, Runs, RECORD_FILE};
use super::choice::{self, Choice};
use super::local::{self, Launched, ProcessId};
use super::{backend_name, containers, docker, random_password, ready, BackendChoice};
use super::{Endpoint, KeepAlive, Narrator, Server, ServerSettings};
use crate::fnv::fnv1a;
use crate::process;
use crate::state;

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
/// Unix sockets paths are limited to 108 bytes; the server's lives in its data folder.
const SOCKET_PATH_LIMIT: usize = 107;

/// What `start` did.
#[derive(Debug, Clone)]
pub enum Started {
    /// A persistent server was up already.
    AlreadyUp(Record),
    /// A server was started (or a stopped container started again).
    Started(Record),
}

/// Starts a persistent server in `dir` as `settings` ask (auto: as [`choice::choose`]
/// decides), unless one is up already; `narrator` hears of an image pull.
pub fn start(dir: &Path, settings: &ServerSettings, narrator: &dyn Narrator) -> Result<Started> {
    refuse_external(settings)?;
    create_private_dir(dir)?;
    let _lock = lock(dir)?;
    let existing = Record::load(dir).ok().flatten();
    if let Some(record) = existing.as_ref().filter(|record| record.answers()) {
        if !record.kind().serves(settings.backend) {
            bail!(
                "a persistent {} server is up already; stop it first (cargo grader server stop) to start a {} one",
                record.kind().backend(),
                backend_name(settings.backend)
            );
        }
        return Ok(Started::AlreadyUp(record.clone()));
    }
    // A stopped container is started again from its own image, with its data.
    let same_container = existing
        .as_ref()
        .filter(|record| record.kind() == Kind::Docker && record.kind().serves(settings.backend));
    let choice = match same_container.and_then(Record::image) {
        Some(image) => Choice::Docker(image.to_string()),
        None => choice::choose(settings, narrator)?,
    };
    narrator.step("Starting a persistent MySQL server…".into());
    let record = match choice {
        Choice::Docker(image) => {
            if same_container.is_none() {
                clear_local(dir)?;
            }
            start_docker(dir, &image, same_container)?
        }
        Choice::Local | Choice::External(_) => {
            if existing.as_ref().is_some_and(|record| record.kind() == Kind::Docker) {
                // It does not answer, and a local one takes its place: no orphan container.
                let _ = containers::remove(&container_name(dir));
            }
            clear_local(dir)?;
            start_local(dir)?
        }
    };
    record.save(dir)?;
    Ok(Started::Started(record))
}

/// An external server needs no starting.
fn refuse_external(settings: &ServerSettings) -> Result<()> {
    if settings.server_url.is_some() || settings.backend == BackendChoice::External {
        bail!(
            "an external server runs already and needs no starting: pass --server mysql://USER:PASSWORD@HOST:PORT \
             (or set GRADER_SERVER) to `check` and `watch`"
        );
    }
    Ok(())
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
    let recorded_container = record.as_ref().is_some_and(|r| r.kind() == Kind::Docker);
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
/// `settings`, started again if it stopped (`narrator` is told), else a throwaway one
/// as `settings` ask.
pub fn server_for(
    settings: &ServerSettings,
    dir: &Path,
    narrator: &dyn Narrator,
) -> Result<Server> {
    let started = Instant::now();
    if settings.server_url.is_some() || settings.backend == BackendChoice::External {
        return Server::start(settings, narrator);
    }
    let record = match Record::load(dir) {
        Ok(Some(record)) if record.kind().serves(settings.backend) => record,
        Ok(_) => return Server::start(settings, narrator),
        Err(error) => {
            narrator.note(format!("{error:#}; using a throwaway server meanwhile"));
            return Server::start(settings, narrator);
        }
    };
    if let Ok(server) = attach(&record, started) {
        return Ok(server);
    }
    let again = ServerSettings {
        backend: match record.kind() {
            Kind::Docker => BackendChoice::Docker,
            Kind::Local => BackendChoice::Local,
        },
        server_url: None,
        image: record.image().unwrap_or(&settings.image).to_string(),
        image_chosen: true,
    };
    let record = match start(dir, &again, narrator) {
        Ok(Started::Started(record) | Started::AlreadyUp(record)) => record,
        Err(error) => {
            return Err(error.context(
                "the persistent server stopped answering and could not be started again; \
                 `cargo grader server stop` clears it, `cargo grader doctor` looks for the cause",
            ))
        }
    };
    narrator.note(format!(
        "the persistent {} server had stopped answering; started it again in {:.1} s",
        record.kind().backend(),
        started.elapsed().as_secs_f64()
    ));
    attach(&record, started)
}

/// The persistent server of `record` as a [`Server`]: nothing to stop when dropped.
pub fn attach(record: &Record, started: Instant) -> Result<Server> {
    Conn::new(record.probe_opts()).with_context(|| {
        format!("the persistent server at {}:{} does not answer", record.host, record.port)
    })?;
    let image = record.image().map(String::from);
    Server::with_admin(
        record.kind().backend(),
        record.endpoint(),
        image,
        started,
        KeepAlive::Nothing,
    )
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
    let hash = fnv1a(dir.to_string_lossy().as_bytes());
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
    let binary = local::find_binary()?;
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
    let process_id = ProcessId::default();
    let cleanup = local::kill_and_remove_on_interrupt(&data, &process_id);
    let launched = local::launch(&binary, &data, "127.0.0.1", "127.0.0.1", &process_id).and_then(
        |Launched { process, admin }| {
            let version = query_version(&admin)?;
            let runs = Runs::Local { pid: process.id(), data_dir: data.clone() };
            Ok(new_record(admin, version, runs))
        },
    );
    if launched.is_err() {
        let _ = fs::remove_dir_all(&data);
    }
    // From here on the server outlives the grader: an interrupt no longer removes it.
    drop(cleanup);
    launched
}

fn start_docker(dir: &Path, image: &str, existing: Option<&Record>) -> Result<Record> {
    let name = container_name(dir);
    if existing.is_none() {
        // A container without a record is a leftover: its password is lost.
        let _ = containers::remove(&name);
    }
    let password = existing.map_or_else(random_password, |record| record.password.clone());
    let cleanup = {
        let name = name.clone();
        crate::shutdown::on_interrupt(move || {
            let _ = containers::remove(&name);
        })
    };
    let started = launch_docker(dir, image, &name, &password);
    if started.is_err() {
        let _ = containers::remove(&name);
    }
    drop(cleanup);
    started
}

fn launch_docker(dir: &Path, image: &str, name: &str, password: &str) -> Result<Record> {
    let container = docker::request(image, password, PERSISTENT_OWNER)
        .with_label(STATE_LABEL, dir.to_string_lossy())
        .with_container_name(name)
        .with_reuse(ReuseDirective::Always)
        .start()
        .map_err(|error| {
            docker::cannot_start(&format!("the container {name} of {image}"), &error)
        })?;
    let admin = docker::root_endpoint(&container, password)?;
    ready::wait_until_ready(&admin, docker::PATIENCE, || docker::still_running(&container, name))?;
    let version = query_version(&admin)?;
    let runs = Runs::Docker { container: name.to_string(), image: image.to_string() };
    Ok(new_record(admin, version, runs))
}

/// The record of a server that has just started at `admin`.
fn new_record(admin: Endpoint, version: String, runs: Runs) -> Record {
    let Endpoint { host, port, user, password, .. } = admin;
    Record { host, port, user, password, version, started_at: state::now(), runs }
}

fn query_version(admin: &Endpoint) -> Result<String> {
    let mut conn = Conn::new(admin.opts(None)).context("cannot connect to the new server")?;
    Ok(conn.query_first("SELECT VERSION()")?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

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

    #[test]
    fn an_external_server_is_not_started() {
        let settings = ServerSettings {
            backend: BackendChoice::Auto,
            server_url: Some("mysql://u:p@h:1".into()),
            image: String::new(),
            image_chosen: false,
        };
        let error = refuse_external(&settings).unwrap_err().to_string();
        assert!(
            error.starts_with("an external server runs already and needs no starting"),
            "{error}"
        );
    }
}
