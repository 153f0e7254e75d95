//! A wrong answer to exercise 09: it works while nothing goes wrong, and unwraps
//! every error, so a taken e-mail address or a wrong password ends in a panic.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
pub use sol09_errors::*;

/// Connects once, unwrapping the result.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    Ok(Conn::new(opts).unwrap()) // the mistake: a panic instead of an AddError
}

/// Inserts the customer, unwrapping the result.
pub fn add_customer(conn: &mut Conn, email: &str, name: &str) -> Result<u64, AddError> {
    // The mistake here too: a taken e-mail address is a panic, not AddError::DuplicateEmail.
    conn.exec_drop("INSERT INTO customers (email, name) VALUES (?, ?)", (email, name)).unwrap();
    Ok(conn.last_insert_id())
}
