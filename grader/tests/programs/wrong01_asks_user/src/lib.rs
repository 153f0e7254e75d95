//! A wrong answer to exercise 01: it asks the server for `USER()`, the name the
//! program gave and the address it came from, instead of `CURRENT_USER()`, the
//! account the server chose. The two agree only while the account is for exactly the
//! client's address.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
pub use sol01_connect::ServerInfo;

/// Connects and asks for the version and the wrong user function.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    let mut conn = Conn::new(Opts::from_url(database_url)?)?;
    // The mistake: USER() is who the program claimed to be, not the account.
    let (version, account): (String, String) =
        conn.query_first("SELECT VERSION(), USER()")?.unwrap_or_default();
    Ok(ServerInfo { version, account })
}
