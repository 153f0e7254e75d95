//! Exercise 09: turn server errors into clear outcomes.
//!
//! The program adds a customer. What can go wrong is already named below
//! ([`AddError`], with its message and exit code); your part is to recognise each
//! case in the errors the `mysql` crate returns, and to try again, a bounded number
//! of times, when no server answers. The task is in README.md beside this folder;
//! check your work with `cargo grader check 09`.

use std::fmt;
use std::time::Duration;

use mysql::{Conn, Opts};

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

// ANCHOR: stub
/// Opens a connection with `opts`. While no server answers, tries again: [`ATTEMPTS`]
/// times in all, waiting [`FIRST_WAIT`] after the first failure and twice as long
/// after each one that follows. Any other error ends it at once.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let _ = opts; // delete this line when you use `opts`
    todo!("connect, sort the errors into AddError, and retry while no server answers")
}

/// Adds a customer with this e-mail address and name; returns the new customer's id.
pub fn add_customer(conn: &mut Conn, email: &str, name: &str) -> Result<u64, AddError> {
    let _ = (conn, email, name); // delete this line when you use them
    todo!("insert the customer with a prepared statement; a taken e-mail is DuplicateEmail")
}
// ANCHOR_END: stub
