//! A wrong answer to exercise 12, written with sqlx: it compares the time with > where
//! the range includes its start, so an order placed exactly at FROM is left out.

pub use sol12_second_client::*;
use sqlx::MySqlPool;

/// The solution's query, with `o.ordered_at > ? AND o.ordered_at <= ?` where it says
/// `o.ordered_at BETWEEN ? AND ?`.
const FIND_ORDERS: &str = "
    SELECT o.id,
           p.name AS product,
           o.quantity,
           CAST(o.amount AS CHAR) AS amount,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
    FROM orders AS o
    JOIN products AS p ON p.id = o.product_id
    WHERE o.customer_id = ?
      AND o.amount >= ?
      AND o.ordered_at > ? AND o.ordered_at <= ?
    ORDER BY o.ordered_at, o.id";

/// The solution's `find_orders`, with the query above.
pub async fn find_orders(
    pool: &MySqlPool,
    filter: &OrderFilter,
) -> Result<Vec<OrderLine>, sqlx::Error> {
    sqlx::query_as(FIND_ORDERS)
        .bind(filter.customer_id)
        .bind(&filter.min_amount)
        .bind(&filter.from)
        .bind(&filter.to)
        .fetch_all(pool)
        .await
}
