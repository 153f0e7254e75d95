//! A wrong answer to exercise 04: it escapes quotes and backslashes by hand, which
//! happens to store every value right, and pastes the values into the SQL text, in
//! one transaction. Nothing in the table shows it; the SQL it sends does.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol04_insert_rows::*;

/// `value` between quotes, with backslashes and quotes escaped.
fn quoted(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Inserts the rows in one transaction, each with an INSERT built by `format!`.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    for NewCustomer { email, name, city } in customers {
        let city = city.as_deref().map_or("NULL".to_string(), quoted);
        // The mistake: the values travel inside the SQL text.
        tx.query_drop(format!(
            "INSERT INTO customers (email, name, city) VALUES ({}, {}, {city})",
            quoted(email),
            quoted(name)
        ))?;
    }
    tx.commit()?;
    Ok(customers.len())
}
