//! A wrong answer to exercise 07: a transaction, but the balance is read with a plain
//! `SELECT`, which takes no lock. Two transfers side by side both see the old balance,
//! both decide it is enough, and both take their money: the balance goes negative.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol07_transactions::*;

/// Checks the balance without locking the row, then updates both rows and commits.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    // The mistake: no FOR UPDATE, so another transfer may read the same balance meanwhile.
    let balances: Vec<(u32, i64)> = tx.exec(
        "SELECT id, balance_cents FROM accounts WHERE id IN (?, ?) ORDER BY id",
        (from, to),
    )?;
    let balance_of = |id: u32| balances.iter().find(|(found, _)| *found == id).map(|row| row.1);
    let balance = balance_of(from).ok_or(TransferError::NoSuchAccount(from))?;
    balance_of(to).ok_or(TransferError::NoSuchAccount(to))?;
    if balance < amount {
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
