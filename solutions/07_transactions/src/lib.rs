//! Reference solution to exercise 07: move money in a transaction, safely under
//! concurrency.

use std::fmt;

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};

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

// ANCHOR: solution
/// Moves `amount` cents (more than 0) from account `from` to account `to` (another
/// account), in one transaction: both balances change, or neither does. Refuses with
/// `InsufficientFunds` if `from` has less than `amount`, and with `NoSuchAccount` if
/// either account does not exist. Many transfers may run at the same time.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    // Lock both rows before reading them, in one statement and in id order: another
    // transfer between the same accounts waits here until this one commits, and two
    // transfers never hold one lock each while waiting for the other's.
    let balances: Vec<(u32, i64)> = tx.exec(
        "SELECT id, balance_cents FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
        (from, to),
    )?;
    let balance_of = |id: u32| balances.iter().find(|(found, _)| *found == id).map(|row| row.1);
    let balance = balance_of(from).ok_or(TransferError::NoSuchAccount(from))?;
    balance_of(to).ok_or(TransferError::NoSuchAccount(to))?;
    if balance < amount {
        // Returning drops `tx`, which rolls the transaction back and frees the locks.
        return Err(TransferError::InsufficientFunds { balance });
    }
    tx.exec_drop(
        "UPDATE accounts SET balance_cents = balance_cents - ? WHERE id = ?",
        (amount, from),
    )?;
    tx.exec_drop(
        "UPDATE accounts SET balance_cents = balance_cents + ? WHERE id = ?",
        (amount, to),
    )?;
    tx.commit()?;
    Ok(())
}
// ANCHOR_END: solution
