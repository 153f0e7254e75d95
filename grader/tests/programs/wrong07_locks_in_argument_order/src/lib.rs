//! A wrong answer to exercise 07: it locks the paying account's row, then the
//! receiving account's, each with its own SELECT … FOR UPDATE. Two transfers in
//! opposite directions each take their first lock and wait for the other's: a
//! deadlock, and the server kills one of them.

use mysql::prelude::Queryable;
use mysql::{Conn, TxOpts};
pub use sol07_transactions::TransferError;

/// Moves the money, locking the rows in the order of the arguments.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let mut tx = conn.start_transaction(TxOpts::default())?;
    // The mistake: the order of the locks depends on the direction of the transfer.
    let balance: Option<i64> =
        tx.exec_first("SELECT balance_cents FROM accounts WHERE id = ? FOR UPDATE", (from,))?;
    let balance = balance.ok_or(TransferError::NoSuchAccount(from))?;
    let receiving: Option<i64> =
        tx.exec_first("SELECT balance_cents FROM accounts WHERE id = ? FOR UPDATE", (to,))?;
    receiving.ok_or(TransferError::NoSuchAccount(to))?;
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
