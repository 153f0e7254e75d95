//! A wrong answer to exercise 04: it pastes the values into the SQL text between
//! quotes, so a name like O'Brien ends the string early, and a backslash starts an
//! escape.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol04_insert_rows::*;

/// Inserts the rows in one transaction, each with an INSERT built by `format!`.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    for NewCustomer { email, name, city } in customers {
        // The mistake: the values become part of the SQL text.
        let city = city.as_ref().map_or("NULL".to_string(), |city| format!("'{city}'"));
        tx.query_drop(format!(
            "INSERT INTO customers (email, name, city) VALUES ('{email}', '{name}', {city})"
        ))?;
    }
    tx.commit()?;
    Ok(customers.len())
}
