//! A right answer to exercise 04: the transaction said in SQL text (`START
//! TRANSACTION`, `COMMIT`, and `ROLLBACK` when a row fails), each row inserted with a
//! prepared statement.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol04_insert_rows::NewCustomer;

/// Inserts every customer in one transaction of its own making.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    conn.query_drop("START TRANSACTION")?;
    for customer in customers {
        let inserted = conn.exec_drop(
            "INSERT INTO customers (email, name, city) VALUES (?, ?, ?)",
            (&customer.email, &customer.name, &customer.city),
        );
        if let Err(error) = inserted {
            conn.query_drop("ROLLBACK")?;
            return Err(error);
        }
    }
    conn.query_drop("COMMIT")?;
    Ok(customers.len())
}
