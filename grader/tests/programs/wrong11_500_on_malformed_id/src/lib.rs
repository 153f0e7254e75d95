//! A wrong answer to exercise 11: every error becomes a 500, the client's mistakes
//! too, so a malformed customer id is answered 500 instead of 400.

use mysql::prelude::Queryable;
use mysql::Pool;
use serde_json::json;
pub use sol11_web_tier::*;

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
    let id: u32 = id.parse()?; // the mistake: a malformed id is an error like the database's
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
