//! A wrong answer to exercise 06: it writes the name as a hex literal (`X'4F27…'`),
//! which no quote can break out of, so every search answers right. But the value
//! still travels inside the SQL text, which the exercise is about never doing.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::Customer;

/// Searches with the name pasted as a hex literal.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    let hex: String = name.bytes().map(|byte| format!("{byte:02X}")).collect();
    let sql = if hex.is_empty() {
        "SELECT id, name, email FROM customers WHERE name = '' ORDER BY id".to_string()
    } else {
        format!("SELECT id, name, email FROM customers WHERE name = CONVERT(X'{hex}' USING utf8mb4) ORDER BY id")
    };
    conn.query_map(sql, |(id, name, email)| Customer { id, name, email })
}
