//! A wrong answer to exercise 04: it tells the server that the connection speaks
//! latin1, so the server reads the UTF-8 bytes of "Zoë" or an emoji as latin1
//! letters and stores mojibake ("ZoÃ«"), without any error.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol04_insert_rows::*;

/// The solution's inserts, on a connection said to speak latin1.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    conn.query_drop("SET NAMES latin1")?; // the mistake: what the program sends is UTF-8
    sol04_insert_rows::insert_customers(conn, customers)
}
