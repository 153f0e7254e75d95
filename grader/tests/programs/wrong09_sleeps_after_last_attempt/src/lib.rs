//! A wrong answer to exercise 09: it sleeps after every failed attempt, the last one
//! too, so the user waits 800 ms more for an answer that was already known.

use mysql::{Conn, Opts};
pub use sol09_errors::{
    add_customer, no_server_answered, refused, AddError, ATTEMPTS, ER_ACCESS_DENIED_ERROR,
    ER_DBACCESS_DENIED_ERROR, ER_DUP_ENTRY, FIRST_WAIT,
};

/// Connects; after each failure it sleeps, then decides whether to go on.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut wait = FIRST_WAIT;
    let mut attempt = 1;
    loop {
        match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) if !no_server_answered(&error) => return Err(refused(error)),
            Err(last) => {
                std::thread::sleep(wait); // the mistake: also after the last attempt
                wait *= 2;
                if attempt == ATTEMPTS {
                    return Err(AddError::Unreachable { attempts: attempt, last });
                }
                attempt += 1;
            }
        }
    }
}
