//! How many connections a learner's program opened, from the wire recorder's
//! recording of its runs: every connection it opened, and the most open at once.
//! Only the program's own connections pass through its recorder, so the count holds
//! beside other checks and on a shared server.

use super::Failure;
use crate::wire::Recording;

/// What the recorder saw of the program's connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionCount {
    /// Connections the program opened.
    pub opened: u64,
    /// The most connections open at once.
    pub peak: u64,
}

impl ConnectionCount {
    /// The connections of `recording`.
    pub fn of(recording: &Recording) -> ConnectionCount {
        ConnectionCount {
            opened: u64::try_from(recording.opened()).unwrap_or(u64::MAX),
            peak: u64::try_from(recording.peak_open()).unwrap_or(u64::MAX),
        }
    }

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
