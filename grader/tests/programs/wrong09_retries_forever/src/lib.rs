//! A wrong answer to exercise 09: it sorts the errors right, but while no server
//! answers it keeps trying, with waits that grow to 400 ms, and never gives up.

use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, DriverError, Opts};
pub use scaffold::{AddError, FIRST_WAIT};

/// Connects, trying again for as long as it takes.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut wait = FIRST_WAIT;
    loop {
        match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) if !no_server_answered(&error) => return Err(refused(error)),
            Err(_) => {
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_millis(400));
            }
        }
    }
}

/// Inserts the customer; a taken e-mail address is `DuplicateEmail`.
pub fn add_customer(conn: &mut Conn, email: &str, name: &str) -> Result<u64, AddError> {
    match conn.exec_drop("INSERT INTO customers (email, name) VALUES (?, ?)", (email, name)) {
        Ok(()) => Ok(conn.last_insert_id()),
        Err(mysql::Error::MySqlError(error)) if error.code == scaffold::ER_DUP_ENTRY => {
            Err(AddError::DuplicateEmail(email.to_string()))
        }
        Err(error) => Err(AddError::Other(error)),
    }
}

fn no_server_answered(error: &mysql::Error) -> bool {
    matches!(
        error,
        mysql::Error::IoError(_)
            | mysql::Error::DriverError(
                DriverError::CouldNotConnect(_) | DriverError::ConnectTimeout
            )
    )
}

fn refused(error: mysql::Error) -> AddError {
    match error {
        mysql::Error::MySqlError(error) if error.code == scaffold::ER_ACCESS_DENIED_ERROR => {
            AddError::AccessDenied(error.message)
        }
        error => AddError::Other(error),
    }
}
