//! The local backend: a throwaway `mariadbd` or `mysqld` from this machine, with its
//! data in a fresh temporary folder, listening on a free port of 127.0.0.1 only.
//! Killed and removed when dropped, or by the interrupt handler.
//!
//! [`launch`] (initialise, spawn on a free port, retry when another program takes
//! the port first) is also how the persistent local server starts, on its own folder.

use std::fs;
use std::net::TcpListener;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use tempfile::TempDir;

use super::{random_password, ready, template, Endpoint, LEAN_SERVER_ARGS};
use crate::process;
use crate::shutdown::{self, CleanupGuard};

/// The server programs looked for, in order.
const SERVER_NAMES: [&str; 2] = ["mariadbd", "mysqld"];
/// Where distributions put them, beside the folders on PATH (`sbin` often is not on it).
const SYSTEM_DIRS: [&str; 3] = ["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin"];
/// Environment variable naming the server program to use.
pub const SERVER_ENV: &str = "GRADER_MYSQLD";
/// A small redo log makes initialising the data folder three times faster.
const INNODB_LOG_SIZE: &str = "--innodb-log-file-size=4M";
/// MySQL's smallest redo log (8.0.30 and later; `loose-` so that older servers pass
/// over it): half of a fresh data folder is otherwise 100 MB of redo log, copied
/// from the template for every server.
const MYSQL_REDO_SIZE: &str = "--loose-innodb-redo-log-capacity=8M";
/// How long a local server may take to answer its first query.
const PATIENCE: Duration = Duration::from_secs(30);
/// The start of a throwaway server's temporary folder; the grader's process id
/// follows, so that `grader doctor` can tell a leftover from a folder in use.
pub const TEMP_PREFIX: &str = "grader-mysql-";
/// Ports tried before giving up when another program takes ours first.
const PORT_ATTEMPTS: usize = 3;

/// A running local server.
pub struct LocalServer {
    /// The administrator account the grader created at start.
    pub admin: Endpoint,
    process: Child,
    _data: TempDir,
    _cleanup: CleanupGuard,
}

/// Which server the binary is: they initialise differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    MariaDb,
    MySql,
}

/// The server program this backend would start: `$GRADER_MYSQLD`, else the first
/// `mariadbd` or `mysqld` on PATH or in the usual system folders.
pub fn server_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(SERVER_ENV) {
        return Some(PathBuf::from(path));
    }
    let path_dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    let dirs = path_dirs.iter().map(PathBuf::as_path).chain(SYSTEM_DIRS.iter().map(Path::new));
    let dirs: Vec<&Path> = dirs.collect();
    SERVER_NAMES
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

impl LocalServer {
    /// Gives a data folder its initialised data (a copy of [`template`]'s), starts the
    /// server on a free port and waits until it answers.
    pub fn start() -> Result<LocalServer> {
        Self::start_bound("127.0.0.1", "127.0.0.1")
    }

    /// Like [`LocalServer::start`], but the server listens on `bind_address` (as its
    /// `bind-address` option takes it: an address, or a comma-separated list on recent
    /// servers) and the administrator connects to `admin_host`, which must be one of
    /// them. The administrator's account is for 127.0.0.1, the source address of every
    /// loopback connection. The two-host lab of exercise 10 uses it.
    pub fn start_bound(bind_address: &str, admin_host: &str) -> Result<LocalServer> {
        let binary = find_binary()?;
        let data = tempfile::Builder::new()
            .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
            .tempdir()
            .context("cannot create a temporary folder for the server's data")?;
        let process_id = ProcessId::default();
        let cleanup = kill_and_remove_on_interrupt(data.path(), &process_id);
        let Launched { process, admin } =
            launch(&binary, data.path(), bind_address, admin_host, &process_id)?;
        Ok(LocalServer { admin, process, _data: data, _cleanup: cleanup })
    }
}

/// The process id of a server being launched, for the interrupt handler.
pub(super) type ProcessId = Arc<Mutex<Option<u32>>>;

/// A server process that answers queries.
pub(super) struct Launched {
    /// The process, in a process group of its own.
    pub process: Child,
    /// The grader's administrator account on it.
    pub admin: Endpoint,
}

/// The server program to start, or an error that says how to install one.
pub(super) fn find_binary() -> Result<PathBuf> {
    server_binary().context(
        "no mariadbd or mysqld found on PATH or in /usr/sbin: install one (sudo apt-get install mariadb-server) \
         or name it with GRADER_MYSQLD=/path/to/mysqld",
    )
}

/// On an interrupt, kills the process `process_id` names (with its group) and removes
/// the folder `data`; until the returned guard is dropped.
pub(super) fn kill_and_remove_on_interrupt(data: &Path, process_id: &ProcessId) -> CleanupGuard {
    let (data, process_id) = (data.to_path_buf(), process_id.clone());
    shutdown::on_interrupt(move || {
        if let Some(pid) = *process_id.lock().unwrap_or_else(PoisonError::into_inner) {
            let _ = process::kill_and_wait(pid);
        }
        let _ = fs::remove_dir_all(&data);
    })
}

/// Initialises the data folder `data` for `binary` (from its template), gives it the grader's
/// administrator with a new password, and starts the server on a free port of
/// `bind_address` until it answers at `admin_host`. If another program takes the
/// port first, it tries another, [`PORT_ATTEMPTS`] times in all. `process_id` holds
/// the running attempt's process for the interrupt handler.
pub(super) fn launch(
    binary: &Path,
    data: &Path,
    bind_address: &str,
    admin_host: &str,
    process_id: &ProcessId,
) -> Result<Launched> {
    let (flavor, version) = flavor_of(binary)?;
    template::prepare(binary, &version, data, |folder| initialise(binary, flavor, folder))?;
    let password = random_password();
    fs::write(data.join("init.sql"), init_sql(&password))
        .context("cannot write the server's start-up script")?;
    let log = data.join("error.log");
    let mut last_error = None;
    for _ in 0..PORT_ATTEMPTS {
        let port = free_port()?;
        let admin = Endpoint {
            host: admin_host.into(),
            port,
            user: "grader".into(),
            password: password.clone(),
            source: None,
        };
        let mut process = spawn_server(binary, flavor, data, port, bind_address)?;
        *process_id.lock().unwrap_or_else(PoisonError::into_inner) = Some(process.id());
        let waited = ready::wait_until_ready(&admin, PATIENCE, || match process.try_wait() {
            Ok(Some(status)) => {
                bail!("{} stopped ({status}) while starting: {}", binary.display(), log_tail(&log))
            }
            _ => Ok(()),
        });
        match waited {
            Ok(()) => return Ok(Launched { process, admin }),
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

impl Drop for LocalServer {
    fn drop(&mut self) {
        // The data is thrown away, so there is nothing to shut down gracefully.
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Which server `binary` is, and what its `--version` says: asked once per program
/// (and again if the file changes), since MySQL takes a tenth of a second to answer
/// and exercise 10's lab starts a second server in the same process.
fn flavor_of(binary: &Path) -> Result<(Flavor, String)> {
    type Known = Vec<(PathBuf, Option<(u64, i64)>, (Flavor, String))>;
    static KNOWN: Mutex<Known> = Mutex::new(Vec::new());
    let stamp = fs::metadata(binary).ok().map(|meta| {
        use std::os::unix::fs::MetadataExt as _;
        (meta.size(), meta.mtime())
    });
    let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, _, answer)) =
        known.iter().find(|(path, seen, _)| path == binary && *seen == stamp)
    {
        return Ok(answer.clone());
    }
    let answer = ask_flavor(binary)?;
    known.retain(|(path, _, _)| path != binary);
    known.push((binary.to_path_buf(), stamp, answer.clone()));
    Ok(answer)
}

/// Runs `binary --version`.
fn ask_flavor(binary: &Path) -> Result<(Flavor, String)> {
    let output = Command::new(binary)
        .arg("--version")
        .output()
        .with_context(|| format!("cannot run {} --version", binary.display()))?;
    let version = String::from_utf8_lossy(&output.stdout).into_owned();
    let flavor = if version.contains("MariaDB") || binary.ends_with("mariadbd") {
        Flavor::MariaDb
    } else {
        Flavor::MySql
    };
    Ok((flavor, version))
}

/// Arguments both flavours need when run as root (as in containers and CI).
fn user_args() -> Vec<&'static str> {
    if nix::unistd::geteuid().is_root() {
        vec!["--user=root"]
    } else {
        Vec::new()
    }
}

/// The server's own folder for temporary tables. Servers that share one (`/tmp`) crash
/// now and then when they initialise side by side, as parallel checks and tests do.
fn tmpdir_arg(data: &Path) -> Result<String> {
    let tmp = data.join("tmp");
    fs::create_dir_all(&tmp).context("cannot create the server's temporary folder")?;
    Ok(format!("--tmpdir={}", tmp.display()))
}

fn initialise(binary: &Path, flavor: Flavor, data: &Path) -> Result<()> {
    let datadir = format!("--datadir={}", data.join("data").display());
    let tmpdir = tmpdir_arg(data)?;
    let mut command = match flavor {
        Flavor::MariaDb => {
            let tool = install_tool(binary).context(
                "found mariadbd but not mariadb-install-db beside it; reinstall the server (sudo apt-get install mariadb-server)",
            )?;
            let mut command = Command::new(tool);
            command.args([
                "--no-defaults",
                &datadir,
                &tmpdir,
                "--skip-test-db",
                "--auth-root-authentication-method=socket",
                INNODB_LOG_SIZE,
            ]);
            command
        }
        Flavor::MySql => {
            let mut command = Command::new(binary);
            command.args([
                "--no-defaults",
                "--initialize-insecure",
                &datadir,
                &tmpdir,
                MYSQL_REDO_SIZE,
            ]);
            command
        }
    };
    let output = command
        .args(user_args())
        .stdin(Stdio::null())
        .output()
        .context("cannot run the server's initialisation tool")?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last =
            stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or("no message");
        bail!("initialising the server's data folder failed ({}): {last}", output.status);
    }
    Ok(())
}

/// `mariadb-install-db` (or its old name) on PATH or beside the server's folder.
fn install_tool(binary: &Path) -> Option<PathBuf> {
    let prefix = binary.parent()?.parent()?;
    let dirs = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain([prefix.join("bin"), prefix.join("scripts"), binary.parent()?.to_path_buf()]);
    let dirs: Vec<PathBuf> = dirs.collect();
    ["mariadb-install-db", "mysql_install_db"]
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn spawn_server(
    binary: &Path,
    flavor: Flavor,
    data: &Path,
    port: u16,
    bind_address: &str,
) -> Result<Child> {
    let path_arg = |name: &str, file: &str| format!("--{name}={}", data.join(file).display());
    let mut command = Command::new(binary);
    command
        .arg("--no-defaults")
        .arg(path_arg("datadir", "data"))
        .arg(path_arg("socket", "mysqld.sock"))
        .arg(path_arg("pid-file", "mysqld.pid"))
        .arg(path_arg("log-error", "error.log"))
        .arg(path_arg("init-file", "init.sql"))
        .arg(tmpdir_arg(data)?)
        .arg(format!("--port={port}"))
        .arg(format!("--bind-address={bind_address}"))
        .arg("--skip-name-resolve")
        .args(LEAN_SERVER_ARGS)
        .args(user_args());
    match flavor {
        Flavor::MariaDb => command.arg(INNODB_LOG_SIZE),
        Flavor::MySql => command.arg(MYSQL_REDO_SIZE),
    };
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .with_context(|| format!("cannot start {}", binary.display()))
}

/// The start-up script: the grader's own administrator, reachable over TCP only.
fn init_sql(password: &str) -> String {
    format!(
        "CREATE USER 'grader'@'127.0.0.1' IDENTIFIED BY '{password}';\n\
         GRANT ALL PRIVILEGES ON *.* TO 'grader'@'127.0.0.1' WITH GRANT OPTION;\n"
    )
}

/// A TCP port of 127.0.0.1 that nothing listens on right now.
fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").context("cannot find a free port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let errors: Vec<&str> = text.lines().filter(|line| line.contains("[ERROR]")).collect();
    let lines =
        if errors.is_empty() { text.lines().rev().take(3).collect::<Vec<_>>() } else { errors };
    if lines.is_empty() {
        "its log is empty".into()
    } else {
        lines.join(" / ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_up_script_creates_a_tcp_only_administrator() {
        let sql = init_sql("abc123");
        assert!(sql.contains("'grader'@'127.0.0.1' IDENTIFIED BY 'abc123'"));
        assert!(sql.contains("WITH GRANT OPTION"));
    }

    #[test]
    fn an_error_log_is_summed_up_by_its_errors() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("error.log");
        fs::write(&log, "a [Note] starting\nb [ERROR] Can't start server: Bind on TCP/IP port: Address already in use\nc [Note] x\n").unwrap();
        assert_eq!(
            log_tail(&log),
            "b [ERROR] Can't start server: Bind on TCP/IP port: Address already in use"
        );
        assert_eq!(log_tail(&dir.path().join("missing.log")), "its log is empty");
    }
}
