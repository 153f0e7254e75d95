//! A wrong answer to exercise 11: it turns every error of the customer's query into
//! "no such customer", so a database that fails is answered 404, not 500.

use mysql::prelude::Queryable;
use mysql::Pool;
use serde_json::json;
pub use sol11_web_tier::{open_pool, Reply, MAX_CONNECTIONS};

/// Answers the request; a failed query looks like a missing row.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    match (method, segments.as_slice()) {
        ("GET", ["databases"]) => {
            match pool.get_conn().and_then(|mut c| c.query::<String, _>("SHOW DATABASES")) {
                Ok(names) => Reply::ok(json!(names)),
                Err(error) => Reply::error(500, error.to_string()),
            }
        }
        ("GET", ["customers", id]) => {
            let Ok(id) = id.parse::<u32>() else {
                return Reply::error(400, "not an id");
            };
            let row: Option<(u32, String, String, Option<String>)> = pool
                .get_conn()
                .and_then(|mut conn| {
                    conn.exec_first(
                        "SELECT id, name, email, city FROM customers WHERE id = ?",
                        (id,),
                    )
                })
                .ok()
                .flatten(); // the mistake: an error becomes None
            match row {
                Some((id, name, email, city)) => {
                    Reply::ok(json!({ "id": id, "name": name, "email": email, "city": city }))
                }
                None => Reply::error(404, "no such customer"),
            }
        }
        _ => Reply::error(404, "nothing here"),
    }
}
