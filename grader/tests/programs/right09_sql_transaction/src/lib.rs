//! A right answer to exercise 09, written differently from the reference: the
//! retries kept in a `while` loop with the wait doubled as it goes, and the insert
//! made in a transaction written in SQL, with the new id asked of the server with
//! `LAST_INSERT_ID()` before the commit.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
pub use sol09_errors::{
    no_server_answered, refused, AddError, ATTEMPTS, ER_ACCESS_DENIED_ERROR,
    ER_DBACCESS_DENIED_ERROR, ER_DUP_ENTRY, FIRST_WAIT,
};

/// Connects, trying [`ATTEMPTS`] times while no server answers.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut attempts = 0;
    let mut wait = FIRST_WAIT;
    loop {
        attempts += 1;
        let error = match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) => error,
        };
        if !no_server_answered(&error) {
            return Err(refused(error));
        }
        if attempts >= ATTEMPTS {
            return Err(AddError::Unreachable { attempts, last: error });
        }
        std::thread::sleep(wait);
        wait += wait;
    }
}

/// Adds the customer in a transaction, and returns its id.
pub fn add_customer(conn: &mut Conn, email: &str, name: &str) -> Result<u64, AddError> {
    let added = (|| {
        conn.query_drop("START TRANSACTION")?;
        conn.exec_drop("INSERT INTO customers (email, name) VALUES (?, ?)", (email, name))?;
        let id: Option<u64> = conn.query_first("SELECT LAST_INSERT_ID()")?;
        conn.query_drop("COMMIT")?;
        Ok(id.unwrap_or_default())
    })();
    added.map_err(|error: mysql::Error| match &error {
        mysql::Error::MySqlError(server) if server.code == ER_DUP_ENTRY => {
            let _ = conn.query_drop("ROLLBACK");
            AddError::DuplicateEmail(email.to_string())
        }
        _ => {
            let _ = conn.query_drop("ROLLBACK");
            AddError::Other(error)
        }
    })
}
