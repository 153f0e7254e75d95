//! A wrong answer to exercise 04: it pastes the values into the SQL text between
//! quotes, so a name like O'Brien ends the string early, and a backslash starts an
//! escape.

use std::process::ExitCode;

use mysql::prelude::Queryable as _;
use mysql::TxOpts;

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
    let mut tx = conn.start_transaction(TxOpts::default())?;
    for (email, name, city) in customers {
        let city = city.as_ref().map_or("NULL".to_string(), |city| format!("'{city}'"));
        tx.query_drop(format!(
            "INSERT INTO customers (email, name, city) VALUES ('{email}', '{name}', {city})"
        ))?;
    }
    tx.commit()?;
    Ok(customers.len())
}
