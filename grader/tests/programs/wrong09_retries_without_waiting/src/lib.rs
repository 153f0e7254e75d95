//! A wrong answer to exercise 09: it sorts the errors right and gives up after 4
//! attempts, but tries again at once, without waiting in between.

use mysql::{Conn, DriverError, Opts};
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

// The two helpers below are private in sol09_errors, so they are copied from it as
// they are there.

/// Whether `error` means that no server took part: the connection was refused,
/// timed out, or closed before the server's greeting.
fn no_server_answered(error: &mysql::Error) -> bool {
    matches!(
        error,
        mysql::Error::IoError(_)
            | mysql::Error::DriverError(
                DriverError::CouldNotConnect(_) | DriverError::ConnectTimeout
            )
    )
}

/// Sorts an error the server sent while we logged in.
fn refused(error: mysql::Error) -> AddError {
    match error {
        mysql::Error::MySqlError(error)
            if error.code == ER_ACCESS_DENIED_ERROR || error.code == ER_DBACCESS_DENIED_ERROR =>
        {
            AddError::AccessDenied(error.message)
        }
        error => AddError::Other(error),
    }
}
