//! A wrong answer to exercise 12, written with sqlx: it writes the customer id and the
//! minimum amount into the SQL text with `format!`, binding only the times.

pub use sol12_second_client::*;
use sqlx::MySqlPool;

/// The solution's query, with the first two values written into it.
const FIND_ORDERS: &str = "
    SELECT o.id,
           p.name AS product,
           o.quantity,
           CAST(o.amount AS CHAR) AS amount,
           DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at
    FROM orders AS o
    JOIN products AS p ON p.id = o.product_id
    WHERE o.customer_id = {customer_id}
      AND o.amount >= {min_amount}
      AND o.ordered_at BETWEEN ? AND ?
    ORDER BY o.ordered_at, o.id";

/// The solution's `find_orders`, with the query above.
pub async fn find_orders(
    pool: &MySqlPool,
    filter: &OrderFilter,
) -> Result<Vec<OrderLine>, sqlx::Error> {
    // The mistake: values pasted into the SQL text instead of bound.
    let sql = FIND_ORDERS
        .replace("{customer_id}", &filter.customer_id.to_string())
        .replace("{min_amount}", &filter.min_amount);
    sqlx::query_as(&sql).bind(&filter.from).bind(&filter.to).fetch_all(pool).await
}
