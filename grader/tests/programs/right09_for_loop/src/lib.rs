//! A right answer to exercise 09, written differently from the reference: a `for`
//! loop over the attempts with the wait computed from the attempt's number, the
//! server's error codes matched in one place, and the new id read from the
//! statement's result.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
pub use sol09_errors::{
    no_server_answered, AddError, ATTEMPTS, ER_ACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR,
    ER_DUP_ENTRY, FIRST_WAIT,
};

/// Connects, trying [`ATTEMPTS`] times while no server answers.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut last = None;
    for attempt in 1..=ATTEMPTS {
        if attempt > 1 {
            std::thread::sleep(FIRST_WAIT * 2u32.pow(attempt - 2));
        }
        match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) if no_server_answered(&error) => last = Some(error),
            Err(error) => return Err(refused(error)),
        }
    }
    let last = last.unwrap_or(mysql::Error::DriverError(mysql::DriverError::ConnectTimeout));
    Err(AddError::Unreachable { attempts: ATTEMPTS, last })
}

/// Adds the customer; its id comes from the statement's own result.
pub fn add_customer(conn: &mut Conn, email: &str, name: &str) -> Result<u64, AddError> {
    let result = conn.exec_iter("INSERT INTO customers (email, name) VALUES (?, ?)", (email, name));
    match result {
        Ok(result) => Ok(result.last_insert_id().unwrap_or_default()),
        Err(error) => Err(match code(&error) {
            Some(ER_DUP_ENTRY) => AddError::DuplicateEmail(email.to_string()),
            _ => AddError::Other(error),
        }),
    }
}

/// Sorts an error the server sent while we logged in.
pub fn refused(error: mysql::Error) -> AddError {
    match code(&error) {
        Some(ER_ACCESS_DENIED_ERROR | ER_DBACCESS_DENIED_ERROR) => {
            AddError::AccessDenied(error.to_string())
        }
        _ => AddError::Other(error),
    }
}

/// The server's error code, if the server sent the error.
fn code(error: &mysql::Error) -> Option<u16> {
    match error {
        mysql::Error::MySqlError(error) => Some(error.code),
        _ => None,
    }
}
