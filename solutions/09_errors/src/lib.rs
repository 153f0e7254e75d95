//! Reference solution to exercise 09: turn server errors into clear outcomes.

use std::fmt;
use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, DriverError, Opts};

/// How many times [`connect`] tries to reach the server before it gives up.
pub const ATTEMPTS: u32 = 4;

/// How long [`connect`] waits after the first failed attempt. Each later wait is
/// twice the one before: 100 ms, 200 ms, 400 ms.
pub const FIRST_WAIT: Duration = Duration::from_millis(100);

/// Server error 1062: a row with this value of a unique key exists already.
pub const ER_DUP_ENTRY: u16 = 1062;

/// Server error 1045: wrong user name or password.
pub const ER_ACCESS_DENIED_ERROR: u16 = 1045;

/// Server error 1044: the account may not use this database.
pub const ER_DBACCESS_DENIED_ERROR: u16 = 1044;

/// What can go wrong when adding a customer, in words the user can act on.
#[derive(Debug)]
pub enum AddError {
    /// A customer with this e-mail address exists already (server error 1062).
    DuplicateEmail(String),
    /// The server refused the account (1045 or 1044); holds the server's message.
    AccessDenied(String),
    /// No server answered, not even after trying `attempts` times.
    Unreachable {
        /// How many times the program tried.
        attempts: u32,
        /// The error of the last attempt.
        last: mysql::Error,
    },
    /// Anything else.
    Other(mysql::Error),
}

impl AddError {
    /// The exit code the program ends with for this outcome.
    pub fn exit_code(&self) -> u8 {
        match self {
            AddError::DuplicateEmail(_) => 3,
            AddError::AccessDenied(_) => 4,
            AddError::Unreachable { .. } => 5,
            AddError::Other(_) => 1,
        }
    }
}

impl fmt::Display for AddError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::DuplicateEmail(email) => {
                write!(f, "a customer with the e-mail address {email} exists already")
            }
            AddError::AccessDenied(message) => {
                write!(f, "the server refused the account: {message}")
            }
            AddError::Unreachable { attempts, last } => {
                write!(f, "no server answered after {attempts} attempts: {last}")
            }
            AddError::Other(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for AddError {}

// ANCHOR: solution
/// Opens a connection with `opts`. While no server answers, tries again: [`ATTEMPTS`]
/// times in all, waiting [`FIRST_WAIT`] after the first failure and twice as long
/// after each one that follows. Any other error ends it at once.
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

/// Adds a customer with this e-mail address and name; returns the new customer's id.
pub fn add_customer(conn: &mut Conn, email: &str, name: &str) -> Result<u64, AddError> {
    match conn.exec_drop("INSERT INTO customers (email, name) VALUES (?, ?)", (email, name)) {
        Ok(()) => Ok(conn.last_insert_id()),
        Err(mysql::Error::MySqlError(error)) if error.code == ER_DUP_ENTRY => {
            Err(AddError::DuplicateEmail(email.to_string()))
        }
        Err(error) => Err(AddError::Other(error)),
    }
}

/// Whether `error` means that no server took part: the connection was refused,
/// timed out, or closed before the server's greeting.
pub fn no_server_answered(error: &mysql::Error) -> bool {
    matches!(
        error,
        mysql::Error::IoError(_)
            | mysql::Error::DriverError(
                DriverError::CouldNotConnect(_) | DriverError::ConnectTimeout
            )
    )
}

/// Sorts an error the server sent while we logged in.
pub fn refused(error: mysql::Error) -> AddError {
    match error {
        mysql::Error::MySqlError(error)
            if error.code == ER_ACCESS_DENIED_ERROR || error.code == ER_DBACCESS_DENIED_ERROR =>
        {
            AddError::AccessDenied(error.message)
        }
        error => AddError::Other(error),
    }
}
// ANCHOR_END: solution
