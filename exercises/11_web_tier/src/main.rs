// The program of exercise 11: a small web server that is itself a database client.
// This file is given. It opens your pool (`open_pool` in src/lib.rs), listens for HTTP
// on LISTEN_ADDR (127.0.0.1:8080 if unset; a port of 0 lets the system choose one),
// prints `listening on http://ADDRESS` as its first line, and answers every request
// from WORKERS threads with your `respond`, whose Reply it sends as JSON. It runs
// until it is stopped (Ctrl-C).
//
// The grader runs it for you (`cargo grader check 11`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB' cargo run -p ex11_web_tier
// and, in another terminal:
//     curl -i http://127.0.0.1:8080/databases

use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use ex11_web_tier::Reply;
use tiny_http::{Header, Request, Response, Server};

/// Threads that answer requests at the same time: more than the pool's connections.
const WORKERS: usize = 8;

// ANCHOR: main
fn main() -> ExitCode {
    let Ok(database_url) = std::env::var("DATABASE_URL").map(tcp_only) else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    let listen_addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let pool = match ex11_web_tier::open_pool(&database_url) {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let server = match Server::http(&listen_addr) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("error: cannot listen on {listen_addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on http://{}", server.server_addr());
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| {
                for request in server.incoming_requests() {
                    answer(request, &pool);
                }
            });
        }
    });
    ExitCode::SUCCESS
}

/// Answers one request with `respond`. A panic in `respond` becomes a 500 answer (its
/// message is on stderr), so that one bad request does not stop the server.
fn answer(request: Request, pool: &mysql::Pool) {
    let (method, url) = (request.method().to_string(), request.url().to_string());
    let reply =
        panic::catch_unwind(AssertUnwindSafe(|| ex11_web_tier::respond(pool, &method, &url)))
            .unwrap_or_else(|_| Reply::error(500, "the server panicked"));
    eprintln!("{method} {url} -> {}", reply.status);
    let json = Header::from_bytes("Content-Type", "application/json").expect("a valid header");
    let response = Response::from_string(reply.body.to_string())
        .with_status_code(reply.status)
        .with_header(json);
    if let Err(error) = request.respond(response) {
        eprintln!("error: cannot answer {method} {url}: {error}");
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
