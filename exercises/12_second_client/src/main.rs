// The program of exercise 12. This file is given: it reads the filter from its
// arguments, opens a sqlx pool with DATABASE_URL, calls `find_orders` from src/lib.rs
// (your part) and prints each order as one line of JSON, as in exercise 05.
//
// The grader runs it for you (`cargo grader check 12`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' \
//         cargo run -p ex12_second_client -- 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'
// (sqlx always connects the way the URL says: unlike the `mysql` crate, it needs no
// `prefer_socket=false` to stay on TCP.)

use std::process::ExitCode;

use ex12_second_client::OrderFilter;
use sqlx::mysql::MySqlPoolOptions;

const USAGE: &str = "usage: ex12_second_client CUSTOMER_ID MIN_AMOUNT FROM TO\n\
    for example: ex12_second_client 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'";

// ANCHOR: main
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
    let orders = ex12_second_client::find_orders(&pool, &filter).await;
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
// ANCHOR_END: main
