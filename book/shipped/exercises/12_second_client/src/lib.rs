//! Exercise 12: the search of exercise 05 again, with a second client library: sqlx,
//! an async SQL toolkit.
//!
//! The task is in README.md beside this folder. Replace the `todo!()` below,
//! then check your work with `cargo grader check 12`.

use serde::Serialize;
use sqlx::MySqlPool;

// ANCHOR: types
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
// ANCHOR_END: types

// ANCHOR: stub
/// Returns the orders that match `filter`, oldest first (orders placed at the same
/// time by id), with the product's name.
pub async fn find_orders(
    pool: &MySqlPool,
    filter: &OrderFilter,
) -> Result<Vec<OrderLine>, sqlx::Error> {
    let _ = (pool, filter); // delete this line when you use `pool` and `filter`
    todo!("build the query with sqlx::query_as, .bind() each value of the filter, then .fetch_all(pool).await")
}
// ANCHOR_END: stub
