//! A wrong answer to exercise 04: it trims the spaces around each name before
//! storing it, so a name that ends in spaces is stored changed.

use mysql::Conn;
pub use sol04_insert_rows::NewCustomer;

/// Inserts the rows as the solution does, the names trimmed.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    // The mistake: tidying a value the file gave as it is.
    let trimmed: Vec<NewCustomer> = customers
        .iter()
        .map(|c| NewCustomer { name: c.name.trim().to_string(), ..c.clone() })
        .collect();
    sol04_insert_rows::insert_customers(conn, &trimmed)
}
