//! A wrong answer to exercise 02: it keeps `information_schema` and the databases
//! whose names start like its own database's (`grNN_`), taking the others for the
//! server's own; another database the account may read is left out.

use mysql::prelude::Queryable;
use mysql::Conn;

/// `SHOW DATABASES`, filtered by the prefix of the connection's own database.
pub fn database_names(conn: &mut Conn) -> Result<Vec<String>, mysql::Error> {
    let own: Option<String> = conn.query_first("SELECT DATABASE()")?.flatten();
    let own = own.unwrap_or_default();
    let prefix = own.split_inclusive('_').next().unwrap_or_default().to_string();
    let names: Vec<String> = conn.query("SHOW DATABASES")?;
    Ok(names
        .into_iter()
        .filter(|name| name == "information_schema" || name.starts_with(&prefix))
        .collect())
}
