// The program of exercise 04. This file is given: it reads the CSV file named by its
// argument, connects with DATABASE_URL, calls `insert_customers` from src/lib.rs (your
// part) and says how many customers it loaded.
//
// The grader runs it for you (`cargo grader check 04`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' \
//         cargo run -p ex04_insert_rows -- customers.csv

use std::process::ExitCode;

use ex04_insert_rows::NewCustomer;

/// How the file writes NULL, as MySQL's own `LOAD DATA` and `mysqldump --tab` do.
const NULL: &str = r"\N";

// ANCHOR: main
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path] = args.as_slice() else {
        eprintln!("usage: ex04_insert_rows CSV_FILE  (with a header line email,name,city)");
        return ExitCode::from(2);
    };
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let customers = match read_customers(path) {
        Ok(customers) => customers,
        Err(error) => {
            eprintln!("error: cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let loaded = mysql::Opts::from_url(&database_url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| ex04_insert_rows::insert_customers(&mut conn, &customers));
    match loaded {
        Ok(count) => {
            println!("loaded {count} customers");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the rows after the header `email,name,city`; a city of `\N` is NULL.
fn read_customers(path: &str) -> Result<Vec<NewCustomer>, csv::Error> {
    let mut reader = csv::Reader::from_path(path)?;
    reader
        .deserialize()
        .map(|record| {
            let (email, name, city): (String, String, String) = record?;
            Ok(NewCustomer { email, name, city: (city != NULL).then_some(city) })
        })
        .collect()
}
// ANCHOR_END: main

/// `url` with `prefer_socket=false`: the grader's URL is plain, for any client, and
/// without this option the `mysql` crate moves a connection to 127.0.0.1 onto the
/// Unix socket the server names, which on your machine may be another server's.
fn tcp_only(url: String) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}prefer_socket=false")
}
