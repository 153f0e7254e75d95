//! A fresh database and account for one check, with a random suffix, so that checks
//! can run side by side and a learner's program never sees administrator credentials.
//! Everything a sandbox created is dropped with it, and also if the grader is
//! interrupted (which matters on an external server, which outlives the grader).

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::{Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::Conn;

use crate::server::{Endpoint, Server};
use crate::shutdown::{self, CleanupGuard};

/// A database and an account that may use only that database (and any extra
/// databases the check adds with [`Sandbox::add_database`]).
#[derive(Debug)]
pub struct Sandbox<'s> {
    server: &'s Server,
    /// The sandbox's own database.
    pub database: String,
    /// The account's name; its host is `%`.
    pub user: String,
    /// The account's password.
    pub password: String,
    /// Every database to drop, the sandbox's own first.
    databases: Arc<Mutex<Vec<String>>>,
    removed: bool,
    _cleanup: CleanupGuard,
}

impl<'s> Sandbox<'s> {
    /// Creates a database and an account named `gr{label}_{random}`, the account
    /// privileged on that database only.
    pub fn create(server: &'s Server, label: &str) -> Result<Sandbox<'s>> {
        let mut rng = fastrand::Rng::new();
        let suffix: String = (0..8).map(|_| rng.lowercase()).collect();
        Sandbox::create_named(server, &format!("gr{label}_{suffix}"))
    }

    /// Creates a database and an account both named `name` (letters, digits and `_`),
    /// the account privileged on that database only. Both must not exist yet.
    pub fn create_named(server: &'s Server, name: &str) -> Result<Sandbox<'s>> {
        let name = name.to_string();
        let databases = Arc::new(Mutex::new(vec![name.clone()]));
        let cleanup = {
            let (admin, user, databases) = (server.admin.clone(), name.clone(), databases.clone());
            shutdown::on_interrupt(move || {
                let databases = databases.lock().unwrap_or_else(PoisonError::into_inner).clone();
                let _ = Conn::new(admin.opts(None))
                    .map(|mut conn| drop_all(&mut conn, &user, &databases));
            })
        };
        let sandbox = Sandbox {
            server,
            database: name.clone(),
            user: name,
            password: crate::server::random_password(),
            databases,
            removed: false,
            _cleanup: cleanup,
        };
        let mut conn = server.admin_conn()?;
        conn.query_drop(format!("CREATE DATABASE `{}`", sandbox.database))
            .with_context(|| format!("cannot create the database {}", sandbox.database))?;
        conn.query_drop(format!(
            "CREATE USER '{}'@'%' IDENTIFIED BY '{}'",
            sandbox.user, sandbox.password
        ))
        .with_context(|| format!("cannot create the account {}", sandbox.user))?;
        conn.query_drop(format!(
            "GRANT ALL PRIVILEGES ON `{}`.* TO '{}'@'%'",
            sandbox.database, sandbox.user
        ))
        .with_context(|| format!("cannot grant {} its database", sandbox.user))?;
        Ok(sandbox)
    }

    /// Where the account connects, with its own credentials.
    pub fn endpoint(&self) -> Endpoint {
        self.server.admin.with_account(&self.user, &self.password)
    }

    /// The `DATABASE_URL` handed to the learner's program.
    pub fn url(&self) -> String {
        self.endpoint().url(&self.database)
    }

    /// Creates another database named `{sandbox}_{suffix}` that the account may read,
    /// and returns its name. `suffix` must be made of letters, digits and `_`.
    pub fn add_database(&mut self, suffix: &str) -> Result<String> {
        self.add_readable_database(format!("{}_{suffix}", self.database))
    }

    /// Creates another database that the account may read, named `{word}_{random}`
    /// (nothing in its name ties it to the sandbox's; the random part is not drawn
    /// from the run's seed, so that checks of the same seed never share one), and
    /// returns its name. `word` must be made of letters, digits and `_`, and must not
    /// start with `gr`.
    pub fn add_unrelated_database(&mut self, word: &str) -> Result<String> {
        let mut rng = fastrand::Rng::new();
        let random: String = (0..6).map(|_| rng.lowercase()).collect();
        self.add_readable_database(format!("{word}_{random}"))
    }

    /// Creates the database `name`, dropped with the sandbox, that the account may read.
    fn add_readable_database(&mut self, name: String) -> Result<String> {
        self.databases.lock().unwrap_or_else(PoisonError::into_inner).push(name.clone());
        let mut conn = self.server.admin_conn()?;
        conn.query_drop(format!("CREATE DATABASE `{name}`"))
            .with_context(|| format!("cannot create the database {name}"))?;
        conn.query_drop(format!("GRANT SELECT ON `{name}`.* TO '{}'@'%'", self.user))
            .with_context(|| format!("cannot grant {} the database {name}", self.user))?;
        Ok(name)
    }

    /// Keeps the sandbox on the server after the grader ends (for `grader sandbox`):
    /// neither dropping it nor an interrupt removes it any more.
    pub fn keep(mut self) {
        self.removed = true;
    }

    /// Drops the account and every database of the sandbox.
    pub fn remove(mut self) -> Result<()> {
        self.remove_now()
    }

    fn remove_now(&mut self) -> Result<()> {
        self.removed = true;
        let databases = self.databases.lock().unwrap_or_else(PoisonError::into_inner).clone();
        drop_all(&mut self.server.admin_conn()?, &self.user, &databases)
    }
}

impl Drop for Sandbox<'_> {
    fn drop(&mut self) {
        if !self.removed {
            // Best effort: the server may be gone, and then so is the sandbox.
            let _ = self.remove_now();
        }
    }
}

fn drop_all(
    conn: &mut impl mysql::prelude::Queryable,
    user: &str,
    databases: &[String],
) -> Result<()> {
    conn.query_drop(format!("DROP USER IF EXISTS '{user}'@'%'"))?;
    for database in databases {
        conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))?;
    }
    Ok(())
}
