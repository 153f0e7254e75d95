//! A wrong answer to exercise 05: it sorts the orders by id, not by the time they were
//! placed; ids often rise with time, but not always.

use mysql::prelude::{FromRow, Queryable};
use mysql::Conn;
use serde::Serialize;
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

/// One order as the program prints it. `FromRow` fills each field from the result
/// column of the same name.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
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

/// The query: one `?` per value, and one result column per field of `OrderLine`.
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
    ORDER BY o.id";

/// Returns the orders that match `filter`, oldest first (orders placed at the same
/// time by id), with the product's name.
pub fn find_orders(conn: &mut Conn, filter: &OrderFilter) -> Result<Vec<OrderLine>, mysql::Error> {
    conn.exec(FIND_ORDERS, (filter.customer_id, &filter.min_amount, &filter.from, &filter.to))
}

const USAGE: &str = "usage: wrong05 CUSTOMER_ID MIN_AMOUNT FROM TO\n\
    for example: wrong05 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'";

fn main() -> ExitCode {
    let Some(filter) = filter_from(std::env::args().skip(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(database_url) = std::env::var("DATABASE_URL") else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let orders = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| find_orders(&mut conn, &filter));
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
