//! Exercise 10: open the server to one client host (the two-host lab).
//!
//! The task is in README.md beside this folder. It has two parts: a line of the
//! server's configuration in `mysqld.cnf`, and the `todo!()` below. Check your work
//! with `cargo grader check 10`.

// ANCHOR: account
/// The account an application gets, as the administrator decides it. `src/main.rs`
/// fills it from the command line and has already refused any value that holds
/// something other than letters, digits and `.` `_` `-` `%` `:`, so each one can go
/// between single quotes (or backquotes) in SQL as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppAccount {
    /// The account's user name, such as `app`.
    pub user: String,
    /// Its password.
    pub password: String,
    /// The address of the one host it may connect from, such as `172.31.8.20`.
    pub client_host: String,
    /// The database it works in. It exists already.
    pub database: String,
}
// ANCHOR_END: account

// ANCHOR: stub
/// The statements an administrator runs, in order, to create `account`: an account
/// that may log in from `account.client_host` only, and that may read and write rows
/// (`SELECT`, `INSERT`, `UPDATE`, `DELETE`) in `account.database` and nothing else.
pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
    let _ = account; // delete this line when you use `account`
    todo!("return the CREATE USER and GRANT statements for this account")
}
// ANCHOR_END: stub
