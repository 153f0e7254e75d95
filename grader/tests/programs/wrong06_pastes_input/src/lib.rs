//! A wrong answer to exercise 06: the search as the exercise ships it, with the name
//! pasted into the SQL text by `format!`.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::*;

/// Injectable: `name` becomes part of the SQL.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    let sql = format!("SELECT id, name, email FROM customers WHERE name = '{name}' ORDER BY id");
    conn.query_map(sql, |(id, name, email)| Customer { id, name, email })
}
