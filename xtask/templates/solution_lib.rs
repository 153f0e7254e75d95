//! Reference solution to exercise @NUMBER@: @TITLE@.

use mysql::prelude::Queryable as _;
use mysql::{Conn, Opts};

// TODO(new exercise): the reference answer to the task in exercises/@NAME@/README.md.
// ANCHOR: solution
/// Connects to the server at `database_url` and returns the server's version.
pub fn answer(database_url: &str) -> Result<String, mysql::Error> {
    let mut conn = Conn::new(Opts::from_url(database_url)?)?;
    let version: Option<String> = conn.query_first("SELECT VERSION()")?;
    Ok(version.unwrap_or_default())
}
// ANCHOR_END: solution
