//! A right answer to exercise 12, written otherwise than the reference: `sqlx::query`
//! with the rows read column by column through `Row::try_get`, and the range written
//! with `>=` and `<=`.

pub use sol12_second_client::{OrderFilter, OrderLine};
use sqlx::mysql::MySqlRow;
use sqlx::{MySqlPool, Row};

const FIND_ORDERS: &str = "
    SELECT o.id, p.name, o.quantity, CAST(o.amount AS CHAR) AS amount_text,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS placed
    FROM orders o, products p
    WHERE p.id = o.product_id
      AND o.customer_id = ?
      AND o.amount >= ?
      AND o.ordered_at >= ?
      AND o.ordered_at <= ?
    ORDER BY o.ordered_at ASC, o.id ASC";

/// Turns one row into an `OrderLine`, by column name.
fn order_line(row: &MySqlRow) -> Result<OrderLine, sqlx::Error> {
    Ok(OrderLine {
        id: row.try_get("id")?,
        product: row.try_get("name")?,
        quantity: row.try_get("quantity")?,
        amount: row.try_get("amount_text")?,
        ordered_at: row.try_get("placed")?,
    })
}

/// The orders that match `filter`, oldest first, ties by id.
pub async fn find_orders(
    pool: &MySqlPool,
    filter: &OrderFilter,
) -> Result<Vec<OrderLine>, sqlx::Error> {
    let rows = sqlx::query(FIND_ORDERS)
        .bind(filter.customer_id)
        .bind(&filter.min_amount)
        .bind(&filter.from)
        .bind(&filter.to)
        .fetch_all(pool)
        .await?;
    rows.iter().map(order_line).collect()
}
