//! A right answer to exercise 11, written differently from the reference: its own
//! pool, sized with `PoolConstraints::new` at run time, `SHOW DATABASES` read with
//! `query_map`, and the customer's columns taken by name from the row.

use mysql::prelude::Queryable;
use mysql::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts, Row};
use serde_json::{json, Value};
pub use sol11_web_tier::{Reply, MAX_CONNECTIONS};

/// A pool of at most [`MAX_CONNECTIONS`] connections, none opened before they are needed.
pub fn open_pool(database_url: &str) -> Result<Pool, mysql::Error> {
    let constraints =
        PoolConstraints::new(0, MAX_CONNECTIONS).expect("0 to MAX_CONNECTIONS is a valid range");
    let opts = OptsBuilder::from_opts(Opts::from_url(database_url)?)
        .pool_opts(PoolOpts::default().with_constraints(constraints));
    Pool::new(opts)
}

/// Answers `method path` as README.md describes.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let answer = match (method, parts.as_slice()) {
        ("GET", ["databases"]) => databases(pool).map(Reply::ok),
        ("GET", ["customers", text])
            if text.bytes().all(|b| b.is_ascii_digit()) && !text.is_empty() =>
        {
            match text.parse::<u32>() {
                Ok(id) => customer(pool, id).map(|found| {
                    found.map_or_else(|| Reply::error(404, "no such customer"), Reply::ok)
                }),
                Err(_) => Ok(Reply::error(400, "id out of range")),
            }
        }
        ("GET", ["customers", _]) => Ok(Reply::error(400, "not an id")),
        _ => Ok(Reply::error(404, "not found")),
    };
    answer.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        Reply::error(500, "internal error")
    })
}

fn databases(pool: &Pool) -> Result<Value, mysql::Error> {
    let names = pool.get_conn()?.query_map("SHOW DATABASES", |name: String| Value::String(name))?;
    Ok(Value::Array(names))
}

fn customer(pool: &Pool, id: u32) -> Result<Option<Value>, mysql::Error> {
    let row: Option<Row> =
        pool.get_conn()?.exec_first("SELECT * FROM customers WHERE id = ?", (id,))?;
    Ok(row.map(|row| {
        let text =
            |column: &str| row.get_opt::<Option<String>, _>(column).and_then(Result::ok).flatten();
        json!({
            "id": row.get_opt::<u32, _>("id").and_then(Result::ok),
            "name": text("name"),
            "email": text("email"),
            "city": text("city"),
        })
    }))
}
