//! Reference solution to exercise 02: list the databases this connection can see.

use mysql::prelude::Queryable;
use mysql::Conn;

// ANCHOR: solution
/// Returns the name of every database the server shows this connection, in the server's order.
pub fn database_names(conn: &mut Conn) -> Result<Vec<String>, mysql::Error> {
    conn.query("SHOW DATABASES")
}
// ANCHOR_END: solution
