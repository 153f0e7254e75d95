//! A wrong answer to exercise 06: it escapes quotes by hand, doubling each `'`. That
//! finds O'Brien, but a backslash before a quote (`\' OR 1=1 -- `) escapes the first
//! of the two quotes and lets the second one end the string.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::*;

/// Doubles every `'`, then builds the SQL with `format!`.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    let escaped = name.replace('\'', "''"); // the mistake: a backslash still escapes
    let sql = format!("SELECT id, name, email FROM customers WHERE name = '{escaped}' ORDER BY id");
    conn.query_map(sql, |(id, name, email)| Customer { id, name, email })
}
