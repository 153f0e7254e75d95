//! A right answer to exercise 06, written differently from the reference: the
//! statement is prepared once with `prep`, run with `exec_iter`, and each row read
//! by column name.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol06_sql_injection::Customer;

/// Every customer whose name equals `name`, by ascending id.
pub fn customers_named(conn: &mut Conn, name: &str) -> Result<Vec<Customer>, mysql::Error> {
    let statement = conn
        .prep("SELECT c.email, c.name, c.id FROM customers c WHERE ? = c.name ORDER BY c.id ASC")?;
    let mut found = Vec::new();
    for row in conn.exec_iter(&statement, (name,))? {
        let row = row?;
        let field = |column: &str| row.get_opt::<String, _>(column).and_then(Result::ok);
        let id = row.get_opt::<u32, _>("id").and_then(Result::ok).unwrap_or_default();
        found.push(Customer {
            id,
            name: field("name").unwrap_or_default(),
            email: field("email").unwrap_or_default(),
        });
    }
    Ok(found)
}
