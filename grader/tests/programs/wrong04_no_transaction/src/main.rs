//! A wrong answer to exercise 04: it inserts row by row without a transaction, each
//! row committed on its own, so when a row fails, the rows before it stay in the table.

use std::process::ExitCode;

use mysql::prelude::Queryable as _;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_default();
    let url = std::env::var("DATABASE_URL").unwrap_or_default();
    let loaded = read_customers(&path).map_err(|e| e.to_string()).and_then(|customers| {
        mysql::Opts::from_url(&url)
            .map_err(mysql::Error::from)
            .and_then(mysql::Conn::new)
            .and_then(|mut conn| insert_customers(&mut conn, &customers))
            .map_err(|e| e.to_string())
    });
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

/// `(email, name, city)`; a city of `\N` is NULL.
type Customer = (String, String, Option<String>);

fn read_customers(path: &str) -> Result<Vec<Customer>, csv::Error> {
    let mut reader = csv::Reader::from_path(path)?;
    reader
        .deserialize()
        .map(|record| {
            let (email, name, city): (String, String, String) = record?;
            Ok((email, name, (city != r"\N").then_some(city)))
        })
        .collect()
}

fn insert_customers(conn: &mut mysql::Conn, customers: &[Customer]) -> mysql::Result<usize> {
    for customer in customers {
        conn.exec_drop("INSERT INTO customers (email, name, city) VALUES (?, ?, ?)", customer)?;
    }
    Ok(customers.len())
}
