//! The course's small shop: the schema exercise 03 asks for (customers, products and
//! their orders), and random data in it for the checks that read or search it.
//! Checks plant it with the grader's own connection, so each exercise stands alone.

use mysql::params;
use mysql::prelude::Queryable;

/// The shop's tables, as the reference solution of exercise 03 creates them.
pub const SCHEMA: [&str; 3] = [
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

const FIRST_NAMES: [&str; 12] = [
    "Ana", "Björn", "Chloé", "Dmitri", "Eun-ji", "Farah", "Giulia", "Hiroshi", "Iñaki", "Jonas",
    "Zoë", "Łukasz",
];
const LAST_NAMES: [&str; 10] = [
    "Silva", "Müller", "O'Brien", "Nguyễn", "Kowalski", "García", "Smith", "Dubois", "Søren", "Kim",
];
const CITIES: [&str; 8] =
    ["Lisboa", "München", "São Paulo", "Kraków", "Zürich", "Reykjavík", "Osaka", "Montréal"];
const PRODUCTS: [&str; 10] = [
    "Kettle",
    "Desk lamp",
    "Notebook",
    "Tea (green)",
    "Crème brûlée kit",
    "USB cable",
    "Backpack",
    "Mug ☕",
    "Headphones",
    "Plant pot",
];

/// A customer as planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Its id.
    pub id: u32,
    /// A unique e-mail address.
    pub email: String,
    /// A full name, often with non-ASCII letters or a quote.
    pub name: String,
    /// A city, or `None` (NULL).
    pub city: Option<String>,
}

/// A product as planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// Its id.
    pub id: u32,
    /// A unique stock-keeping unit.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// Its price in cents.
    pub price_cents: u64,
}

/// An order as planted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Its id.
    pub id: u32,
    /// Who ordered.
    pub customer_id: u32,
    /// What.
    pub product_id: u32,
    /// How many.
    pub quantity: u32,
    /// The total in cents.
    pub amount_cents: u64,
    /// When, as `YYYY-MM-DD HH:MM:SS`.
    pub ordered_at: String,
}

/// Everything planted in one sandbox.
#[derive(Debug, Clone, Default)]
pub struct Shop {
    /// The customers, by ascending id.
    pub customers: Vec<Customer>,
    /// The products, by ascending id.
    pub products: Vec<Product>,
    /// The orders, by ascending id.
    pub orders: Vec<Order>,
}

/// How much to plant.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Customers.
    pub customers: usize,
    /// Products.
    pub products: usize,
    /// Orders, spread over the customers and products at random.
    pub orders: usize,
}

/// Formats cents as a DECIMAL(10, 2) value prints: `1234` → `"12.34"`.
pub fn decimal(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Creates the shop's tables (if they are missing) through `conn`.
pub fn create_schema(conn: &mut impl Queryable) -> mysql::Result<()> {
    SCHEMA.iter().try_for_each(|statement| conn.query_drop(statement))
}

/// Creates the tables and fills them with random data drawn from `rng`.
pub fn plant(
    conn: &mut impl Queryable,
    rng: &mut fastrand::Rng,
    sizes: Sizes,
) -> mysql::Result<Shop> {
    create_schema(conn)?;
    let shop = random_shop(rng, sizes);
    conn.exec_batch(
        "INSERT INTO customers (id, email, name, city) VALUES (:id, :email, :name, :city)",
        shop.customers.iter().map(|c| {
            params! { "id" => c.id, "email" => &c.email, "name" => &c.name, "city" => &c.city }
        }),
    )?;
    conn.exec_batch(
        "INSERT INTO products (id, sku, name, price) VALUES (:id, :sku, :name, :price)",
        shop.products.iter().map(|p| {
            params! { "id" => p.id, "sku" => &p.sku, "name" => &p.name, "price" => decimal(p.price_cents) }
        }),
    )?;
    conn.exec_batch(
        "INSERT INTO orders (id, customer_id, product_id, quantity, amount, ordered_at)
         VALUES (:id, :customer_id, :product_id, :quantity, :amount, :ordered_at)",
        shop.orders.iter().map(|o| {
            params! {
                "id" => o.id,
                "customer_id" => o.customer_id,
                "product_id" => o.product_id,
                "quantity" => o.quantity,
                "amount" => decimal(o.amount_cents),
                "ordered_at" => &o.ordered_at,
            }
        }),
    )?;
    Ok(shop)
}

/// Random shop data, without touching a server. Ids start at a random offset so that
/// a program cannot count on them starting at 1.
pub fn random_shop(rng: &mut fastrand::Rng, sizes: Sizes) -> Shop {
    let first_id = rng.u32(1..1000);
    let customers: Vec<Customer> = (0..sizes.customers)
        .map(|index| {
            let id = first_id + u32::try_from(index).unwrap_or(u32::MAX);
            let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
            Customer {
                id,
                email: format!("{}.{}{id}@example.com", ascii_slug(first), ascii_slug(last)),
                name: format!("{first} {last}"),
                city: rng.bool().then(|| CITIES[rng.usize(..CITIES.len())].to_string()),
            }
        })
        .collect();
    let products: Vec<Product> = (0..sizes.products)
        .map(|index| {
            let id = first_id + u32::try_from(index).unwrap_or(u32::MAX);
            Product {
                id,
                sku: format!("SKU-{:05}", rng.u32(0..100_000)) + &format!("-{index}"),
                name: PRODUCTS[rng.usize(..PRODUCTS.len())].to_string(),
                price_cents: rng.u64(99..20_000),
            }
        })
        .collect();
    let orders: Vec<Order> = (0..sizes.orders)
        .filter(|_| !customers.is_empty() && !products.is_empty())
        .map(|index| {
            let product = &products[rng.usize(..products.len())];
            let quantity = rng.u32(1..=5);
            Order {
                id: first_id + u32::try_from(index).unwrap_or(u32::MAX),
                customer_id: customers[rng.usize(..customers.len())].id,
                product_id: product.id,
                quantity,
                amount_cents: product.price_cents * u64::from(quantity),
                ordered_at: format!(
                    "2026-{:02}-{:02} {:02}:{:02}:{:02}",
                    rng.u32(1..=12),
                    rng.u32(1..=28),
                    rng.u32(0..24),
                    rng.u32(0..60),
                    rng.u32(0..60)
                ),
            }
        })
        .collect();
    Shop { customers, products, orders }
}

/// Lowercase ASCII letters of `name`, for e-mail addresses.
fn ascii_slug(name: &str) -> String {
    name.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cents_print_as_decimal() {
        assert_eq!(decimal(0), "0.00");
        assert_eq!(decimal(1205), "12.05");
        assert_eq!(decimal(99), "0.99");
    }

    #[test]
    fn the_same_seed_gives_the_same_shop_with_unique_keys() {
        let sizes = Sizes { customers: 30, products: 12, orders: 80 };
        let one = random_shop(&mut fastrand::Rng::with_seed(7), sizes);
        let two = random_shop(&mut fastrand::Rng::with_seed(7), sizes);
        assert_eq!(one.customers, two.customers);
        assert_eq!(one.orders, two.orders);
        let mut emails: Vec<&str> = one.customers.iter().map(|c| c.email.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), 30);
        let mut skus: Vec<&str> = one.products.iter().map(|p| p.sku.as_str()).collect();
        skus.sort_unstable();
        skus.dedup();
        assert_eq!(skus.len(), 12);
        assert!(one.orders.iter().all(|o| one.customers.iter().any(|c| c.id == o.customer_id)));
    }
}
