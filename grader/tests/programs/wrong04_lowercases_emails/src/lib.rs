//! A wrong answer to exercise 04: it "normalises" the e-mail addresses to lower
//! case before storing them, so the table no longer says what the file says.

use mysql::Conn;
pub use sol04_insert_rows::NewCustomer;

/// Inserts the rows as the solution does, the addresses lower-cased.
pub fn insert_customers(conn: &mut Conn, customers: &[NewCustomer]) -> Result<usize, mysql::Error> {
    // The mistake: a value changed on its way into the table.
    let lowered: Vec<NewCustomer> = customers
        .iter()
        .map(|c| NewCustomer { email: c.email.to_lowercase(), ..c.clone() })
        .collect();
    sol04_insert_rows::insert_customers(conn, &lowered)
}
