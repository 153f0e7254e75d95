//! A wrong answer to exercise 06: the name is a parameter, but compared with
//! `LIKE`, which reads `_` and `%` in it as wildcards.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::Customer;

/// The customers the query finds.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    conn.exec_map(
        "SELECT id, name, email FROM customers WHERE name LIKE ? ORDER BY id",
        (name,),
        |(id, name, email)| Customer { id, name, email },
    )
}
