//! Exercise 01: connect to a MySQL server and ask it who you are.
//!
//! The task is in README.md beside this folder. Replace the `todo!()` below,
//! then check your work with `cargo grader check 01`.

// ANCHOR: server_info
/// What the server says about itself and about this connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The server's version, as `SELECT VERSION()` returns it.
    pub version: String,
    /// The account the server let you in as, `user@host`, as `SELECT CURRENT_USER()` returns it.
    pub account: String,
}
// ANCHOR_END: server_info

// ANCHOR: stub
/// Connects to the server at `database_url` and asks it for its version and your account.
///
/// A wrong password or an unreachable server is returned as an `Err`, never unwrapped:
/// `main` prints it and exits with a non-zero code.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    let _ = database_url; // delete this line when you use `database_url`
    todo!("open a connection with `database_url`, then ask for VERSION() and CURRENT_USER()")
}
// ANCHOR_END: stub
