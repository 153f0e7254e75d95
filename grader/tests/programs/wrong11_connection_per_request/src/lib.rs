//! A wrong answer to exercise 11: it opens a bounded pool but ignores it, and opens a
//! new connection to the database for every request. Every answer is right.

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
use serde_json::json;
pub use sol11_web_tier::*;

/// A bounded pool that opens nothing until asked (and is never asked), so that every
/// connection counted is one that `respond` opened.
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

/// A new connection, from DATABASE_URL: the mistake, called once for each request.
fn connect() -> Result<Conn, mysql::Error> {
    Conn::new(Opts::from_url(&format!(
        "{}?prefer_socket=false",
        std::env::var("DATABASE_URL").unwrap_or_default()
    ))?)
}

/// The reply, or a 500 with the database's error.
fn or_500(reply: Result<Reply, mysql::Error>) -> Reply {
    reply.unwrap_or_else(|error| Reply::error(500, error.to_string()))
}
