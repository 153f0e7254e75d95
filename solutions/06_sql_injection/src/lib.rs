//! Reference solution to exercise 06: close an SQL injection hole.

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

// ANCHOR: solution
/// Returns every customer whose name equals `name`, by ascending id.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    // The SQL is fixed; the name travels apart from it, as a parameter of a prepared
    // statement, so the server can only ever read it as a value.
    conn.exec_map(
        "SELECT id, name, email FROM customers WHERE name = ? ORDER BY id",
        (name,),
        |(id, name, email)| Customer { id, name, email },
    )
}
// ANCHOR_END: solution
