//! A wrong answer to exercise 11: on the first request for a customer it reads the
//! whole table, and answers every later one from that copy, which goes stale when a
//! row changes.

use std::collections::HashMap;
use std::sync::OnceLock;

use mysql::prelude::Queryable;
use mysql::Pool;
use serde_json::{json, Value};
pub use sol11_web_tier::{open_pool, Reply, MAX_CONNECTIONS};

/// Every customer, by id, as read on the first request for one.
static CUSTOMERS: OnceLock<HashMap<u32, Value>> = OnceLock::new();

/// The solution's answers, with customers from the copy.
pub fn respond(pool: &Pool, method: &str, path: &str) -> Reply {
    let Some(text) = path.strip_prefix("/customers/").filter(|_| method == "GET") else {
        return sol11_web_tier::respond(pool, method, path);
    };
    let Ok(id) = text.parse::<u32>() else {
        return Reply::error(400, "not an id");
    };
    if CUSTOMERS.get().is_none() {
        let rows = pool.get_conn().and_then(|mut conn| {
            conn.query::<(u32, String, String, Option<String>), _>(
                "SELECT id, name, email, city FROM customers",
            )
        });
        match rows {
            Ok(rows) => {
                let _ = CUSTOMERS.set(
                    rows.into_iter()
                        .map(|(id, name, email, city)| {
                            (id, json!({ "id": id, "name": name, "email": email, "city": city }))
                        })
                        .collect(),
                );
            }
            Err(error) => return Reply::error(500, error.to_string()),
        }
    }
    match CUSTOMERS.get().and_then(|customers| customers.get(&id)) {
        Some(customer) => Reply::ok(customer.clone()),
        None => Reply::error(404, "no such customer"),
    }
}
