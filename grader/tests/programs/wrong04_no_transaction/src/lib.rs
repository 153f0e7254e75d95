//! A wrong answer to exercise 04: it inserts row by row without a transaction, each
//! row committed on its own, so when a row fails, the rows before it stay in the table.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol04_insert_rows::*;

/// Inserts the rows one by one, straight on the connection.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    // The mistake: no transaction, so each INSERT is committed as soon as it is done.
    for c in customers {
        conn.exec_drop(
            "INSERT INTO customers (email, name, city) VALUES (?, ?, ?)",
            (&c.email, &c.name, &c.city),
        )?;
    }
    Ok(customers.len())
}
