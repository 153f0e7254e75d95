//! A wrong answer to exercise 11: it asks `SHOW DATABASES` on the first request and
//! answers every later one from that list, which goes stale when a database is
//! created.

use std::sync::OnceLock;

use mysql::prelude::Queryable;
use mysql::Pool;
use serde_json::{json, Value};
pub use sol11_web_tier::{open_pool, Reply, MAX_CONNECTIONS};

/// The list read on the first request, kept for ever.
static DATABASES: OnceLock<Value> = OnceLock::new();

/// The solution's answers, with `/databases` from the list kept.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    if method != "GET" || path != "/databases" {
        return sol11_web_tier::respond(pool, method, path);
    }
    if let Some(names) = DATABASES.get() {
        return Reply::ok(names.clone());
    }
    match pool.get_conn().and_then(|mut conn| conn.query::<String, _>("SHOW DATABASES")) {
        Ok(names) => Reply::ok(DATABASES.get_or_init(|| json!(names)).clone()),
        Err(error) => Reply::error(500, error.to_string()),
    }
}
