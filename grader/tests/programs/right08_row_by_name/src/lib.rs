//! A right answer to exercise 08, written differently from the reference: the
//! bounds checked at run time with `PoolConstraints::new`, and the customer's
//! columns taken from a `Row` by name.

use mysql::prelude::Queryable;
use mysql::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts, Row};
pub use sol08_connection_pool::{Customer, MAX_CONNECTIONS};

/// A pool of two to [`MAX_CONNECTIONS`] connections.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints =
        PoolConstraints::new(2, MAX_CONNECTIONS).expect("2 to MAX_CONNECTIONS is a valid range");
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// The customer with this `id`, on a connection borrowed from `pool`.
pub fn find_customer(pool: &Pool, id: u32) -> Result<Option<Customer>, mysql::Error> {
    let row: Option<Row> =
        pool.get_conn()?.exec_first("SELECT * FROM customers WHERE id = ?", (id,))?;
    Ok(row.and_then(|row| {
        let name = row.get_opt::<String, _>("name")?.ok()?;
        let email = row.get_opt::<String, _>("email")?.ok()?;
        Some(Customer { name, email })
    }))
}
