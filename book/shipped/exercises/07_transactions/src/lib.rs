//! Exercise 07: move money in a transaction, safely under concurrency.
//!
//! The task is in README.md beside this folder. Replace the `todo!()` below, then
//! check your work with `cargo grader check 07`.

use std::fmt;

use mysql::Conn;

/// Why a transfer did not happen. Whatever the reason, no balance changed.
#[derive(Debug)]
pub enum TransferError {
    /// The paying account has less than the amount; holds its balance in cents.
    InsufficientFunds {
        /// The paying account's balance, in cents.
        balance: i64,
    },
    /// No account has this id.
    NoSuchAccount(u32),
    /// The server reported an error.
    Sql(mysql::Error),
}

impl TransferError {
    /// The exit code the program ends with for this outcome.
    pub fn exit_code(&self) -> u8 {
        match self {
            TransferError::InsufficientFunds { .. } => 3,
            TransferError::NoSuchAccount(_) => 4,
            TransferError::Sql(_) => 1,
        }
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::InsufficientFunds { balance } => {
                write!(f, "insufficient funds: the paying account has {balance} cents")
            }
            TransferError::NoSuchAccount(id) => write!(f, "there is no account {id}"),
            TransferError::Sql(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for TransferError {}

/// `?` turns the server's errors into [`TransferError::Sql`].
impl From<mysql::Error> for TransferError {
    fn from(error: mysql::Error) -> Self {
        TransferError::Sql(error)
    }
}

// ANCHOR: stub
/// Moves `amount` cents (more than 0) from account `from` to account `to` (another
/// account), in one transaction: both balances change, or neither does. Refuses with
/// `InsufficientFunds` if `from` has less than `amount`, and with `NoSuchAccount` if
/// either account does not exist. Many transfers may run at the same time.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let _ = (conn, from, to, amount); // delete this line when you use them
    todo!("lock both accounts in a transaction, check the balance, update both, commit")
}
// ANCHOR_END: stub
