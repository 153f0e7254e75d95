//! `server.json`: what the persistent server is, where it listens, and the account
//! to use there. Readable by its owner only, since it holds the password.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};
use serde::{Deserialize, Serialize};

use crate::server::{Backend, BackendChoice, Endpoint};
use crate::state::write_atomically;

/// The record's file name in the server folder.
pub const RECORD_FILE: &str = "server.json";
/// How long a connection to see whether the server answers may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The backends a persistent server can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The backend, and what runs there (the `backend` key and its own keys).
    #[serde(flatten)]
    pub runs: Runs,
}

/// What a persistent server runs as, by backend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "backend", rename_all = "lowercase")]
pub enum Runs {
    /// A `mariadbd` or `mysqld` in a process group of its own.
    Local {
        /// The server's process.
        pid: u32,
        /// Its data folder.
        data_dir: PathBuf,
    },
    /// A container that testcontainers may start again.
    Docker {
        /// The container's name.
        container: String,
        /// The image it runs.
        image: String,
    },
}

impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("endpoint", &self.endpoint())
            .field("runs", &self.runs)
            .finish_non_exhaustive()
    }
}

impl Record {
    /// Its backend.
    pub fn kind(&self) -> Kind {
        match self.runs {
            Runs::Local { .. } => Kind::Local,
            Runs::Docker { .. } => Kind::Docker,
        }
    }

    /// The image, if it is a container.
    pub fn image(&self) -> Option<&str> {
        match &self.runs {
            Runs::Docker { image, .. } => Some(image),
            Runs::Local { .. } => None,
        }
    }

    /// The administrator's endpoint.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            host: self.host.clone(),
            port: self.port,
            user: self.user.clone(),
            password: self.password.clone(),
            source: None,
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

    /// Writes the record to `dir` in one rename.
    pub(super) fn save(&self, dir: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self).expect("a record always serialises");
        text.push('\n');
        write_atomically(&dir.join(RECORD_FILE), text.as_bytes())
    }

    /// Whether the server answers `SELECT 1` right now.
    pub fn answers(&self) -> bool {
        Conn::new(self.probe_opts()).and_then(|mut conn| conn.query_drop("SELECT 1")).is_ok()
    }

    /// Connection options that give up quickly, to see whether the server answers.
    pub(super) fn probe_opts(&self) -> OptsBuilder {
        OptsBuilder::from_opts(self.endpoint().opts(None)).tcp_connect_timeout(Some(PROBE_TIMEOUT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn local() -> Record {
        Record {
            host: "127.0.0.1".into(),
            port: 1,
            user: "grader".into(),
            password: "secret".into(),
            version: "10.11".into(),
            started_at: 5,
            runs: Runs::Local { pid: 42, data_dir: "/x/grader-mysql-persistent".into() },
        }
    }

    fn docker() -> Record {
        Record {
            user: "root".into(),
            runs: Runs::Docker {
                container: "mysql-course-grader-0a1b2c3d".into(),
                image: "mysql:8.4".into(),
            },
            ..local()
        }
    }

    #[test]
    fn each_backend_reads_back_and_hides_its_password_from_debug() {
        let dir = tempfile::tempdir().unwrap();
        for record in [local(), docker()] {
            record.save(dir.path()).unwrap();
            assert_eq!(Record::load(dir.path()).unwrap(), Some(record.clone()));
            assert!(!format!("{record:?}").contains("secret"));
        }
        assert_eq!(docker().kind(), Kind::Docker);
        assert_eq!(docker().image(), Some("mysql:8.4"));
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(dir.path().join(RECORD_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only its owner may read the record");
        fs::write(dir.path().join(RECORD_FILE), "{").unwrap();
        let error = format!("{:#}", Record::load(dir.path()).unwrap_err());
        assert!(error.contains("server stop"), "{error}");
        assert_eq!(Record::load(&dir.path().join("none")).unwrap(), None);
    }

    #[test]
    fn the_file_keeps_its_keys_so_older_records_still_load() {
        let text = serde_json::to_value(local()).unwrap();
        assert_eq!(text["backend"], "local");
        assert_eq!(text["pid"], 42);
        let older = r#"{"backend": "docker", "host": "127.0.0.1", "port": 5, "user": "root",
            "password": "p", "version": "8.4.3", "started_at": 9,
            "container": "mysql-course-grader-0a1b2c3d", "image": "mysql:8.4"}"#;
        let record: Record = serde_json::from_str(older).unwrap();
        assert_eq!(record.kind(), Kind::Docker);
        let local_without_its_process = r#"{"backend": "local", "host": "h", "port": 5,
            "user": "u", "password": "p", "version": "v", "started_at": 9, "container": "c"}"#;
        assert!(serde_json::from_str::<Record>(local_without_its_process).is_err());
    }

    #[test]
    fn a_persistent_server_serves_auto_and_its_own_backend() {
        assert!(Kind::Local.serves(BackendChoice::Auto));
        assert!(Kind::Local.serves(BackendChoice::Local));
        assert!(!Kind::Local.serves(BackendChoice::Docker));
        assert!(!Kind::Docker.serves(BackendChoice::External));
    }
}
