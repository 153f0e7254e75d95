//! A wrong answer to exercise 09: it sorts the errors right and tries 4 times, but
//! starts with a wait of 200 ms, so it waits 200, 400 and 800 ms: twice as long.

use std::time::Duration;

use mysql::{Conn, Opts};
pub use sol09_errors::{
    add_customer, no_server_answered, refused, AddError, ATTEMPTS, ER_ACCESS_DENIED_ERROR,
    ER_DBACCESS_DENIED_ERROR, ER_DUP_ENTRY, FIRST_WAIT,
};

/// Connects, waiting twice as long as asked between attempts.
pub fn connect(opts: Opts) -> Result<Conn, AddError> {
    let mut wait = Duration::from_millis(200); // the mistake: FIRST_WAIT is 100 ms
    let mut attempt = 1;
    loop {
        match Conn::new(opts.clone()) {
            Ok(conn) => return Ok(conn),
            Err(error) if !no_server_answered(&error) => return Err(refused(error)),
            Err(last) if attempt == ATTEMPTS => {
                return Err(AddError::Unreachable { attempts: attempt, last })
            }
            Err(_) => {
                std::thread::sleep(wait);
                wait *= 2;
                attempt += 1;
            }
        }
    }
}
