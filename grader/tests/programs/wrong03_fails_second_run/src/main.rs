//! A wrong answer to exercise 03: the schema is right, but plain CREATE TABLE fails
//! with "table already exists" when the program runs a second time.

use mysql::prelude::Queryable as _;

const TABLES: [&str; 3] = [
    "CREATE TABLE customers (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        email VARCHAR(255) NOT NULL UNIQUE,
        name VARCHAR(100) NOT NULL,
        city VARCHAR(100) NULL,
        created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE products (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        sku VARCHAR(32) NOT NULL UNIQUE,
        name VARCHAR(200) NOT NULL,
        price DECIMAL(10, 2) NOT NULL
    ) DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE orders (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        customer_id INT UNSIGNED NOT NULL,
        product_id INT UNSIGNED NOT NULL,
        quantity INT UNSIGNED NOT NULL,
        amount DECIMAL(10, 2) NOT NULL,
        ordered_at DATETIME NOT NULL,
        FOREIGN KEY (customer_id) REFERENCES customers (id),
        FOREIGN KEY (product_id) REFERENCES products (id)
    ) DEFAULT CHARSET = utf8mb4",
];

fn main() -> std::process::ExitCode {
    let url = format!("{}?prefer_socket=false", std::env::var("DATABASE_URL").unwrap_or_default());
    let created = mysql::Opts::from_url(&url)
        .map_err(mysql::Error::from)
        .and_then(mysql::Conn::new)
        .and_then(|mut conn| TABLES.iter().try_for_each(|statement| conn.query_drop(statement)));
    match created {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
