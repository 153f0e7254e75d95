//! A right answer to exercise 05, written differently from the reference: the
//! statement is prepared with `conn.prep`, run with `exec_iter`, and its rows read
//! one by one with `from_row`; it sorts by column position, the formatted time
//! sorting as the time itself does.

use mysql::prelude::Queryable;
use mysql::{from_row, Conn};
pub use sol05_query_rows::{OrderFilter, OrderLine};

const FIND_ORDERS: &str = "
    SELECT o.id AS id, p.name AS product, o.quantity AS quantity, o.amount AS amount,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
    FROM orders o
    INNER JOIN products p ON o.product_id = p.id
    WHERE o.ordered_at BETWEEN ? AND ?
      AND o.customer_id = ?
      AND NOT o.amount < ?
    ORDER BY 5, 1";

/// The orders that match `filter`, oldest first, then by id.
pub fn find_orders(conn: &mut Conn, filter: &OrderFilter) -> Result<Vec<OrderLine>, mysql::Error> {
    let statement = conn.prep(FIND_ORDERS)?;
    let rows = conn.exec_iter(
        &statement,
        (&filter.from, &filter.to, filter.customer_id, &filter.min_amount),
    )?;
    let mut lines = Vec::new();
    for row in rows {
        let (id, product, quantity, amount, ordered_at) = from_row(row?);
        lines.push(OrderLine { id, product, quantity, amount, ordered_at });
    }
    Ok(lines)
}
