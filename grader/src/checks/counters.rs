//! How many connections a learner's program opens, read from the server's own
//! counters: the growth of the server-wide `Connections` status variable while the
//! program runs, and the most sessions of the sandbox's account seen at once in
//! `SHOW PROCESSLIST`. `Connections` counts every client, so a check that uses this
//! must have the server to itself (`needs_server_alone`); the grader's own counting
//! connection is opened before the first reading, so it is not counted.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::{anyhow, Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, Row};

use super::Failure;
use crate::server::Server;

/// How often the account's sessions are counted while the program runs.
const SAMPLE_EVERY: Duration = Duration::from_millis(2);

/// What the server saw of the program's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionCount {
    /// Connections opened to the server while watching.
    pub opened: u64,
    /// The most sessions of the account seen open at once.
    pub peak: u64,
}

/// Counts connections from the moment it starts until [`ConnectionWatch::finish`].
pub struct ConnectionWatch {
    stop: mpsc::Sender<()>,
    sampler: JoinHandle<Result<ConnectionCount>>,
}

impl ConnectionWatch {
    /// Takes the baseline of `Connections` and starts counting the sessions of `user`.
    pub fn start(server: &Server, user: &str) -> Result<ConnectionWatch> {
        let mut conn = Conn::new(server.admin.opts(None))
            .context("cannot open the grader's connection that counts connections")?;
        let before = connections_so_far(&mut conn)?;
        let (stop, stopped) = mpsc::channel::<()>();
        let user = user.to_string();
        let sampler = thread::spawn(move || {
            let mut peak = 0;
            loop {
                peak = peak.max(sessions_of(&mut conn, &user)?);
                if stopped.recv_timeout(SAMPLE_EVERY) != Err(RecvTimeoutError::Timeout) {
                    break;
                }
            }
            let after = connections_so_far(&mut conn)?;
            Ok(ConnectionCount { opened: after.saturating_sub(before), peak })
        });
        Ok(ConnectionWatch { stop, sampler })
    }

    /// Stops counting and says what the server saw.
    pub fn finish(self) -> Result<ConnectionCount> {
        // The sampler may have stopped on an error already; its result says so.
        let _ = self.stop.send(());
        self.sampler.join().map_err(|_| anyhow!("the grader's connection counter panicked"))?
    }
}

/// The server's `Connections` counter: connection attempts since it started.
fn connections_so_far(conn: &mut Conn) -> Result<u64> {
    let row: Option<(String, u64)> = conn
        .query_first("SHOW GLOBAL STATUS LIKE 'Connections'")
        .context("cannot read the server's Connections counter")?;
    row.map(|(_, value)| value).context("the server has no Connections counter")
}

/// How many sessions `user` has open now.
fn sessions_of(conn: &mut Conn, user: &str) -> Result<u64> {
    let sessions: Vec<Row> =
        conn.query("SHOW PROCESSLIST").context("cannot read the server's process list")?;
    let count = sessions
        .iter()
        .filter(|session| {
            session.get::<Option<String>, _>("User").flatten().as_deref() == Some(user)
        })
        .count();
    Ok(u64::try_from(count).unwrap_or(u64::MAX))
}

impl ConnectionCount {
    /// A failure if the program opened more than `allowed` connections while it
    /// served `served` `what` (lookups, requests), naming the likely mistake: a new
    /// connection for each, or a pool without a bound.
    pub fn too_many(self, allowed: u64, served: usize, what: &str) -> Option<Failure> {
        if self.opened <= allowed {
            return None;
        }
        let failure = if self.opened >= u64::try_from(served / 2).unwrap_or(u64::MAX) {
            Failure::new(
                format!(
                    "your program opened {} connections to the server for {served} {what}: about one for each",
                    self.opened
                ),
                "open the pool once and borrow from it with pool.get_conn(), instead of opening a new connection each time",
            )
        } else {
            Failure::new(
                format!(
                    "your program opened {} connections to the server; its pool may open at most {allowed}",
                    self.opened
                ),
                "bound the pool: PoolOpts::default().with_constraints(PoolConstraints::new_const::<1, MAX_CONNECTIONS>()); by default a mysql::Pool opens 10 connections at once and allows 100",
            )
        };
        Some(
            failure
                .expected(format!("at most {allowed} connections in all"))
                .got(format!("{} opened, {} seen open at once", self.opened, self.peak)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_pool_passes_and_the_mistakes_are_told_apart() {
        let count = |opened, peak| ConnectionCount { opened, peak };
        assert_eq!(count(4, 4).too_many(4, 40, "lookups"), None);
        let each = count(40, 7).too_many(4, 40, "lookups").unwrap();
        assert_eq!(
            each.summary,
            "your program opened 40 connections to the server for 40 lookups: about one for each"
        );
        assert_eq!(each.got.as_deref(), Some("40 opened, 7 seen open at once"));
        let unbounded = count(10, 10).too_many(4, 40, "lookups").unwrap();
        assert_eq!(
            unbounded.summary,
            "your program opened 10 connections to the server; its pool may open at most 4"
        );
    }
}
