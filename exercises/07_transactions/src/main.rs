// The program of exercise 07. This file is given: it reads two account ids and an
// amount in cents, connects with DATABASE_URL, calls `transfer` from src/lib.rs (your
// part), and prints `transferred AMOUNT cents from account FROM to account TO`. When
// the transfer does not happen it prints why to stderr and exits with 3 (insufficient
// funds), 4 (no such account) or 1 (any other error); 2 for a mistake in how it was
// called.
//
// The grader runs it for you (`cargo grader check 07`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex07_transactions -- 1 2 500

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [from, to, amount] => (from.parse::<u32>(), to.parse::<u32>(), amount.parse::<i64>()),
        _ => return usage("give three arguments"),
    };
    let (Ok(from), Ok(to), Ok(amount)) = parsed else {
        return usage("the account ids and the amount must be whole numbers");
    };
    if amount <= 0 || from == to {
        return usage("the amount must be more than 0, between two different accounts");
    }
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let done = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .map_err(ex07_transactions::TransferError::from)
        .and_then(|mut conn| ex07_transactions::transfer(&mut conn, from, to, amount));
    match done {
        Ok(()) => {
            println!("transferred {amount} cents from account {from} to account {to}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("usage: ex07_transactions FROM_ID TO_ID AMOUNT_IN_CENTS ({problem})");
    ExitCode::from(2)
}
// ANCHOR_END: main

/// `url` with `prefer_socket=false`: the grader's URL is plain, for any client, and
/// without this option the `mysql` crate moves a connection to 127.0.0.1 onto the
/// Unix socket the server names, which on your machine may be another server's.
fn tcp_only(url: String) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}prefer_socket=false")
}
