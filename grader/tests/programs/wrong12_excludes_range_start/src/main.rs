//! A wrong answer to exercise 12, written with sqlx: it compares the time with > where
//! the range includes its start, so an order placed exactly at FROM is left out.

use serde::Serialize;
use sqlx::MySqlPool;
use std::process::ExitCode;

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
      AND o.ordered_at > ? AND o.ordered_at <= ?
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

use sqlx::mysql::MySqlPoolOptions;

const USAGE: &str = "usage: wrong12 CUSTOMER_ID MIN_AMOUNT FROM TO\n\
    for example: wrong12 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(filter) = filter_from(std::env::args().skip(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(database_url) = std::env::var("DATABASE_URL") else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let pool = match MySqlPoolOptions::new().max_connections(1).connect(&database_url).await {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let orders = find_orders(&pool, &filter).await;
    pool.close().await;
    match orders {
        Ok(orders) => {
            for order in orders {
                let line = serde_json::to_string(&order).expect("an OrderLine is plain data");
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Reads `CUSTOMER_ID MIN_AMOUNT FROM TO`; `None` if they are not exactly that.
fn filter_from(mut args: impl Iterator<Item = String>) -> Option<OrderFilter> {
    let customer_id = args.next()?.parse().ok()?;
    let (min_amount, from, to) = (args.next()?, args.next()?, args.next()?);
    args.next().is_none().then_some(OrderFilter { customer_id, min_amount, from, to })
}
