// The program of exercise 01. This file is given: it reads DATABASE_URL, calls
// `server_info` from src/lib.rs (your part) and prints what it returns.
//
// The grader runs it for you (`cargo grader check 01`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB?prefer_socket=false' cargo run -p ex01_connect

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let Ok(database_url) = std::env::var("DATABASE_URL") else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    match ex01_connect::server_info(&database_url) {
        Ok(info) => {
            println!("server version: {}", info.version);
            println!("connected as: {}", info.account);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
