// The program of exercise 02. This file is given: it connects with DATABASE_URL,
// calls `database_names` from src/lib.rs (your part) and prints one name per line.
//
// The grader runs it for you (`cargo grader check 02`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex02_show_databases

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let names = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| ex02_show_databases::database_names(&mut conn));
    match names {
        Ok(names) => {
            for name in names {
                println!("{name}");
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
