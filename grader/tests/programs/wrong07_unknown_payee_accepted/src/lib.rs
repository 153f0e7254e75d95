//! A wrong answer to exercise 07: it locks and checks the paying account only. Money
//! sent to an account that does not exist leaves the payer and arrives nowhere: the
//! UPDATE of the missing row changes 0 rows, and nobody looks.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol07_transactions::TransferError;

/// Moves the money, never asking whether the receiving account exists.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    let balances: Vec<(u32, i64)> = tx.exec(
        "SELECT id, balance_cents FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
        (from, to),
    )?;
    // The mistake: only one of the two accounts is looked for.
    let balance = balances
        .iter()
        .find(|(id, _)| *id == from)
        .map(|row| row.1)
        .ok_or(TransferError::NoSuchAccount(from))?;
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
