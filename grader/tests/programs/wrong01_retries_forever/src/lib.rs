//! A wrong answer to exercise 01: when the server does not answer, it tries again,
//! and again, forever, instead of reporting the error.

use std::time::Duration;

pub use sol01_connect::ServerInfo;

/// Answers as the solution does, retrying every error without end.
pub fn server_info(database_url: &str) -> Result<ServerInfo, mysql::Error> {
    loop {
        match sol01_connect::server_info(database_url) {
            Ok(info) => return Ok(info),
            // The mistake: a refused login or a closed port never ends the program.
            Err(mysql::Error::MySqlError(error)) => return Err(mysql::Error::MySqlError(error)),
            Err(_) => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}
