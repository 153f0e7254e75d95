// The program of exercise 09. This file is given: it reads an e-mail address and a
// name, connects with DATABASE_URL through `connect` from src/lib.rs (your part),
// adds the customer with `add_customer`, and prints `added customer ID`. When
// something goes wrong it prints `error: ` and the outcome's message to stderr, and
// exits with the outcome's code: 3 e-mail taken, 4 access denied, 5 no server, 1
// anything else (2 for a mistake in how it was called).
//
// The grader runs it for you (`cargo grader check 09`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex09_errors -- ana@example.com "Ana Silva"

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [email, name] = args.as_slice() else {
        eprintln!("usage: ex09_errors EMAIL NAME");
        return ExitCode::from(2);
    };
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let opts = match mysql::Opts::from_url(&database_url) {
        Ok(opts) => opts,
        Err(error) => {
            eprintln!("error: DATABASE_URL is not a valid URL: {error}");
            return ExitCode::from(2);
        }
    };
    let added = ex09_errors::connect(opts)
        .and_then(|mut conn| ex09_errors::add_customer(&mut conn, email, name));
    match added {
        Ok(id) => {
            println!("added customer {id}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
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
