//! A right answer to exercise 02, written differently from the reference: it reads
//! the result of `SHOW DATABASES` row by row with `query_iter` and takes each row's
//! first column by position.

use mysql::prelude::Queryable;
use mysql::{from_value, Conn};

/// Every row of `SHOW DATABASES`, in the order the server sends them.
pub fn database_names(conn: &mut Conn) -> Result<Vec<String>, mysql::Error> {
    let mut names = Vec::new();
    for row in conn.query_iter("SHOW DATABASES")? {
        let mut row = row?;
        let name = row.take::<mysql::Value, _>(0).map(from_value::<String>).unwrap_or_default();
        names.push(name);
    }
    Ok(names)
}
