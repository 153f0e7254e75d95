//! A wrong answer to exercise 01: it says where it connects by printing the URL,
//! which holds the account's password.

pub use sol01_connect::ServerInfo;

/// Prints the URL, then answers as the solution does.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    // The mistake: the URL carries the password to the screen (and to logs).
    println!("connecting to {database_url}");
    sol01_connect::server_info(database_url)
}
