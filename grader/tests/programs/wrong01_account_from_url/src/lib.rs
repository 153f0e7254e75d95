//! A wrong answer to exercise 01: it asks the server for its version, but makes the
//! account up from the URL's user name and `%`, the host part of an account for any
//! host, instead of asking for `CURRENT_USER()`.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
pub use sol01_connect::ServerInfo;

/// Connects, asks for the version, and guesses the account.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    let opts = Opts::from_url(database_url)?;
    let user = opts.get_user().unwrap_or_default().to_string();
    let mut conn = Conn::new(opts)?;
    let version: String = conn.query_first("SELECT VERSION()")?.unwrap_or_default();
    // The mistake: the account is the server's to say, not the program's to guess.
    Ok(ServerInfo { version, account: format!("{user}@%") })
}
