// The program of exercise @NUMBER@. This file is given: it reads DATABASE_URL, calls
// `answer` from src/lib.rs (your part) and prints what it returns.
//
// The grader runs it for you (`cargo grader check @NUMBER@`); to run it by hand:
//     DATABASE_URL='mysql://USER:PASSWORD@127.0.0.1:3306/DB?prefer_socket=false' cargo run -p ex@NAME@

use std::process::ExitCode;

// ANCHOR: main
fn main() -> ExitCode {
    let Ok(database_url) = std::env::var("DATABASE_URL") else {
        eprintln!("error: DATABASE_URL is not set: give me mysql://USER:PASSWORD@HOST:PORT/DB, or let `cargo grader check` run me");
        return ExitCode::from(2);
    };
    match ex@NAME@::answer(&database_url) {
        Ok(answer) => {
            println!("{answer}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
