//! A right answer to exercise 12, written otherwise than the reference: one
//! connection taken from the pool, the search run inside a transaction, the amount
//! compared with a DECIMAL cast of its parameter, and the order written with column
//! positions.

pub use sol12_second_client::{OrderFilter, OrderLine};
use sqlx::MySqlPool;

const FIND_ORDERS: &str = "
    SELECT o.id,
           p.name AS product,
           o.quantity,
           CAST(o.amount AS CHAR) AS amount,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
    FROM orders AS o
    INNER JOIN products AS p ON o.product_id = p.id
    WHERE o.customer_id = ?
      AND o.amount >= CAST(? AS DECIMAL(12, 2))
      AND o.ordered_at BETWEEN ? AND ?
    ORDER BY 5, 1";

/// The orders that match `filter`, oldest first, ties by id.
pub async fn find_orders(
    pool: &MySqlPool,
    filter: &OrderFilter,
) -> Result<Vec<OrderLine>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let orders = sqlx::query_as::<_, OrderLine>(FIND_ORDERS)
        .bind(filter.customer_id)
        .bind(&filter.min_amount)
        .bind(&filter.from)
        .bind(&filter.to)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(orders)
}
