//! A right answer to exercise 11, written differently from the reference: the path
//! is taken apart with `strip_prefix`, the customer read as a `Row` with
//! `exec_first` and turned into JSON field by field, and every database error
//! matched apart from "no row".

use mysql::prelude::Queryable;
use mysql::{Pool, Row};
use serde_json::json;
pub use sol11_web_tier::{open_pool, Reply, MAX_CONNECTIONS};

/// Answers `method path` as README.md describes.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    if method != "GET" {
        return Reply::error(404, format!("no {method} here"));
    }
    if path == "/databases" {
        return match pool.get_conn().and_then(|mut conn| conn.query::<String, _>("SHOW DATABASES"))
        {
            Ok(names) => Reply::ok(json!(names)),
            Err(error) => failed(&error),
        };
    }
    let Some(text) = path.strip_prefix("/customers/").filter(|text| !text.contains('/')) else {
        return Reply::error(404, format!("nothing at {path}"));
    };
    let Ok(id) = u32::try_from(text.parse::<u64>().unwrap_or(u64::MAX)) else {
        return Reply::error(400, format!("{text:?} is not an id"));
    };
    let found: Result<Option<Row>, _> = pool.get_conn().and_then(|mut conn| {
        conn.exec_first("SELECT id, name, email, city FROM customers WHERE id = ? LIMIT 1", (id,))
    });
    match found {
        Err(error) => failed(&error),
        Ok(None) => Reply::error(404, format!("no customer {id}")),
        Ok(Some(row)) => {
            let (id, name, email, city): (u32, String, String, Option<String>) =
                mysql::from_row(row);
            Reply::ok(json!({ "id": id, "name": name, "email": email, "city": city }))
        }
    }
}

/// A 500 for a database error, logged on stderr.
fn failed(error: &mysql::Error) -> Reply {
    eprintln!("database error: {error}");
    Reply::error(500, "database error")
}
