//! A wrong answer to exercise 08: it opens a pool but ignores it, and opens a new
//! connection for every lookup. The answers are right; the connection count is not.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};

/// The most connections the program may open to the server, in all.
pub const MAX_CONNECTIONS: usize = 4;

/// A customer, as a lookup finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The customer's full name.
    pub name: String,
    /// The customer's e-mail address.
    pub email: String,
}

/// A bounded pool that opens nothing until asked (and is never asked).
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints = PoolConstraints::new_const::<0, MAX_CONNECTIONS>();
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Opens a connection of its own for this one lookup.
pub fn find_customer(_pool: &Pool, id: u32) -> Result<Option<Customer>, mysql::Error> {
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    let mut conn = Conn::new(Opts::from_url(&url)?)?;
    let row: Option<(String, String)> =
        conn.exec_first("SELECT name, email FROM customers WHERE id = ?", (id,))?;
    Ok(row.map(|(name, email)| Customer { name, email }))
}
