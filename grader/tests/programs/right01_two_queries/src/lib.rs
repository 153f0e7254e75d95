//! A right answer to exercise 01: one prepared statement for each question.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
pub use sol01_connect::ServerInfo;

/// Asks for the version, then for the account.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    let mut conn = Conn::new(Opts::from_url(database_url)?)?;
    let version: Option<String> = conn.exec_first("SELECT VERSION()", ())?;
    let account: Option<String> = conn.exec_first("SELECT CURRENT_USER()", ())?;
    Ok(ServerInfo { version: version.unwrap_or_default(), account: account.unwrap_or_default() })
}
