//! Reference solution to exercise 11: put a web tier in front of the database.

use mysql::prelude::Queryable;
use mysql::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
use serde_json::{json, Value};

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

// ANCHOR: solution
/// Opens the pool that the web server shares between all its requests: at most
/// [`MAX_CONNECTIONS`] connections, as in exercise 08.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints = PoolConstraints::new_const::<1, MAX_CONNECTIONS>();
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Answers the request `method path` with connections borrowed from `pool`:
/// `GET /databases` and `GET /customers/{id}`, as README.md describes.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let path = path.split('?').next().unwrap_or_default(); // no query strings here
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match (method, segments.as_slice()) {
        ("GET", ["databases"]) => from_database(database_names(pool).map(Reply::ok)),
        ("GET", ["customers", id]) => match id.parse::<u32>() {
            Err(_) => Reply::error(400, format!("{id:?} is not a customer id")),
            Ok(id) => from_database(customer(pool, id).map(|found| match found {
                Some(customer) => Reply::ok(customer),
                None => Reply::error(404, format!("no customer has the id {id}")),
            })),
        },
        _ => Reply::error(404, format!("nothing here: {method} {path}")),
    }
}

/// Every database this account may see, as a JSON array of names.
fn database_names(pool: &Pool) -> Result<Value, mysql::Error> {
    let names: Vec<String> = pool.get_conn()?.query("SHOW DATABASES")?;
    Ok(json!(names))
}

/// The customer with this id, as a JSON object, if there is one.
fn customer(pool: &Pool, id: u32) -> Result<Option<Value>, mysql::Error> {
    let row: Option<(u32, String, String, Option<String>)> = pool
        .get_conn()?
        .exec_first("SELECT id, name, email, city FROM customers WHERE id = ?", (id,))?;
    Ok(row.map(
        |(id, name, email, city)| json!({ "id": id, "name": name, "email": email, "city": city }),
    ))
}

/// The reply, or a 500 if the database failed. The error goes to the server's log
/// (stderr), not to the web client, which has no use for the database's internals.
fn from_database(reply: Result<Reply, mysql::Error>) -> Reply {
    reply.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        Reply::error(500, "the database did not answer")
    })
}
// ANCHOR_END: solution
