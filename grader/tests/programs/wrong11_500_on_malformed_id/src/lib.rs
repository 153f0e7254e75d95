//! A wrong answer to exercise 11: every error becomes a 500, the client's mistakes
//! too, so a malformed customer id is answered 500 instead of 400.

use mysql::prelude::Queryable;
use mysql::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
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

/// A pool of at most MAX_CONNECTIONS connections.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints = PoolConstraints::new_const::<1, MAX_CONNECTIONS>();
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Answers the request; any error at all is a 500.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let answer = match (method, segments.as_slice()) {
        ("GET", ["databases"]) => databases(pool),
        ("GET", ["customers", id]) => customer(pool, id),
        _ => return Reply::error(404, "nothing here"),
    };
    answer.unwrap_or_else(|error| Reply::error(500, error.to_string()))
}

/// Every database this account may see.
fn databases(pool: &Pool) -> Result<Reply, Box<dyn std::error::Error>> {
    let names: Vec<String> = pool.get_conn()?.query("SHOW DATABASES")?;
    Ok(Reply::ok(json!(names)))
}

/// The customer whose id is the text `id`.
fn customer(pool: &Pool, id: &str) -> Result<Reply, Box<dyn std::error::Error>> {
    let id: u32 = id.parse()?;
    let row: Option<(u32, String, String, Option<String>)> = pool
        .get_conn()?
        .exec_first("SELECT id, name, email, city FROM customers WHERE id = ?", (id,))?;
    Ok(match row {
        Some((id, name, email, city)) => {
            Reply::ok(json!({ "id": id, "name": name, "email": email, "city": city }))
        }
        None => Reply::error(404, "no such customer"),
    })
}
