//! Reference solution to exercise 12: the search of exercise 05 again, with a second
//! client library: sqlx, an async SQL toolkit.

use serde::Serialize;
use sqlx::MySqlPool;

/// Which orders to find: one customer's orders of at least `min_amount`, placed
/// between `from` and `to`, both included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFilter {
    /// The customer's id.
    pub customer_id: u32,
    /// The smallest amount to include, as a decimal with two places: `25.00`.
    pub min_amount: String,
    /// The earliest time to include, `YYYY-MM-DD HH:MM:SS`.
    pub from: String,
    /// The latest time to include, `YYYY-MM-DD HH:MM:SS`.
    pub to: String,
}

/// One order as the program prints it. sqlx's `FromRow` fills each field from the
/// result column of the same name, and checks its SQL type first.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct OrderLine {
    /// The order's id.
    pub id: u32,
    /// The name of the product ordered.
    pub product: String,
    /// How many.
    pub quantity: u32,
    /// The order's amount, as the server prints a DECIMAL: `25.98`.
    pub amount: String,
    /// When it was placed, `YYYY-MM-DD HH:MM:SS`.
    pub ordered_at: String,
}

// ANCHOR: solution
/// The query of exercise 05. sqlx decodes a column into a `String` only if its SQL type
/// is text, so the amount is cast to text too.
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
    ORDER BY o.ordered_at, o.id";

/// Returns the orders that match `filter`, oldest first (orders placed at the same
/// time by id), with the product's name.
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
// ANCHOR_END: solution
