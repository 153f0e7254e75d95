//! A wrong answer to exercise 09: it sorts the errors right and gives up after 4
//! attempts, but tries again at once, without waiting in between.

use mysql::{Conn, Opts};
pub use sol09_errors::*;

/// Connects, trying 4 times in a row.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut attempt = 1;
    loop {
        match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) if !no_server_answered(&error) => return Err(refused(error)),
            Err(last) if attempt == ATTEMPTS => {
                return Err(AddError::Unreachable { attempts: attempt, last })
            }
            Err(_) => attempt += 1, // the mistake: no sleep before the next attempt
        }
    }
}
