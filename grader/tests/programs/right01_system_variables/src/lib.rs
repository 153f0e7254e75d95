//! A right answer to exercise 01: the version from `@@version`, the account from
//! `CURRENT_USER` (no parentheses), through a pool.

use mysql::prelude::Queryable;
use mysql::{Opts, Pool};
pub use sol01_connect::ServerInfo;

/// Asks the server through a pool's connection.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    let pool = Pool::new(Opts::from_url(database_url)?)?;
    let mut conn = pool.get_conn()?;
    let row: Option<(String, String)> = conn.query_first("SELECT @@version, CURRENT_USER")?;
    let (version, account) = row.unwrap_or_default();
    Ok(ServerInfo { version, account })
}
