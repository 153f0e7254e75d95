//! A right answer to exercise 07: each row locked by a SELECT of its own, but always
//! the smaller id first, so two transfers never wait for each other in a circle.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol07_transactions::TransferError;

/// Moves the money, taking the locks in id order.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    let (first, second) = if from < to { (from, to) } else { (to, from) };
    let mut balances = Vec::new();
    for id in [first, second] {
        let balance: Option<i64> =
            tx.exec_first("SELECT balance_cents FROM accounts WHERE id = ? FOR UPDATE", (id,))?;
        balances.push((id, balance.ok_or(TransferError::NoSuchAccount(id))?));
    }
    let paying = balances.iter().find(|(id, _)| *id == from).map_or(0, |row| row.1);
    if paying < amount {
        return Err(TransferError::InsufficientFunds { balance: paying });
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
