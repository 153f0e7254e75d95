//! A wrong answer to exercise 05: it sorts by the time the order was placed and
//! nothing else, so orders placed at the same second come in whatever order the
//! server happens to read them.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol05_query_rows::*;

/// The solution's query, with `ORDER BY o.ordered_at` and no tie-break.
const FIND_ORDERS: &str = "
    SELECT o.id,
           p.name AS product,
           o.quantity,
           o.amount,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
    FROM orders AS o
    JOIN products AS p ON p.id = o.product_id
    WHERE o.customer_id = ?
      AND o.amount >= ?
      AND o.ordered_at BETWEEN ? AND ?
    ORDER BY o.ordered_at";

/// The solution's `find_orders`, with the query above.
pub fn find_orders(conn: &mut Conn, filter: &OrderFilter) -> Result<Vec<OrderLine>, mysql::Error> {
    conn.exec(FIND_ORDERS, (filter.customer_id, &filter.min_amount, &filter.from, &filter.to))
}
