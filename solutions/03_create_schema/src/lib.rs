//! Reference solution to exercise 03: create the shop's three tables, safe to run twice.

use mysql::prelude::Queryable;
use mysql::Conn;

// ANCHOR: solution
/// The shop's tables, parents first: `orders` refers to the other two.
const TABLES: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS customers (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        email VARCHAR(255) NOT NULL UNIQUE,
        name VARCHAR(100) NOT NULL,
        city VARCHAR(100) NULL,
        created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE IF NOT EXISTS products (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        sku VARCHAR(32) NOT NULL UNIQUE,
        name VARCHAR(200) NOT NULL,
        price DECIMAL(10, 2) NOT NULL
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE IF NOT EXISTS orders (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        customer_id INT UNSIGNED NOT NULL,
        product_id INT UNSIGNED NOT NULL,
        quantity INT UNSIGNED NOT NULL,
        amount DECIMAL(10, 2) NOT NULL,
        ordered_at DATETIME NOT NULL,
        FOREIGN KEY (customer_id) REFERENCES customers (id),
        FOREIGN KEY (product_id) REFERENCES products (id)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
];

/// Creates the tables `customers`, `products` and `orders` that README.md describes,
/// unless they exist already. A second call changes nothing, keeps every row, and
/// succeeds.
pub fn create_schema(conn: &mut Conn) -> Result<(), mysql::Error> {
    for statement in TABLES {
        conn.query_drop(statement)?;
    }
    Ok(())
}
// ANCHOR_END: solution
