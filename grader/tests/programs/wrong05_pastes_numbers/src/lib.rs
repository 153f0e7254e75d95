//! A wrong answer to exercise 05: it sends the customer id as a parameter but pastes
//! the amount and the dates into the SQL text, since "they are only numbers and
//! dates". The answers are right; the SQL it sends is not.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol05_query_rows::{OrderFilter, OrderLine};

/// Finds the orders, with the amount and the dates pasted into the SQL.
pub fn find_orders(conn: &mut Conn, filter: &OrderFilter) -> Result<Vec<OrderLine>, mysql::Error> {
    let sql = format!(
        "SELECT o.id, p.name AS product, o.quantity, o.amount,
                DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
         FROM orders AS o JOIN products AS p ON p.id = o.product_id
         WHERE o.customer_id = ? AND o.amount >= {} AND o.ordered_at BETWEEN '{}' AND '{}'
         ORDER BY o.ordered_at, o.id",
        filter.min_amount, filter.from, filter.to
    );
    conn.exec(sql, (filter.customer_id,))
}
