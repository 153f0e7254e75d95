// The program of exercise 05. This file is given: it reads the filter from its
// arguments, connects with DATABASE_URL, calls `find_orders` from src/lib.rs (your
// part) and prints each order as one line of JSON.
//
// The grader runs it for you (`cargo grader check 05`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' \
//         cargo run -p ex05_query_rows -- 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'

use std::process::ExitCode;

use ex05_query_rows::OrderFilter;

const USAGE: &str = "usage: ex05_query_rows CUSTOMER_ID MIN_AMOUNT FROM TO\n\
    for example: ex05_query_rows 42 25.00 '2026-03-01 00:00:00' '2026-03-31 23:59:59'";

// ANCHOR: main
fn main() -> ExitCode {
    let Some(filter) = filter_from(std::env::args().skip(1)) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let orders = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| ex05_query_rows::find_orders(&mut conn, &filter));
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

/// `url` with `prefer_socket=false`: the grader's URL is plain, for any client, and
/// without this option the `mysql` crate moves a connection to 127.0.0.1 onto the
/// Unix socket the server names, which on your machine may be another server's.
fn tcp_only(url: String) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}prefer_socket=false")
}
