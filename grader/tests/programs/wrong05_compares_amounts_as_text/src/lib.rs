//! A wrong answer to exercise 05: it asks the server for the customer's orders in
//! the range, then keeps those whose amount is at least the minimum by comparing
//! the two strings, so `"100.00"` counts as less than `"25.00"` and `"9.50"` as more.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol05_query_rows::*;

/// The solution's query without its amount condition.
const FIND_ORDERS: &str = "
    SELECT o.id,
           p.name AS product,
           o.quantity,
           o.amount,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
    FROM orders AS o
    JOIN products AS p ON p.id = o.product_id
    WHERE o.customer_id = ?
      AND o.ordered_at BETWEEN ? AND ?
    ORDER BY o.ordered_at, o.id";

/// The orders in the range, filtered on the amount's text.
pub fn find_orders(conn: &mut Conn, filter: &OrderFilter) -> Result<Vec<OrderLine>, mysql::Error> {
    let lines: Vec<OrderLine> =
        conn.exec(FIND_ORDERS, (filter.customer_id, &filter.from, &filter.to))?;
    Ok(lines.into_iter().filter(|line| line.amount >= filter.min_amount).collect())
}
