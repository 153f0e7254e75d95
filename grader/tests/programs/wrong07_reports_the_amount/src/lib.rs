//! A wrong answer to exercise 07: it refuses at the right moment, but reports the
//! amount asked for as the account's balance.

use mysql::Conn;
pub use sol07_transactions::TransferError;

/// Moves the money as the solution does; a refusal names the wrong figure.
pub fn transfer(conn: &mut Conn, from: u32, to: u32, amount: i64) -> Result<(), TransferError> {
    match sol07_transactions::transfer(conn, from, to, amount) {
        // The mistake: the balance the user reads is not the account's.
        Err(TransferError::InsufficientFunds { .. }) => {
            Err(TransferError::InsufficientFunds { balance: amount })
        }
        other => other,
    }
}
