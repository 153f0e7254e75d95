//! Check of exercise 03: the program creates the shop's three tables, and a second run
//! succeeds and keeps their rows. The grader makes the database's default character
//! set latin1 first, as on older servers, so only tables that ask for utf8mb4 pass.
//! It then reads the tables, columns, keys and foreign keys from information_schema
//! and compares them with the README's table, accepting reasonable variants (a wider
//! VARCHAR, BIGINT ids, any utf8mb4 collation).

use std::collections::BTreeMap;

use mysql::prelude::{FromRow, Queryable as _};

use super::expect::{describe_lines, failed_cleanly, finished_ok};
use super::{Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::{Exit, RunOutput};

/// The check of `03_create_schema`.
pub struct CreateSchema;

/// What a column must be, as README.md states it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// The table's own id: a whole number filled in by AUTO_INCREMENT.
    Id,
    /// A column that refers to another table's id.
    IdRef,
    /// A count: a whole number from SMALLINT up.
    Count,
    /// VARCHAR of at least this many characters.
    Text(u64),
    /// DECIMAL with exactly two decimals and at least ten digits.
    Money,
    /// TIMESTAMP (or DATETIME) that the server fills in: DEFAULT CURRENT_TIMESTAMP.
    CreatedAt,
    /// DATETIME.
    DateTime,
}

/// A column of the README's table.
struct Column {
    name: &'static str,
    kind: Kind,
    nullable: bool,
}

/// A table of the README: its columns in order, its unique column (besides the
/// primary key `id`) and its foreign keys as `(column, referenced table)`.
struct Table {
    name: &'static str,
    columns: &'static [Column],
    unique: Option<&'static str>,
    references: &'static [(&'static str, &'static str)],
}

const fn column(name: &'static str, kind: Kind, nullable: bool) -> Column {
    Column { name, kind, nullable }
}

/// The shop as README.md describes it (and `shop::SCHEMA` creates it).
const SHOP: [Table; 3] = [
    Table {
        name: "customers",
        columns: &[
            column("id", Kind::Id, false),
            column("email", Kind::Text(255), false),
            column("name", Kind::Text(100), false),
            column("city", Kind::Text(100), true),
            column("created_at", Kind::CreatedAt, false),
        ],
        unique: Some("email"),
        references: &[],
    },
    Table {
        name: "products",
        columns: &[
            column("id", Kind::Id, false),
            column("sku", Kind::Text(32), false),
            column("name", Kind::Text(200), false),
            column("price", Kind::Money, false),
        ],
        unique: Some("sku"),
        references: &[],
    },
    Table {
        name: "orders",
        columns: &[
            column("id", Kind::Id, false),
            column("customer_id", Kind::IdRef, false),
            column("product_id", Kind::IdRef, false),
            column("quantity", Kind::Count, false),
            column("amount", Kind::Money, false),
            column("ordered_at", Kind::DateTime, false),
        ],
        unique: None,
        references: &[("customer_id", "customers"), ("product_id", "products")],
    },
];

/// Integer types accepted for ids and the columns that refer to them.
const ID_TYPES: [&str; 2] = ["int", "bigint"];
/// Integer types accepted for a count.
const COUNT_TYPES: [&str; 4] = ["smallint", "mediumint", "int", "bigint"];

/// One row of information_schema.TABLES.
#[derive(Debug, FromRow)]
struct TableInfo {
    name: String,
    engine: Option<String>,
    collation: Option<String>,
}

/// One row of information_schema.COLUMNS.
#[derive(Debug, FromRow)]
struct ColumnInfo {
    table_name: String,
    name: String,
    data_type: String,
    column_type: String,
    is_nullable: String,
    max_length: Option<u64>,
    precision: Option<u64>,
    scale: Option<u64>,
    charset: Option<String>,
    default_value: Option<String>,
    extra: String,
}

/// What information_schema says about the sandbox's tables.
struct Found {
    tables: Vec<TableInfo>,
    columns: Vec<ColumnInfo>,
    /// Every index: `(table, index name)` → whether it is unique, and its columns.
    indexes: BTreeMap<(String, String), (bool, Vec<String>)>,
    /// Every foreign key column: `(table, column, referenced table, referenced column)`.
    foreign_keys: Vec<(String, String, String, String)>,
}

/// Makes `database`'s default character set latin1, as on older servers.
fn make_latin1(admin: &mut impl mysql::prelude::Queryable, database: &str) -> mysql::Result<()> {
    admin.query_drop(format!(
        "ALTER DATABASE `{database}` CHARACTER SET latin1 COLLATE latin1_swedish_ci"
    ))
}

/// `grader sandbox 03`: an empty database whose default character set is latin1.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    make_latin1(&mut planting.admin()?, &planting.sandbox.database)?;
    Ok(Planted {
        holds: "an empty database whose default character set is latin1, as the check makes it"
            .into(),
        runs: vec![Run::new(
            Vec::<String>::new(),
            "run it twice: the second run must succeed and keep the tables' rows",
        )],
    })
}

impl Check for CreateSchema {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let database = cx.sandbox.database.clone();
        let mut admin = cx.server.admin_conn()?;
        make_latin1(&mut admin, &database)?;

        let first = cx.run(&[])?;
        finished_ok(&first, "on an empty database")?;
        let found = read_schema(&mut admin, &database)?;
        for table in &SHOP {
            compare_table(table, &found)?;
        }

        let kept = plant_one_order(&mut admin, &database, &mut cx.rng)?;
        let second = cx.run(&[])?;
        second_run_succeeded(&second)?;
        rows_were_kept(&mut admin, &database, &kept)?;

        // A database where the account may read but not create: the server refuses,
        // and the program must say so rather than report the tables ready.
        let read_only = cx.sandbox.add_database("read_only")?;
        let url = cx.sandbox.endpoint().url(&read_only);
        let what = "on a database where its account may not create tables";
        let refused = cx.run_with_url(&url, &[])?;
        failed_cleanly(&refused, what)?;
        if refused.stderr.text.contains("denied") {
            return Ok(());
        }
        Err(Failure::new(
            format!("your program failed {what}, but did not pass on the server's refusal"),
            "return each statement's error with `?`, so that main prints what the server said",
        )
        .expected("on stderr, the server's message: CREATE command denied to user …")
        .got(format!(
            "on stderr, {}",
            describe_lines(&refused.stderr.text, refused.stderr.was_cut())
        ))
        .into())
    }
}

fn read_schema(conn: &mut impl mysql::prelude::Queryable, database: &str) -> mysql::Result<Found> {
    let tables = conn.exec(
        "SELECT TABLE_NAME AS name, ENGINE AS engine, TABLE_COLLATION AS collation
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
        (database,),
    )?;
    let columns = conn.exec(
        "SELECT TABLE_NAME AS table_name, COLUMN_NAME AS name, DATA_TYPE AS data_type,
                COLUMN_TYPE AS column_type, IS_NULLABLE AS is_nullable,
                CHARACTER_MAXIMUM_LENGTH AS max_length, NUMERIC_PRECISION AS `precision`,
                NUMERIC_SCALE AS scale, CHARACTER_SET_NAME AS charset,
                COLUMN_DEFAULT AS default_value, EXTRA AS extra
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
        (database,),
    )?;
    let mut indexes: BTreeMap<(String, String), (bool, Vec<String>)> = BTreeMap::new();
    let index_rows: Vec<(String, String, i64, String)> = conn.exec(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS
         WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
        (database,),
    )?;
    for (table, index, non_unique, column) in index_rows {
        indexes.entry((table, index)).or_insert((non_unique == 0, Vec::new())).1.push(column);
    }
    let foreign_keys = conn.exec(
        "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
         FROM information_schema.KEY_COLUMN_USAGE
         WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL",
        (database,),
    )?;
    Ok(Found { tables, columns, indexes, foreign_keys })
}

/// The next step when the schema is not the README's. The grader starts from an
/// empty database each time, so fixing the CREATE TABLE statements is enough.
const FIX_THE_CREATE: &str =
    "change your CREATE TABLE statement to match the table in README.md (each check starts from an empty database)";

fn compare_table(table: &Table, found: &Found) -> Result<(), Failure> {
    let name = table.name;
    let Some(info) = found.tables.iter().find(|t| t.name == name) else {
        let present: Vec<&str> = found.tables.iter().map(|t| t.name.as_str()).collect();
        return Err(Failure::new(
            format!("there is no table `{name}` after your program ran"),
            "create all three tables, customers, products and orders, with those exact names",
        )
        .expected("tables customers, orders, products")
        .got(if present.is_empty() { "no tables".into() } else { present.join(", ") }));
    };
    let engine = info.engine.as_deref().unwrap_or("none");
    if !engine.eq_ignore_ascii_case("InnoDB") {
        return Err(Failure::new(
            format!("table `{name}` uses the {engine} storage engine, which ignores foreign keys"),
            "leave out ENGINE or write ENGINE = InnoDB",
        ));
    }
    let collation = info.collation.as_deref().unwrap_or("none");
    if !collation.starts_with("utf8mb4_") {
        return Err(Failure::new(
            format!(
                "table `{name}` stores text as {}, not utf8mb4",
                collation.split('_').next().unwrap_or(collation)
            ),
            "end each CREATE TABLE with DEFAULT CHARSET = utf8mb4: the database's own default may be latin1, which cannot hold every letter or an emoji",
        ));
    }
    compare_columns(table, found)?;
    compare_keys(table, found)
}

fn compare_columns(table: &Table, found: &Found) -> Result<(), Failure> {
    let actual: Vec<&ColumnInfo> =
        found.columns.iter().filter(|c| c.table_name == table.name).collect();
    let expected_names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let actual_names: Vec<&str> = actual.iter().map(|c| c.name.as_str()).collect();
    let missing: Vec<&str> =
        expected_names.iter().copied().filter(|n| !actual_names.contains(n)).collect();
    let extra: Vec<&str> =
        actual_names.iter().copied().filter(|n| !expected_names.contains(n)).collect();
    if !missing.is_empty() || !extra.is_empty() {
        let summary = if missing.is_empty() {
            format!(
                "table `{}` has columns the README does not ask for: {}",
                table.name,
                extra.join(", ")
            )
        } else {
            format!("table `{}` has no column {}", table.name, missing.join(", "))
        };
        return Err(Failure::new(summary, FIX_THE_CREATE)
            .expected(format!("columns {}", expected_names.join(", ")))
            .got(format!("columns {}", actual_names.join(", "))));
    }
    for spec in table.columns {
        if let Some(info) = actual.iter().find(|c| c.name == spec.name) {
            compare_column(table.name, spec, info)?;
        }
    }
    Ok(())
}

fn compare_column(table: &str, spec: &Column, info: &ColumnInfo) -> Result<(), Failure> {
    let place = format!("{table}.{}", spec.name);
    if !kind_fits(spec.kind, info) {
        return Err(Failure::new(
            format!("column `{place}` is {}, not what the README asks for", info.column_type),
            FIX_THE_CREATE,
        )
        .expected(describe_kind(spec.kind))
        .got(describe_column(info)));
    }
    if let Kind::Text(_) = spec.kind {
        let charset = info.charset.as_deref().unwrap_or("none");
        if charset != "utf8mb4" {
            return Err(Failure::new(
                format!("column `{place}` stores text as {charset}, not utf8mb4"),
                "give the table DEFAULT CHARSET = utf8mb4, and no other character set to its columns",
            ));
        }
    }
    let nullable = info.is_nullable == "YES";
    if nullable != spec.nullable {
        let (summary, next) = if spec.nullable {
            ("is NOT NULL, but a customer's city may be unknown", "write `city VARCHAR(100) NULL`")
        } else {
            ("accepts NULL, but the README says NOT NULL", "add NOT NULL to the column")
        };
        return Err(Failure::new(format!("column `{place}` {summary}"), next));
    }
    Ok(())
}

fn kind_fits(kind: Kind, info: &ColumnInfo) -> bool {
    let data_type = info.data_type.to_ascii_lowercase();
    match kind {
        Kind::Id => {
            ID_TYPES.contains(&data_type.as_str())
                && info.extra.to_ascii_lowercase().contains("auto_increment")
        }
        Kind::IdRef => ID_TYPES.contains(&data_type.as_str()),
        Kind::Count => COUNT_TYPES.contains(&data_type.as_str()),
        Kind::Text(length) => data_type == "varchar" && info.max_length >= Some(length),
        Kind::Money => {
            data_type == "decimal" && info.precision >= Some(10) && info.scale == Some(2)
        }
        Kind::CreatedAt => {
            matches!(data_type.as_str(), "timestamp" | "datetime")
                && info
                    .default_value
                    .as_deref()
                    .is_some_and(|d| d.to_ascii_lowercase().starts_with("current_timestamp"))
        }
        Kind::DateTime => data_type == "datetime",
    }
}

fn describe_kind(kind: Kind) -> String {
    match kind {
        Kind::Id => {
            "INT UNSIGNED NOT NULL AUTO_INCREMENT (BIGINT, signed or not, is fine too)".into()
        }
        Kind::IdRef => "INT UNSIGNED NOT NULL, the same type as the id it refers to".into(),
        Kind::Count => "INT UNSIGNED NOT NULL (any whole-number type from SMALLINT up)".into(),
        Kind::Text(length) => format!("VARCHAR({length}) or longer"),
        Kind::Money => "DECIMAL(10, 2): exactly two decimals, ten digits or more".into(),
        Kind::CreatedAt => {
            "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP (DATETIME is fine too)".into()
        }
        Kind::DateTime => "DATETIME NOT NULL".into(),
    }
}

fn describe_column(info: &ColumnInfo) -> String {
    let mut words = vec![info.column_type.clone()];
    if info.is_nullable == "NO" {
        words.push("NOT NULL".into());
    }
    if let Some(default) = &info.default_value {
        words.push(format!("DEFAULT {default}"));
    }
    if !info.extra.is_empty() {
        words.push(info.extra.clone());
    }
    words.join(" ")
}

fn compare_keys(table: &Table, found: &Found) -> Result<(), Failure> {
    let name = table.name;
    let indexes: Vec<(&str, bool, &[String])> = found
        .indexes
        .iter()
        .filter(|((t, _), _)| t == name)
        .map(|((_, index), (unique, columns))| (index.as_str(), *unique, columns.as_slice()))
        .collect();
    let primary = indexes.iter().find(|(index, _, _)| *index == "PRIMARY");
    if !primary.is_some_and(|(_, _, columns)| is_just(columns, "id")) {
        return Err(Failure::new(
            format!("table `{name}` has no PRIMARY KEY on `id` alone"),
            "declare `id ... AUTO_INCREMENT PRIMARY KEY`",
        )
        .got(match primary {
            Some((_, _, columns)) => format!("PRIMARY KEY ({})", columns.join(", ")),
            None => "no primary key".into(),
        }));
    }
    if let Some(column) = table.unique {
        let unique = indexes.iter().any(|(index, unique, columns)| {
            *index != "PRIMARY" && *unique && is_just(columns, column)
        });
        if !unique {
            return Err(Failure::new(
                format!("`{name}.{column}` is not UNIQUE: two rows could share one {column}"),
                format!("add UNIQUE to the `{column}` column (or a UNIQUE KEY on it alone)"),
            ));
        }
    }
    for (column, parent) in table.references {
        let declared = found.foreign_keys.iter().find(|(t, c, _, _)| t == name && c == column);
        match declared {
            Some((_, _, referenced, referenced_column))
                if referenced == parent && referenced_column == "id" => {}
            Some((_, _, referenced, referenced_column)) => {
                return Err(Failure::new(
                    format!("`{name}.{column}` refers to {referenced}.{referenced_column}, not {parent}.id"),
                    format!("write FOREIGN KEY ({column}) REFERENCES {parent} (id)"),
                ));
            }
            None => {
                return Err(Failure::new(
                    format!("`{name}.{column}` has no FOREIGN KEY to {parent}.id: an order could name a {} that does not exist", singular(parent)),
                    format!("add FOREIGN KEY ({column}) REFERENCES {parent} (id) to the orders table, and create {parent} before orders"),
                ));
            }
        }
    }
    Ok(())
}

/// Whether an index has `column` as its only column.
fn is_just(columns: &[String], column: &str) -> bool {
    matches!(columns, [only] if only == column)
}

fn singular(table: &str) -> &str {
    table.strip_suffix('s').unwrap_or(table)
}

/// A customer, a product and an order, planted between the two runs to see that the
/// second run keeps them. Returns the customer's e-mail address.
fn plant_one_order(
    conn: &mut mysql::PooledConn,
    database: &str,
    rng: &mut fastrand::Rng,
) -> mysql::Result<String> {
    let email = format!("kept{}@example.com", rng.u32(1000..10_000));
    conn.exec_drop(
        format!("INSERT INTO `{database}`.customers (email, name, city) VALUES (?, ?, NULL)"),
        (&email, "Zoë O'Brien"),
    )?;
    let customer_id = conn.last_insert_id();
    conn.exec_drop(
        format!("INSERT INTO `{database}`.products (sku, name, price) VALUES (?, 'Mug ☕', ?)"),
        (format!("SKU-{}", rng.u32(10_000..100_000)), "7.50"),
    )?;
    let product_id = conn.last_insert_id();
    conn.exec_drop(
        format!(
            "INSERT INTO `{database}`.orders (customer_id, product_id, quantity, amount, ordered_at)
             VALUES (?, ?, 2, '15.00', '2026-03-14 15:09:26')"
        ),
        (customer_id, product_id),
    )?;
    Ok(email)
}

fn second_run_succeeded(run: &RunOutput) -> Result<(), Problem> {
    match run.exit {
        Exit::Code(code) if code != 0 && run.panic().is_none() => Err(Failure::new(
            "your program failed when run a second time, on a database that already has the tables",
            "make every statement safe to repeat: CREATE TABLE IF NOT EXISTS leaves an existing table alone",
        )
        .got(format!("exit code {code}; on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into()),
        _ => finished_ok(run, "a second time"),
    }
}

fn rows_were_kept(
    conn: &mut impl mysql::prelude::Queryable,
    database: &str,
    email: &str,
) -> Result<(), Problem> {
    let orders: Option<u64> = conn.exec_first(
        format!(
            "SELECT COUNT(*) FROM `{database}`.orders o
             JOIN `{database}`.customers c ON c.id = o.customer_id WHERE c.email = ?"
        ),
        (email,),
    )?;
    if orders == Some(1) {
        return Ok(());
    }
    Err(Failure::new(
        "the second run lost the rows that were in the tables",
        "never drop a table to create it again: CREATE TABLE IF NOT EXISTS keeps the table and its rows",
    )
    .expected(format!("the order of {email} planted between the two runs"))
    .got("no such order after the second run")
    .into())
}
