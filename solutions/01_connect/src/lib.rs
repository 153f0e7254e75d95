//! Reference solution to exercise 01: connect to a MySQL server and ask it who you are.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};

/// What the server says about itself and about this connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The server's version, as `SELECT VERSION()` returns it.
    pub version: String,
    /// The account the server let you in as, `user@host`, as `SELECT CURRENT_USER()` returns it.
    pub account: String,
}

// ANCHOR: solution
/// Connects to the server at `database_url` and asks it for its version and your account.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    let opts = Opts::from_url(database_url)?;
    let mut conn = Conn::new(opts)?;
    let (version, account): (String, String) = conn
        .query_first("SELECT VERSION(), CURRENT_USER()")?
        .expect("SELECT without FROM always returns one row");
    Ok(ServerInfo { version, account })
}
// ANCHOR_END: solution
