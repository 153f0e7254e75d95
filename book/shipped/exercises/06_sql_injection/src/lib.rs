//! Exercise 06: close an SQL injection hole.
//!
//! The search below works, but it pastes the user's input into the SQL text, so the
//! input can change what the query does. The task is in README.md beside this folder:
//! make the search safe, then check your work with `cargo grader check 06`.

use mysql::prelude::Queryable;
use mysql::Conn;

/// A customer the search found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// The customer's id.
    pub id: u32,
    /// Their full name.
    pub name: String,
    /// Their e-mail address.
    pub email: String,
}

// ANCHOR: stub
/// Returns every customer whose name equals `name`, by ascending id.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    // DANGER: `name` is pasted into the SQL text, so whoever types the name writes
    // part of the query. Make this safe without changing what it returns.
    let sql = format!("SELECT id, name, email FROM customers WHERE name = '{name}' ORDER BY id");
    conn.query_map(sql, |(id, name, email)| Customer { id, name, email })
}
// ANCHOR_END: stub
