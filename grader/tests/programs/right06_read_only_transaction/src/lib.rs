//! A right answer to exercise 06, written differently from the reference: the
//! search runs inside a read-only transaction started and committed in SQL text,
//! and its rows come back as tuples through `exec`.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::Customer;

/// Every customer whose name equals `name`, by ascending id.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    conn.query_drop("START TRANSACTION READ ONLY")?;
    let rows: Vec<(u32, String, String)> = conn.exec(
        "SELECT id, name, email FROM customers WHERE name = ? ORDER BY id",
        vec![mysql::Value::from(name)],
    )?;
    conn.query_drop("COMMIT")?;
    Ok(rows.into_iter().map(|(id, name, email)| Customer { id, name, email }).collect())
}
