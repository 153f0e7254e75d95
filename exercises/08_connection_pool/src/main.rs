// The program of exercise 08. This file is given: it opens your pool (`open_pool` in
// src/lib.rs), looks up every customer id given as an argument from WORKERS threads at
// once (`find_customer`), and prints one line per id, in the order of the arguments:
//     ID<TAB>NAME<TAB>EMAIL     for a customer that exists
//     ID<TAB>not found          for an id that no customer has
//
// The grader runs it for you (`cargo grader check 08`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex08_connection_pool -- 3 1 4 1 5

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use ex08_connection_pool::Customer;

/// Threads that look customers up at the same time: more than the pool's
/// connections, so some of them wait for a connection to come back.
const WORKERS: usize = 8;

// ANCHOR: main
fn main() -> ExitCode {
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let ids: Result<Vec<u32>, _> = std::env::args().skip(1).map(|arg| arg.parse::<u32>()).collect();
    let Ok(ids) = ids else {
        eprintln!("error: every argument must be a customer id (a whole number), such as 3 1 4");
        return ExitCode::from(2);
    };
    let customers =
        ex08_connection_pool::open_pool(&database_url).and_then(|pool| look_up_all(&pool, &ids));
    match customers {
        Ok(customers) => {
            for (id, customer) in ids.iter().zip(customers) {
                match customer {
                    Some(Customer { name, email }) => println!("{id}\t{name}\t{email}"),
                    None => println!("{id}\tnot found"),
                }
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Looks up every id, WORKERS at a time, all through the one `pool`; the answers
/// come back in the order of `ids`.
fn look_up_all(pool: &mysql::Pool, ids: &[u32]) -> Result<Vec<Option<Customer>>, mysql::Error> {
    let next = AtomicUsize::new(0);
    let mut answers: Vec<Option<Customer>> = vec![None; ids.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> =
            (0..WORKERS).map(|_| scope.spawn(|| look_up_next(pool, ids, &next))).collect();
        for worker in workers {
            let found = worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            for (index, customer) in found {
                answers[index] = customer;
            }
        }
        Ok(answers)
    })
}

/// What one worker found: each answer with the index of its id.
type Found = Vec<(usize, Option<Customer>)>;

/// One worker: takes the next id that no worker has taken yet, until none is left.
fn look_up_next(
    pool: &mysql::Pool,
    ids: &[u32],
    next: &AtomicUsize,
) -> Result<Found, mysql::Error> {
    let mut found = Vec::new();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(&id) = ids.get(index) else {
            return Ok(found);
        };
        found.push((index, ex08_connection_pool::find_customer(pool, id)?));
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
