//! Reference solution to exercise 08: answer many lookups through a bounded connection pool.

use mysql::prelude::Queryable;
use mysql::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};

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

// ANCHOR: solution
/// Opens a pool of connections to `database_url` that never holds more than
/// [`MAX_CONNECTIONS`] connections.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    // One connection at once (so a wrong password shows up here), at most MAX_CONNECTIONS.
    let constraints = PoolConstraints::new_const::<1, MAX_CONNECTIONS>();
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Looks up the customer with this `id`, on a connection borrowed from `pool`:
/// `Ok(None)` when no customer has it.
pub fn find_customer(pool: &Pool, id: u32) -> Result<Option<Customer>, mysql::Error> {
    let mut conn = pool.get_conn()?; // waits while all MAX_CONNECTIONS are lent out
    let row: Option<(String, String)> =
        conn.exec_first("SELECT name, email FROM customers WHERE id = ?", (id,))?;
    Ok(row.map(|(name, email)| Customer { name, email }))
} // `conn` is dropped here and goes back to the pool
  // ANCHOR_END: solution
