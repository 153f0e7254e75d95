//! A fresh database and account for one check, with a random suffix, so that checks
//! can run side by side and a learner's program never sees administrator credentials.
//! Everything a sandbox created is dropped with it.

use anyhow::{Context as _, Result};
use mysql::prelude::Queryable as _;

use crate::server::{Endpoint, Server};

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
    extra_databases: Vec<String>,
}

impl<'s> Sandbox<'s> {
    /// Creates a database and an account named `gr{label}_{random}`, the account
    /// privileged on that database only.
    pub fn create(server: &'s Server, label: &str) -> Result<Sandbox<'s>> {
        let mut rng = fastrand::Rng::new();
        let suffix: String = (0..8).map(|_| rng.lowercase()).collect();
        let name = format!("gr{label}_{suffix}");
        let password: String = crate::server::local::random_password();
        let sandbox = Sandbox {
            server,
            database: name.clone(),
            user: name,
            password,
            extra_databases: Vec::new(),
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
        let name = format!("{}_{suffix}", self.database);
        let mut conn = self.server.admin_conn()?;
        conn.query_drop(format!("CREATE DATABASE `{name}`"))
            .with_context(|| format!("cannot create the database {name}"))?;
        self.extra_databases.push(name.clone());
        conn.query_drop(format!("GRANT SELECT ON `{name}`.* TO '{}'@'%'", self.user))
            .with_context(|| format!("cannot grant {} the database {name}", self.user))?;
        Ok(name)
    }

    /// Drops the account and every database of the sandbox.
    pub fn remove(mut self) -> Result<()> {
        self.drop_all()
    }

    fn drop_all(&mut self) -> Result<()> {
        let mut conn = self.server.admin_conn()?;
        conn.query_drop(format!("DROP USER IF EXISTS '{}'@'%'", self.user))?;
        for database in std::iter::once(&self.database).chain(&self.extra_databases) {
            conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))?;
        }
        self.extra_databases.clear();
        self.user.clear();
        Ok(())
    }
}

impl Drop for Sandbox<'_> {
    fn drop(&mut self) {
        if !self.user.is_empty() {
            // Best effort: the server may be gone, and then so is the sandbox.
            let _ = self.drop_all();
        }
    }
}
