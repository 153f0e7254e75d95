//! A wrong answer to exercise 03: the orders table has the right columns but no
//! foreign keys, so an order may name a customer or product that does not exist.

use mysql::prelude::Queryable as _;

const TABLES: [&str; 3] = [
    "CREATE TABLE IF NOT EXISTS customers (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        email VARCHAR(255) NOT NULL UNIQUE,
        name VARCHAR(100) NOT NULL,
        city VARCHAR(100) NULL,
        created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE IF NOT EXISTS products (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        sku VARCHAR(32) NOT NULL UNIQUE,
        name VARCHAR(200) NOT NULL,
        price DECIMAL(10, 2) NOT NULL
    ) DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE IF NOT EXISTS orders (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        customer_id INT UNSIGNED NOT NULL,
        product_id INT UNSIGNED NOT NULL,
        quantity INT UNSIGNED NOT NULL,
        amount DECIMAL(10, 2) NOT NULL,
        ordered_at DATETIME NOT NULL
    ) DEFAULT CHARSET = utf8mb4",
];

fn main() -> Result<(), mysql::Error> {
    let url = format!("{}?prefer_socket=false", std::env::var("DATABASE_URL").unwrap_or_default());
    let mut conn = mysql::Conn::new(mysql::Opts::from_url(&url)?)?;
    for statement in TABLES {
        conn.query_drop(statement)?;
    }
    Ok(())
}
