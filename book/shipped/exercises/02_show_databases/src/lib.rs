//! Exercise 02: list the databases this connection can see.
//!
//! The task is in README.md beside this folder. Replace the `todo!()` below,
//! then check your work with `cargo grader check 02`.

use mysql::Conn;

// ANCHOR: stub
/// Returns the name of every database the server shows this connection, in the server's order.
pub fn database_names(conn: &mut Conn) -> Result<Vec<String>, mysql::Error> {
    let _ = conn; // delete this line when you use `conn`
    todo!("ask the server for its databases with SHOW DATABASES")
}
// ANCHOR_END: stub
