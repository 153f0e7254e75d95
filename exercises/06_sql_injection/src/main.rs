// The program of exercise 06. This file is given: it connects with DATABASE_URL,
// searches the customers for the name given as its only argument with
// `customers_named` from src/lib.rs (your part), and prints one customer per line:
// id, name and e-mail, separated by tabs.
//
// The grader runs it for you (`cargo grader check 06`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex06_sql_injection -- "Ana Silva"

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(name), None) = (args.next(), args.next()) else {
        eprintln!("usage: ex06_sql_injection NAME (one argument: quote a name with spaces)");
        return ExitCode::from(2);
    };
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let found = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| ex06_sql_injection::customers_named(&mut conn, &name));
    match found {
        Ok(customers) => {
            for customer in customers {
                println!("{}\t{}\t{}", customer.id, customer.name, customer.email);
            }
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
