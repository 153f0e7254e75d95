//! A wrong answer to exercise 07: it reads both balances, checks them, and writes the
//! new balances it computed, without a transaction or a lock. Alone it works; side by
//! side, two transfers read the same balance and the second write undoes the first.

use mysql::prelude::Queryable;
use mysql::Conn;
pub use sol07_transactions::*;

/// Reads, computes and writes back, in three separate statements.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    let read = |conn: &mut Conn, id: u32| -> Result<i64, TransferError> {
        let balance: Option<i64> =
            conn.exec_first("SELECT balance_cents FROM accounts WHERE id = ?", (id,))?;
        balance.ok_or(TransferError::NoSuchAccount(id))
    };
    // The mistake: no transaction and no lock between the reads and the writes.
    let from_balance = read(conn, from)?;
    let to_balance = read(conn, to)?;
    if from_balance < amount {
        return Err(TransferError::InsufficientFunds { balance: from_balance });
    }
    let write = "UPDATE accounts SET balance_cents = ? WHERE id = ?";
    conn.exec_drop(write, (from_balance - amount, from))?;
    conn.exec_drop(write, (to_balance + amount, to))?;
    Ok(())
}
