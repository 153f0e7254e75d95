//! A wrong answer to exercise 11: it opens a bounded pool but ignores it, and opens a
//! new connection to the database for every request. Every answer is right.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
use serde_json::{json, Value};

/// The most connections the web server may open to the database, in all.
pub const MAX_CONNECTIONS: usize = 4;

/// The answer to one HTTP request: a status code and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status code.
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

/// A bounded pool that opens nothing until asked (and is never asked).
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints = PoolConstraints::new_const::<0, MAX_CONNECTIONS>();
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Answers the request on a connection of its own, opened for this request alone.
pub fn respond(_pool: &Pool, method: &str, path: &str) -> Reply {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match (method, segments.as_slice()) {
        ("GET", ["databases"]) => or_500(connect().and_then(|mut conn| {
            let names: Vec<String> = conn.query("SHOW DATABASES")?;
            Ok(Reply::ok(json!(names)))
        })),
        ("GET", ["customers", id]) => match id.parse::<u32>() {
            Err(_) => Reply::error(400, "not a customer id"),
            Ok(id) => or_500(connect().and_then(|mut conn| {
                let row: Option<(u32, String, String, Option<String>)> = conn.exec_first(
                    "SELECT id, name, email, city FROM customers WHERE id = ?",
                    (id,),
                )?;
                Ok(match row {
                    Some((id, name, email, city)) => {
                        Reply::ok(json!({ "id": id, "name": name, "email": email, "city": city }))
                    }
                    None => Reply::error(404, "no such customer"),
                })
            })),
        },
        _ => Reply::error(404, "nothing here"),
    }
}

/// A new connection, from DATABASE_URL.
fn connect() -> Result<Conn, mysql::Error> {
    Conn::new(Opts::from_url(&std::env::var("DATABASE_URL").unwrap_or_default())?)
}

/// The reply, or a 500 with the database's error.
fn or_500(reply: Result<Reply, mysql::Error>) -> Reply {
    reply.unwrap_or_else(|error| Reply::error(500, error.to_string()))
}
