//! A right answer to exercise 03: the three statements sent as one text, with BIGINT
//! ids, a collation named, and foreign keys given names of their own.

use mysql::prelude::Queryable;
use mysql::Conn;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS customers (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        email VARCHAR(320) NOT NULL,
        name VARCHAR(100) NOT NULL,
        city VARCHAR(100) DEFAULT NULL,
        created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
        PRIMARY KEY (id),
        UNIQUE KEY customers_email (email)
    ) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE TABLE IF NOT EXISTS products (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        sku VARCHAR(32) NOT NULL,
        name VARCHAR(200) NOT NULL,
        price DECIMAL(12, 2) NOT NULL,
        CONSTRAINT products_sku UNIQUE (sku)
    ) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE TABLE IF NOT EXISTS orders (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        customer_id BIGINT UNSIGNED NOT NULL,
        product_id BIGINT UNSIGNED NOT NULL,
        quantity INT UNSIGNED NOT NULL,
        amount DECIMAL(12, 2) NOT NULL,
        ordered_at DATETIME NOT NULL,
        CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id),
        CONSTRAINT orders_product FOREIGN KEY (product_id) REFERENCES products (id)
    ) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";

/// Creates the tables in one round trip.
pub fn create_schema(conn: &mut Conn) -> Result<(), mysql::Error> {
    conn.query_drop(SCHEMA)
}
