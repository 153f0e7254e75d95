//! A wrong answer to exercise 12, written with sqlx: it sorts by time alone, so two
//! orders placed at the same instant come in whatever order the server reads them.

pub use sol12_second_client::*;
use sqlx::MySqlPool;

/// The solution's query, with `ORDER BY o.ordered_at` where it says `ORDER BY
/// o.ordered_at, o.id`.
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
      AND o.ordered_at BETWEEN ? AND ?
    ORDER BY o.ordered_at";

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
