//! A wrong answer to exercise 01: it prints a progress line of its own on stdout,
//! where the program's answer goes.

pub use sol01_connect::ServerInfo;

/// Says it is connecting, then answers as the solution does.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    // The mistake: a debugging line on stdout is part of the answer.
    println!("connecting…");
    sol01_connect::server_info(database_url)
}
