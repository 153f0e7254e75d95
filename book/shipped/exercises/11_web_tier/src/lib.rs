//! Exercise 11: put a web tier in front of the database.
//!
//! The task is in README.md beside this folder. Replace the two `todo!()`s below,
//! then check your work with `cargo grader check 11`.

use mysql::Pool;
use serde_json::{json, Value};

// ANCHOR: reply
/// The most connections the web server may open to the database, in all.
pub const MAX_CONNECTIONS: usize = 4;

/// The answer to one HTTP request: a status code and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status code: 200 OK, 400 Bad Request, 404 Not Found, 500 Internal Server Error.
    pub status: u16,
    /// The body, sent as JSON.
    pub body: Value,
}

impl Reply {
    /// A 200 OK with this body.
    pub fn ok(body: Value) -> Reply {
        Reply { status: 200, body }
    }

    /// An error: this status, and `{"error": message}` as the body.
    pub fn error(status: u16, message: impl Into<String>) -> Reply {
        Reply { status, body: json!({ "error": message.into() }) }
    }
}
// ANCHOR_END: reply

// ANCHOR: stub
/// Opens the pool that the web server shares between all its requests: at most
/// [`MAX_CONNECTIONS`] connections, as in exercise 08.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let _ = database_url; // delete this line when you use `database_url`
    todo!("open a mysql::Pool that holds at most MAX_CONNECTIONS connections")
}

/// Answers the request `method path` with connections borrowed from `pool`:
/// `GET /databases` and `GET /customers/{id}`, as README.md describes.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let _ = (pool, method, path); // delete this line when you use them
    todo!("route the request, ask the database, and turn the answer into a Reply")
}
// ANCHOR_END: stub
