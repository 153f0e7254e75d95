//! A wrong answer to exercise 06: the name is a parameter, but compared byte
//! for byte (`BINARY`), so the customers the server's `=` matches in another case
//! are left out.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::Customer;

/// The customers the query finds.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    conn.exec_map(
        "SELECT id, name, email FROM customers WHERE BINARY name = ? ORDER BY id",
        (name,),
        |(id, name, email)| Customer { id, name, email },
    )
}
