//! A wrong answer to exercise 08: a pool with mysql::Pool's defaults, which opens 10
//! connections at once and allows 100. The answers are right; the bound is missing.

use mysql::Pool;
pub use sol08_connection_pool::*;

/// A pool with the default constraints: at least 10, at most 100 connections.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    Pool::new(database_url) // the mistake: no PoolConstraints, so no MAX_CONNECTIONS
}
