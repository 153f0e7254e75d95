//! A right answer to exercise 03: it asks `information_schema` which of the shop's
//! tables exist and creates only the missing ones, with plain `CREATE TABLE`, a
//! SMALLINT quantity, a DATETIME creation time and a binary collation.

use mysql::prelude::Queryable;
use mysql::Conn;

/// Each table's name and the statement that creates it, parents first.
const TABLES: [(&str, &str); 3] = [
    (
        "customers",
        "CREATE TABLE customers (
            id INT UNSIGNED NOT NULL AUTO_INCREMENT,
            email VARCHAR(255) NOT NULL,
            name VARCHAR(120) NOT NULL,
            city VARCHAR(100),
            created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            CONSTRAINT pk_customers PRIMARY KEY (id),
            CONSTRAINT uq_customers_email UNIQUE (email)
        ) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin",
    ),
    (
        "products",
        "CREATE TABLE products (
            id INT UNSIGNED NOT NULL AUTO_INCREMENT,
            sku VARCHAR(40) NOT NULL,
            name VARCHAR(200) NOT NULL,
            price DECIMAL(10, 2) NOT NULL,
            PRIMARY KEY (id),
            UNIQUE INDEX uq_products_sku (sku)
        ) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin",
    ),
    (
        "orders",
        "CREATE TABLE orders (
            id INT UNSIGNED NOT NULL AUTO_INCREMENT,
            customer_id INT UNSIGNED NOT NULL,
            product_id INT UNSIGNED NOT NULL,
            quantity SMALLINT UNSIGNED NOT NULL,
            amount DECIMAL(10, 2) NOT NULL,
            ordered_at DATETIME NOT NULL,
            PRIMARY KEY (id),
            FOREIGN KEY fk_orders_customer (customer_id) REFERENCES customers (id)
                ON DELETE RESTRICT ON UPDATE RESTRICT,
            FOREIGN KEY fk_orders_product (product_id) REFERENCES products (id)
                ON DELETE RESTRICT ON UPDATE RESTRICT
        ) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin",
    ),
];

/// Creates the tables that `information_schema` does not list in the current database.
pub fn create_schema(conn: &mut Conn) -> Result<(), mysql::Error> {
    let existing: Vec<String> = conn.query(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE()",
    )?;
    for (name, statement) in TABLES {
        if !existing.iter().any(|table| table.eq_ignore_ascii_case(name)) {
            conn.query_drop(statement)?;
        }
    }
    Ok(())
}
