//! A wrong answer to exercise 08: a pool with mysql::Pool's defaults, which opens 10
//! connections at once and allows 100. The answers are right; the bound is missing.

use mysql::prelude::Queryable;
use mysql::Pool;

/// The most connections the program may open to the server, in all (ignored here).
pub const MAX_CONNECTIONS: usize = 4;

/// A customer, as a lookup finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The customer's full name.
    pub name: String,
    /// The customer's e-mail address.
    pub email: String,
}

/// A pool with the default constraints: at least 10, at most 100 connections.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    Pool::new(database_url)
}

/// Looks the customer up on a pooled connection.
pub fn find_customer(pool: &Pool, id: u32) -> Result<Option<Customer>, mysql::Error> {
    let mut conn = pool.get_conn()?;
    let row: Option<(String, String)> =
        conn.exec_first("SELECT name, email FROM customers WHERE id = ?", (id,))?;
    Ok(row.map(|(name, email)| Customer { name, email }))
}
