//! A wrong answer to exercise 03: it runs the right statements but throws their
//! errors away, so the program says the tables are ready when the server refused
//! to create them.

use mysql::Conn;

/// Creates the tables as the solution does, and reports success whatever happened.
pub fn create_schema(conn: &mut Conn) -> Result<(), mysql::Error> {
    // The mistake: an error nobody reads.
    let _ = sol03_create_schema::create_schema(conn);
    Ok(())
}
