//! A right answer to exercise 07: the transaction in SQL text, both rows locked in
//! one statement in id order, and the rollback said out loud.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol07_transactions::TransferError;

/// Moves the money, or rolls back and refuses.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    conn.query_drop("START TRANSACTION")?;
    let moved = move_money(conn, from, to, amount);
    match &moved {
        Ok(()) => conn.query_drop("COMMIT")?,
        Err(_) => conn.query_drop("ROLLBACK")?,
    }
    moved
}

fn move_money(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let rows: Vec<(u32, i64)> = conn.exec(
        "SELECT id, balance_cents FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE",
        (from, to),
    )?;
    let balance = |id: u32| rows.iter().find(|row| row.0 == id).map(|row| row.1);
    let paying = balance(from).ok_or(TransferError::NoSuchAccount(from))?;
    balance(to).ok_or(TransferError::NoSuchAccount(to))?;
    if paying < amount {
        return Err(TransferError::InsufficientFunds { balance: paying });
    }
    conn.exec_drop(
        "UPDATE accounts SET balance_cents = balance_cents + CASE id WHEN ? THEN -? ELSE ? END WHERE id IN (?, ?)",
        (from, amount, amount, from, to),
    )?;
    Ok(())
}
