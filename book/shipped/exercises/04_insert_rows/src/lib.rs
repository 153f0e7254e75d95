//! Exercise 04: insert the customers of a CSV file with a prepared statement, all of
//! them in one transaction.
//!
//! The task is in README.md beside this folder. Replace the `todo!()` below,
//! then check your work with `cargo grader check 04`.

use mysql::Conn;

// ANCHOR: types
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
// ANCHOR_END: types

// ANCHOR: stub
/// Inserts every customer into the `customers` table in one transaction, with one
/// prepared INSERT: either all of them are stored or, if any fails, none is. Returns
/// how many were inserted.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    let _ = (conn, customers); // delete this line when you use `conn` and `customers`
    todo!("start a transaction, run one INSERT with ? placeholders for each customer, then commit")
}
// ANCHOR_END: stub
