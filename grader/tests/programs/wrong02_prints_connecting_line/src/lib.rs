//! A wrong answer to exercise 02: before the names, it prints where it connected,
//! the URL with its password, on standard output, where only the names belong.

use mysql::prelude::Queryable;
use mysql::Conn;

/// `SHOW DATABASES`, after a progress line on stdout.
pub fn database_names(conn: &mut Conn) -> Result<Vec<String>, mysql::Error> {
    println!("connected to {}", std::env::var("DATABASE_URL").unwrap_or_default());
    conn.query("SHOW DATABASES")
}
