//! Reference solution to exercise 04: insert the customers of a CSV file with a
//! prepared statement, all of them in one transaction.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};

/// A customer read from the CSV file, before the server gives it an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    /// The e-mail address, unique in the table.
    pub email: String,
    /// The full name; may hold quotes, backslashes, any letter and emoji.
    pub name: String,
    /// The city: `None` where the file says `\N` (NULL, unknown), and `Some("")` where
    /// the field is empty.
    pub city: Option<String>,
}

// ANCHOR: solution
/// Inserts every customer into the `customers` table in one transaction, with one
/// prepared INSERT: either all of them are stored or, if any fails, none is. Returns
/// how many were inserted.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    tx.exec_batch(
        "INSERT INTO customers (email, name, city) VALUES (?, ?, ?)",
        customers.iter().map(|c| (&c.email, &c.name, &c.city)),
    )?;
    tx.commit()?;
    Ok(customers.len())
}
// ANCHOR_END: solution
