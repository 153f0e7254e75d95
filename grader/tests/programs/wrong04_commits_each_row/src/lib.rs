//! A wrong answer to exercise 04: it commits each row on its own, and when a row
//! fails it deletes the rows it inserted by hand. The table ends up right; the rows
//! were never one transaction (another session saw them come and go).

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol04_insert_rows::*;

/// Inserts and commits row by row; on an error, deletes what it inserted.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    let mut inserted = Vec::new();
    for customer in customers {
        let mut tx = conn.start_transaction(TxOpts::default())?;
        let result = tx.exec_drop(
            "INSERT INTO customers (email, name, city) VALUES (?, ?, ?)",
            (&customer.email, &customer.name, &customer.city),
        );
        if let Err(error) = result {
            drop(tx);
            // The mistake: undoing by hand what a transaction would have undone.
            for email in &inserted {
                conn.exec_drop("DELETE FROM customers WHERE email = ?", (email,))?;
            }
            return Err(error);
        }
        tx.commit()?;
        inserted.push(customer.email.clone());
    }
    Ok(customers.len())
}
