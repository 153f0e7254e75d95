//! A wrong answer to exercise 11: it parses the id as an `i64`, so a negative id or
//! one beyond the column's range is looked up, found by nobody, and answered 404
//! instead of 400.

use mysql::prelude::Queryable;
use mysql::Pool;
use serde_json::json;
pub use sol11_web_tier::{open_pool, Reply, MAX_CONNECTIONS};

/// Answers the request, with ids as `i64`.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match (method, segments.as_slice()) {
        ("GET", ["databases"]) => or_500(
            pool.get_conn()
                .and_then(|mut conn| conn.query::<String, _>("SHOW DATABASES"))
                .map(|names| Reply::ok(json!(names))),
        ),
        ("GET", ["customers", id]) => match id.parse::<i64>() {
            Err(_) => Reply::error(400, "not an id"),
            Ok(id) => or_500(
                pool.get_conn()
                    .and_then(|mut conn| {
                        conn.exec_first::<(u32, String, String, Option<String>), _, _>(
                            "SELECT id, name, email, city FROM customers WHERE id = ?",
                            (id,),
                        )
                    })
                    .map(|row| match row {
                        Some((id, name, email, city)) => Reply::ok(
                            json!({ "id": id, "name": name, "email": email, "city": city }),
                        ),
                        None => Reply::error(404, "no such customer"),
                    }),
            ),
        },
        _ => Reply::error(404, "nothing here"),
    }
}

/// The reply, or a 500 when the database failed.
fn or_500(reply: Result<Reply, mysql::Error>) -> Reply {
    reply.unwrap_or_else(|error| Reply::error(500, error.to_string()))
}
