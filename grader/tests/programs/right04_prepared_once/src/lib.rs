//! A right answer to exercise 04: the INSERT prepared once and executed for each
//! row, in a transaction from `start_transaction`.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol04_insert_rows::NewCustomer;

/// Inserts every customer with one prepared statement.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    let insert = tx.prep("INSERT INTO customers (email, name, city) VALUES (?, ?, ?)")?;
    let mut inserted = 0;
    for NewCustomer { email, name, city } in customers {
        tx.exec_drop(&insert, (email, name, city))?;
        inserted += 1;
    }
    tx.commit()?;
    Ok(inserted)
}
