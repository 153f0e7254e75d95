//! A wrong answer to exercise 06: it removes quotes from the name before pasting it
//! into the SQL text. Nothing can break out of the string any more, but a customer
//! whose name holds a quote can no longer be found.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::*;

/// Strips `'` and `"`, then builds the SQL with `format!`.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    let cleaned = name.replace(['\'', '"'], ""); // the mistake: the name is no longer the same
    let sql = format!("SELECT id, name, email FROM customers WHERE name = '{cleaned}' ORDER BY id");
    conn.query_map(sql, |(id, name, email)| Customer { id, name, email })
}
