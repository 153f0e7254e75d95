//! A right answer to exercise 08, written differently from the reference: the
//! pool's bounds travel in the URL (`pool_min` and `pool_max`, which the `mysql`
//! crate reads), and a lookup runs the statement with `exec_iter`.

use mysql::prelude::Queryable;
use mysql::Pool;
pub use sol08_connection_pool::{Customer, MAX_CONNECTIONS};

/// A pool of at most [`MAX_CONNECTIONS`] connections, bounded by the URL's options.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let separator = if database_url.contains('?') { '&' } else { '?' };
    Pool::new(format!("{database_url}{separator}pool_min=1&pool_max={MAX_CONNECTIONS}").as_str())
}

/// The customer with this `id`, on a connection borrowed from `pool`.
pub fn find_customer(pool: &Pool, id: u32) -> Result<Option<Customer>, mysql::Error> {
    let mut conn = pool.get_conn()?;
    let mut rows =
        conn.exec_iter("SELECT name, email FROM customers WHERE id = ? LIMIT 1", (id,))?;
    match rows.next() {
        Some(row) => {
            let (name, email) = mysql::from_row(row?);
            Ok(Some(Customer { name, email }))
        }
        None => Ok(None),
    }
}
