//! A wrong answer to exercise 08: it opens a pool but ignores it, and opens a new
//! connection for every lookup. The answers are right; the connection count is not.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
pub use sol08_connection_pool::*;

/// A bounded pool that opens nothing until asked (and is never asked), so that every
/// connection counted is one that `find_customer` opened.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints = PoolConstraints::new_const::<0, MAX_CONNECTIONS>();
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Opens a connection of its own for this one lookup.
pub fn find_customer(_pool: &Pool, id: u32) -> Result<Option<Customer>, mysql::Error> {
    // The mistake: a new connection each time, instead of one borrowed from the pool.
    let url = format!("{}?prefer_socket=false", std::env::var("DATABASE_URL").unwrap_or_default());
    let mut conn = Conn::new(Opts::from_url(&url)?)?;
    let row: Option<(String, String)> =
        conn.exec_first("SELECT name, email FROM customers WHERE id = ?", (id,))?;
    Ok(row.map(|(name, email)| Customer { name, email }))
}
