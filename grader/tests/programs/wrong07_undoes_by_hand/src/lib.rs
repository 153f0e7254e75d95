//! A wrong answer to exercise 07: it locks both rows and debits first; when the
//! balance turns out too small it credits the money back by hand and commits,
//! instead of rolling the transaction back. The balances end up right.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol07_transactions::TransferError;

/// Moves the money, undoing a refused debit by hand.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    let balances: Vec<(u32, i64)> = tx.exec(
        "SELECT id, balance_cents FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
        (from, to),
    )?;
    let balance_of = |id: u32| balances.iter().find(|(found, _)| *found == id).map(|row| row.1);
    let balance = balance_of(from).ok_or(TransferError::NoSuchAccount(from))?;
    balance_of(to).ok_or(TransferError::NoSuchAccount(to))?;
    tx.exec_drop(
        "UPDATE accounts SET balance_cents = balance_cents - ? WHERE id = ?",
        (amount, from),
    )?;
    if balance < amount {
        // The mistake: a compensating write, committed, instead of a rollback.
        tx.exec_drop(
            "UPDATE accounts SET balance_cents = balance_cents + ? WHERE id = ?",
            (amount, from),
        )?;
        tx.commit()?;
        return Err(TransferError::InsufficientFunds { balance });
    }
    tx.exec_drop(
        "UPDATE accounts SET balance_cents = balance_cents + ? WHERE id = ?",
        (amount, to),
    )?;
    tx.commit()?;
    Ok(())
}
