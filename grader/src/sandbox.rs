//! A fresh database and account for one check, with a random suffix, so that checks
//! can run side by side and a learner's program never sees administrator credentials.
//! A check's account is for one host only, the address the server sees this machine
//! at; on a loopback server that address is drawn anew for each sandbox, so the
//! account cannot be guessed from its name.
//! Everything a sandbox created is dropped with it, and also if the grader is
//! interrupted (which matters on an external server, which outlives the grader).

use std::net::{IpAddr, Ipv4Addr};
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
    /// The account's name.
    pub user: String,
    /// The account's host part: for a check, the one address this machine's
    /// connections come from as the server sees them; `%` for `grader sandbox`.
    pub host: String,
    /// The account's password.
    pub password: String,
    /// The local address the grader and the wire recorder connect from, so that the
    /// server sees them at `host` (a drawn loopback address on a local server).
    pub source: Option<IpAddr>,
    /// Every database to drop, the sandbox's own first.
    databases: Arc<Mutex<Vec<String>>>,
    removed: bool,
    _cleanup: CleanupGuard,
}

/// Which hosts a sandbox's account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hosts {
    /// One address: this machine's, as the server sees it, or where that is a
    /// loopback address, another one drawn for each sandbox, so that a program
    /// cannot guess the account from its user name.
    ThisMachine,
    /// Any host (`%`), for an account a person uses by hand, from any client.
    Any,
}

impl<'s> Sandbox<'s> {
    /// Creates a database and an account named `gr{label}_{random}`, the account
    /// privileged on that database only and for this machine's address alone.
    pub fn create(server: &'s Server, label: &str) -> Result<Sandbox<'s>> {
        let mut rng = fastrand::Rng::new();
        let suffix: String = (0..8).map(|_| rng.lowercase()).collect();
        Sandbox::create_named(server, &format!("gr{label}_{suffix}"), Hosts::ThisMachine)
    }

    /// Creates a database and an account both named `name` (letters, digits and `_`),
    /// the account privileged on that database only, for `hosts`. Both must not exist
    /// yet.
    pub fn create_named(server: &'s Server, name: &str, hosts: Hosts) -> Result<Sandbox<'s>> {
        let name = name.to_string();
        let (host, source, seen) = match hosts {
            Hosts::Any => ("%".to_string(), None, None),
            Hosts::ThisMachine => {
                let seen = host_seen(server)?;
                match drawn_loopback(&seen) {
                    Some(drawn) => (drawn.to_string(), Some(drawn), Some(seen)),
                    None => (seen, None, None),
                }
            }
        };
        let databases = Arc::new(Mutex::new(vec![name.clone()]));
        let cleanup = {
            let (admin, user, databases) = (server.admin.clone(), name.clone(), databases.clone());
            let hosts: Vec<String> =
                [Some(host.clone()), seen.clone()].into_iter().flatten().collect();
            shutdown::on_interrupt(move || {
                let databases = databases.lock().unwrap_or_else(PoisonError::into_inner).clone();
                let _ = Conn::new(admin.opts(None))
                    .map(|mut conn| drop_all(&mut conn, &user, &hosts, &databases));
            })
        };
        let mut sandbox = Sandbox {
            server,
            database: name.clone(),
            user: name,
            host,
            password: crate::server::random_password(),
            source,
            databases,
            removed: false,
            _cleanup: cleanup,
        };
        let mut conn = server.admin_conn()?;
        conn.query_drop(format!("CREATE DATABASE `{}`", sandbox.database))
            .with_context(|| format!("cannot create the database {}", sandbox.database))?;
        conn.query_drop(format!(
            "CREATE USER {} IDENTIFIED BY '{}'",
            sandbox.account(),
            sandbox.password
        ))
        .with_context(|| format!("cannot create the account {}", sandbox.user))?;
        conn.query_drop(format!(
            "GRANT ALL PRIVILEGES ON `{}`.* TO {}",
            sandbox.database,
            sandbox.account()
        ))
        .with_context(|| format!("cannot grant {} its database", sandbox.user))?;
        if let Some(seen) = seen {
            if !sandbox.answers() {
                // This system cannot connect from another loopback address (macOS
                // has only 127.0.0.1): the account is for the address it has.
                let from = sandbox.account();
                sandbox.host = seen;
                sandbox.source = None;
                conn.query_drop(format!("RENAME USER {from} TO {}", sandbox.account()))
                    .with_context(|| format!("cannot move the account {}", sandbox.user))?;
            }
        }
        Ok(sandbox)
    }

    /// The account as SQL names it: `'user'@'host'`.
    pub fn account(&self) -> String {
        format!("'{}'@'{}'", self.user, self.host)
    }

    /// Whether the account gets in from its source address.
    fn answers(&self) -> bool {
        Conn::new(self.endpoint().opts(Some(&self.database))).is_ok()
    }

    /// Where the account connects, with its own credentials.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint {
            source: self.source,
            ..self.server.admin.with_account(&self.user, &self.password)
        }
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
        conn.query_drop(format!("GRANT SELECT ON `{name}`.* TO {}", self.account()))
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
        drop_all(
            &mut self.server.admin_conn()?,
            &self.user,
            std::slice::from_ref(&self.host),
            &databases,
        )
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
    hosts: &[String],
    databases: &[String],
) -> Result<()> {
    for host in hosts {
        conn.query_drop(format!("DROP USER IF EXISTS '{user}'@'{host}'"))?;
    }
    for database in databases {
        conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))?;
    }
    Ok(())
}

/// The host part of the grader's own connections, as the server sees them: an
/// address where the server does not resolve names (`%` if it says nothing).
fn host_seen(server: &Server) -> Result<String> {
    let seen: Option<String> = server
        .admin_conn()?
        .query_first("SELECT SUBSTRING_INDEX(USER(), '@', -1)")
        .context("cannot ask the server where the grader connects from")?;
    Ok(seen.filter(|host| !host.is_empty()).unwrap_or_else(|| "%".into()))
}

/// Where the server sees this machine at an IPv4 loopback address, another one of
/// `127.0.0.0/8`, drawn at random, to connect from instead.
fn drawn_loopback(seen: &str) -> Option<IpAddr> {
    let seen: Ipv4Addr = seen.parse().ok()?;
    if !seen.is_loopback() {
        return None;
    }
    let mut rng = fastrand::Rng::new();
    // 127.0.x.x is left alone: 127.0.0.1 is the grader's, 127.0.1.1 often the
    // machine's name.
    let drawn = Ipv4Addr::new(127, rng.u8(1..=254), rng.u8(..), rng.u8(2..=254));
    Some(IpAddr::V4(drawn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loopback_server_gets_a_drawn_address_and_others_the_one_it_saw() {
        for _ in 0..100 {
            let Some(IpAddr::V4(drawn)) = drawn_loopback("127.0.0.1") else {
                panic!("no address drawn for a loopback host")
            };
            assert!(drawn.is_loopback() && drawn.octets()[1] != 0 && drawn.octets()[3] > 1);
        }
        let drawn: std::collections::HashSet<_> =
            (0..100).filter_map(|_| drawn_loopback("127.0.0.1")).collect();
        assert!(drawn.len() > 50, "the same few addresses drawn: {drawn:?}");
        assert_eq!(drawn_loopback("172.17.0.1"), None);
        assert_eq!(drawn_loopback("localhost"), None);
        assert_eq!(drawn_loopback("::1"), None);
    }
}
