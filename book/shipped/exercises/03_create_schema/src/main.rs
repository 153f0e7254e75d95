// The program of exercise 03. This file is given: it connects with DATABASE_URL,
// calls `create_schema` from src/lib.rs (your part) and says when the tables are ready.
//
// The grader runs it for you (`cargo grader check 03`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex03_create_schema

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let created = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| ex03_create_schema::create_schema(&mut conn));
    match created {
        Ok(()) => {
            println!("the shop's tables are ready: customers, products, orders");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main

/// `url` with `prefer_socket=false`: the grader's URL is plain, for any client, and
/// without this option the `mysql` crate moves a connection to 127.0.0.1 onto the
/// Unix socket the server names, which on your machine may be another server's.
fn tcp_only(url: String) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}prefer_socket=false")
}
