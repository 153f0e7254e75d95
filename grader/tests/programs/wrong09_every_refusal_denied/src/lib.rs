//! A wrong answer to exercise 09: every error the server sends while the program
//! logs in is taken for an access denied, an unknown database too.

use mysql::{Conn, Opts};
pub use sol09_errors::{
    add_customer, no_server_answered, AddError, ATTEMPTS, ER_ACCESS_DENIED_ERROR,
    ER_DBACCESS_DENIED_ERROR, ER_DUP_ENTRY, FIRST_WAIT,
};

/// The solution's `connect`, with the `refused` below.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut wait = FIRST_WAIT;
    let mut attempt = 1;
    loop {
        match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) if !no_server_answered(&error) => return Err(refused(error)),
            Err(last) if attempt == ATTEMPTS => {
                return Err(AddError::Unreachable { attempts: attempt, last })
            }
            Err(_) => {
                std::thread::sleep(wait);
                wait *= 2;
                attempt += 1;
            }
        }
    }
}

/// Any server error at login is an access denied: the mistake.
pub fn refused(error: mysql::Error) -> AddError {
    match error {
        mysql::Error::MySqlError(error) => AddError::AccessDenied(error.message),
        error => AddError::Other(error),
    }
}
