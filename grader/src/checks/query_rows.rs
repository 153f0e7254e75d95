//! Check of exercise 05 (and, through [`check_order_search`], of exercise 12, which
//! asks the same with sqlx): the program prints one customer's orders of at least an
//! amount within a time range, both ends included, as JSON lines, oldest first.
//!
//! The grader plants a random shop and, for the chosen customer, orders that sit on
//! every boundary: one of exactly the minimum amount, one at each end of the range,
//! and their neighbours just outside (a cent less, a second before, a second after),
//! plus one of another customer; two orders placed at the same second (so the tie is
//! broken by id, ascending), found through an index that keeps ties by id descending,
//! so a search that leaves the tie to chance gets them the wrong way round; one of 100.00 or more and one of 6.00 to 9.99, whose text sorts
//! the other way round from their value against the minimum (15.00 to 59.99), so a
//! comparison of amounts as text fails. Their ids run against their times, so any
//! order but the one asked for shows. It compares the program's lines with its own query, then
//! runs the program once more with a minimum no order reaches: it must print nothing.

use mysql::prelude::Queryable as _;
use mysql::Conn;
use serde_json::{json, Value};

use super::expect::{describe_lines, finished_ok};
use super::shop::{self, Order, Sizes};
use super::{evidence, Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::RunOutput;

/// The check of `05_query_rows`.
pub struct QueryRows;

impl Check for QueryRows {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        check_order_search(cx, Client::Mysql)
    }
}

/// The client library the exercise uses, for advice that depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Client {
    /// The `mysql` crate (exercise 05).
    Mysql,
    /// sqlx (exercise 12).
    Sqlx,
}

/// The grader's own answer, in the order the task asks for.
const REFERENCE_QUERY: &str = "
    SELECT o.id, p.name, o.quantity, o.amount, DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s')
    FROM orders AS o JOIN products AS p ON p.id = o.product_id
    WHERE o.customer_id = ? AND o.amount >= CAST(? AS DECIMAL(10, 2))
      AND o.ordered_at BETWEEN ? AND ?
    ORDER BY o.ordered_at, o.id";

/// The index the scene's searches go through: one customer's orders by time, ties by
/// id descending (both MariaDB and MySQL keep descending index parts).
const TIES_BY_ID_DESCENDING: &str =
    "CREATE INDEX by_customer_and_time ON orders (customer_id, ordered_at, id DESC)";

/// Why an order was planted: the boundary it sits on, or just outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Random shop data.
    Random,
    /// Of exactly the minimum amount, inside the range: included.
    AtMinimum,
    /// Placed exactly at the range's start: included.
    AtFrom,
    /// Placed exactly at the range's end: included.
    AtTo,
    /// One cent below the minimum: left out.
    BelowMinimum,
    /// One second before the range: left out.
    BeforeFrom,
    /// One second after the range: left out.
    AfterTo,
    /// Another customer's, inside the range and above the minimum: left out.
    OtherCustomer,
    /// The first of two orders placed at the same second: included, before the other.
    TiedFirst,
    /// The second of two orders placed at the same second (a higher id): included.
    TiedSecond,
    /// Of 100.00 or more, inside the range: included, though as text it sorts below
    /// the minimum.
    Large,
    /// From 6.00 to 9.99, inside the range: left out, though as text it sorts above the
    /// minimum.
    Small,
}

/// The planted shop and the search the program is asked to run.
struct Scene {
    orders: Vec<(Order, Role)>,
    customer_id: u32,
    min_cents: u64,
    from: String,
    to: String,
}

impl Scene {
    fn args(&self, min_cents: u64) -> Vec<String> {
        vec![
            self.customer_id.to_string(),
            shop::decimal(min_cents),
            self.from.clone(),
            self.to.clone(),
        ]
    }

    fn order(&self, id: u64) -> Option<&(Order, Role)> {
        self.orders.iter().find(|(order, _)| u64::from(order.id) == id)
    }

    fn describe_search(&self, min_cents: u64) -> String {
        format!(
            "customer {}, amount at least {}, from {} to {}",
            self.customer_id,
            shop::decimal(min_cents),
            self.from,
            self.to
        )
    }
}

/// The check of exercises 05 and 12: the same search, whatever the client library.
pub(super) fn check_order_search(cx: &mut Context<'_>, client: Client) -> Result<(), Problem> {
    let mut conn = Conn::new(cx.sandbox.endpoint().opts(Some(&cx.sandbox.database)))?;
    let scene = plant_scene(&mut conn, &mut cx.rng)?;
    let mark = cx.wire_mark();

    let expected = reference_answer(&mut conn, &scene, scene.min_cents)?;
    let run = cx.run(&scene.args(scene.min_cents))?;
    judge_run(&run, client, &scene, scene.min_cents, &expected)?;

    let top_cents = expected.iter().filter_map(amount_cents).max().unwrap_or(scene.min_cents);
    let unreachable_cents = top_cents + cx.rng.u64(1..500);
    let nothing = reference_answer(&mut conn, &scene, unreachable_cents)?;
    if !nothing.is_empty() {
        return Err(anyhow::anyhow!("the grader planted an order above its own maximum").into());
    }
    let run = cx.run(&scene.args(unreachable_cents))?;
    judge_run(&run, client, &scene, unreachable_cents, &nothing)?;

    // SQLAlchemy (the Python track's second client) binds parameters by quoting them
    // into the SQL text on the client: the wire cannot tell that from hand-made
    // quoting, so only the first client's run is held to it there.
    if cx.python && client == Client::Sqlx {
        return Ok(());
    }
    // The customer id is left out: a short number occurs in SQL by chance.
    let mut values = scene.args(scene.min_cents).split_off(1);
    values.push(shop::decimal(unreachable_cents));
    let exercise = if client == Client::Sqlx { "12" } else { "05" };
    match evidence::pasted_values(&cx.wire_since(mark), &values, exercise) {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
}

/// `grader sandbox 05` (and 12): the shop and the boundary orders, as the check plants
/// them, and the search the check makes first.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let scene = plant_scene(&mut planting.admin()?, planting.rng)?;
    Ok(Planted {
        holds: format!(
            "the shop: customers, products and orders, among them orders of customer {} on every \
             boundary of the search below",
            scene.customer_id
        ),
        runs: vec![Run::new(
            scene.args(scene.min_cents),
            "the orders of at least that amount within the range, both ends included, oldest first",
        )],
    })
}

/// Plants a random shop, then the boundary orders for one customer.
fn plant_scene(conn: &mut Conn, rng: &mut fastrand::Rng) -> mysql::Result<Scene> {
    // Enough customers that the index below is the way to one customer's orders.
    let sizes = Sizes { customers: 16, products: 5, orders: 120 };
    let planted = shop::plant(conn, rng, sizes)?;
    // Through this index, orders placed at the same second come highest id first: a
    // search sorted by time alone returns the tied pair the wrong way round instead of
    // right by luck of the table's order.
    conn.query_drop(TIES_BY_ID_DESCENDING)?;
    let customer = &planted.customers[rng.usize(..planted.customers.len())];
    let other = planted.customers.iter().find(|c| c.id != customer.id).unwrap_or(customer);
    let from_second = rng.u32(30..150) * DAY + rng.u32(1..DAY - 1);
    let to_second = from_second + rng.u32(20..120) * DAY + rng.u32(1..DAY);
    let min_cents = rng.u64(1500..6000);
    let inside = |rng: &mut fastrand::Rng| rng.u32(from_second + 1..to_second);
    let above = |rng: &mut fastrand::Rng| min_cents + rng.u64(1..5000);

    let tied = inside(rng);
    // Ids rise in this order, against the order of time among the included ones.
    let boundary = [
        (Role::AtTo, customer.id, to_second, above(rng)),
        (Role::AtMinimum, customer.id, inside(rng), min_cents),
        (Role::AtFrom, customer.id, from_second, above(rng)),
        (Role::BeforeFrom, customer.id, from_second - 1, above(rng)),
        (Role::AfterTo, customer.id, to_second + 1, above(rng)),
        (Role::BelowMinimum, customer.id, inside(rng), min_cents - 1),
        (Role::OtherCustomer, other.id, inside(rng), above(rng)),
        (Role::Large, customer.id, inside(rng), rng.u64(10_000..15_000)),
        (Role::Small, customer.id, inside(rng), rng.u64(600..1_000)),
        (Role::TiedFirst, customer.id, tied, above(rng)),
        (Role::TiedSecond, customer.id, tied, above(rng)),
    ];
    let first_id = planted.orders.iter().map(|o| o.id).max().unwrap_or(0) + rng.u32(1..50);
    let mut orders: Vec<(Order, Role)> =
        planted.orders.iter().map(|o| (o.clone(), Role::Random)).collect();
    for (index, (role, customer_id, second, amount_cents)) in (0u32..).zip(boundary) {
        let product = &planted.products[rng.usize(..planted.products.len())];
        let order = Order {
            id: first_id + index,
            customer_id,
            product_id: product.id,
            quantity: rng.u32(1..=5),
            amount_cents,
            ordered_at: datetime(second),
        };
        conn.exec_drop(
            "INSERT INTO orders (id, customer_id, product_id, quantity, amount, ordered_at)
             VALUES (?, ?, ?, ?, ?, ?)",
            (
                order.id,
                order.customer_id,
                order.product_id,
                order.quantity,
                shop::decimal(order.amount_cents),
                &order.ordered_at,
            ),
        )?;
        orders.push((order, role));
    }
    Ok(Scene {
        orders,
        customer_id: customer.id,
        min_cents,
        from: datetime(from_second),
        to: datetime(to_second),
    })
}

const DAY: u32 = 24 * 60 * 60;

/// `YYYY-MM-DD HH:MM:SS` of the `second`-th second of 2026 (not a leap year).
fn datetime(second: u32) -> String {
    const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut day, time) = (second / DAY, second % DAY);
    let mut month = 0;
    while month < 11 && day >= MONTH_DAYS[month] {
        day -= MONTH_DAYS[month];
        month += 1;
    }
    format!(
        "2026-{:02}-{:02} {:02}:{:02}:{:02}",
        month + 1,
        day + 1,
        time / 3600,
        time / 60 % 60,
        time % 60
    )
}

/// The lines the program should print, as JSON values, from the grader's own query.
fn reference_answer(conn: &mut Conn, scene: &Scene, min_cents: u64) -> mysql::Result<Vec<Value>> {
    let rows: Vec<(u32, String, u32, String, String)> = conn.exec(
        REFERENCE_QUERY,
        (scene.customer_id, shop::decimal(min_cents), &scene.from, &scene.to),
    )?;
    Ok(rows
        .into_iter()
        .map(|(id, product, quantity, amount, ordered_at)| {
            json!({
                "id": id, "product": product, "quantity": quantity,
                "amount": amount, "ordered_at": ordered_at,
            })
        })
        .collect())
}

fn amount_cents(line: &Value) -> Option<u64> {
    let (units, cents) = line["amount"].as_str()?.split_once('.')?;
    Some(units.parse::<u64>().ok()? * 100 + cents.parse::<u64>().ok()?)
}

/// Judges one run against the expected lines.
fn judge_run(
    run: &RunOutput,
    client: Client,
    scene: &Scene,
    min_cents: u64,
    expected: &[Value],
) -> Result<(), Problem> {
    let search = scene.describe_search(min_cents);
    if let Some(failure) = conversion_failure(run, client) {
        return Err(failure.into());
    }
    finished_ok(run, &format!("for {search}"))?;
    let printed = parse_lines(run)?;
    if printed == expected {
        return Ok(());
    }
    let ids =
        |lines: &[Value]| -> Vec<u64> { lines.iter().filter_map(|l| l["id"].as_u64()).collect() };
    let (want, got) = (ids(expected), ids(&printed));
    let failure = if expected.is_empty() {
        Failure::new(
            format!("your program printed orders where none match ({search})"),
            "print nothing at all when no order matches: no header, no empty list",
        )
    } else if let Some(id) = want.iter().find(|id| !got.contains(id)) {
        missing_order(scene, *id, min_cents, &search)
    } else if let Some(id) = got.iter().find(|id| !want.contains(id)) {
        extra_order(scene, *id, min_cents, &search)
    } else if want != got {
        wrong_order(scene, &want, &got, &search)
    } else {
        return Err(different_values(expected, &printed, &search).into());
    };
    Err(failure
        .expected(format!("{} lines: ids {}", want.len(), join(&want)))
        .got(format!("{} lines: ids {}", got.len(), join(&got)))
        .into())
}

/// A run that stopped because a column's value did not fit its field's type: the
/// `mysql` crate panics ("Couldn't convert"), sqlx returns "mismatched types".
fn conversion_failure(run: &RunOutput, client: Client) -> Option<Failure> {
    let stderr = &run.stderr.text;
    if !stderr.contains("Couldn't convert") && !stderr.contains("mismatched types") {
        return None;
    }
    let next = match client {
        Client::Mysql => "a DATETIME arrives as a date value, which cannot become a String: have the server format it, DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at",
        Client::Sqlx => "sqlx fills a String only from a text column: CAST(o.amount AS CHAR) AS amount, and DATE_FORMAT(o.ordered_at, '%Y-%m-%d %H:%i:%s') AS ordered_at",
    };
    let got = match run.panic() {
        Some(panic) => format!("a panic: {}", panic.message.lines().next().unwrap_or_default()),
        None => format!("on stderr, {}", describe_lines(stderr, run.stderr.was_cut())),
    };
    Some(
        Failure::new(
            "your program could not turn a column of the result into its field's type",
            next,
        )
        .got(got),
    )
}

fn parse_lines(run: &RunOutput) -> Result<Vec<Value>, Failure> {
    let mut lines = Vec::new();
    for (number, line) in (1..).zip(run.stdout.text.lines()) {
        match serde_json::from_str::<Value>(line) {
            Ok(value) if value.is_object() => lines.push(value),
            _ => {
                return Err(Failure::new(
                    format!("line {number} of your program's output is not a JSON object"),
                    "print only the orders, one JSON object per line (the given main does that)",
                )
                .got(describe_lines(&run.stdout.text, run.stdout.was_cut())))
            }
        }
    }
    Ok(lines)
}

fn missing_order(scene: &Scene, id: u64, min_cents: u64, search: &str) -> Failure {
    let (summary, next) = match scene.order(id) {
        Some((order, Role::AtMinimum)) => (
            format!("your program left out order {id}, whose amount is exactly the minimum, {}", shop::decimal(order.amount_cents)),
            "\"at least\" includes the minimum itself: compare the amount with >=, not >",
        ),
        Some((order, role @ (Role::AtFrom | Role::AtTo))) => (
            format!(
                "your program left out order {id}, placed at {}, exactly at the {} of the range",
                order.ordered_at,
                if *role == Role::AtFrom { "start" } else { "end" }
            ),
            "both ends of the range are included: use >= and <=, or BETWEEN ? AND ?",
        ),
        Some((order, Role::Large | Role::Random))
            if shop::decimal(order.amount_cents) < shop::decimal(min_cents) =>
        (
            format!(
                "your program left out order {id} of {}, above the minimum {}; compared as text, {:?} comes before {:?}",
                shop::decimal(order.amount_cents),
                shop::decimal(min_cents),
                shop::decimal(order.amount_cents),
                shop::decimal(min_cents)
            ),
            "compare amounts as numbers, in SQL: o.amount >= ?, with the minimum as the parameter (not a string comparison in Rust)",
        ),
        _ => (
            format!("your program left out order {id}, which matches"),
            "filter on the customer, the amount (>=) and the time (both ends included), and print every row",
        ),
    };
    Failure::new(format!("{summary} ({search})"), next)
}

fn extra_order(scene: &Scene, id: u64, min_cents: u64, search: &str) -> Failure {
    let (summary, next) = match scene.order(id) {
        None => (
            format!("your program printed order {id}, which does not exist"),
            "print the rows the server returns, not values of your own",
        ),
        Some((order, _)) if order.customer_id != scene.customer_id => (
            format!("your program printed order {id} of another customer, {}", order.customer_id),
            "keep only the customer's orders: WHERE o.customer_id = ?",
        ),
        Some((order, _))
            if order.amount_cents < min_cents
                && shop::decimal(order.amount_cents) > shop::decimal(min_cents) =>
        (
            format!(
                "your program printed order {id} of {}, below the minimum {}; compared as text, {:?} comes after {:?}",
                shop::decimal(order.amount_cents),
                shop::decimal(min_cents),
                shop::decimal(order.amount_cents),
                shop::decimal(min_cents)
            ),
            "compare amounts as numbers, in SQL: o.amount >= ?, with the minimum as the parameter (not a string comparison in Rust)",
        ),
        Some((order, _)) if order.amount_cents < min_cents => (
            format!("your program printed order {id} of {}, below the minimum", shop::decimal(order.amount_cents)),
            "keep only orders of at least the minimum: o.amount >= ?",
        ),
        Some((order, _)) => (
            format!("your program printed order {id}, placed at {}, outside the range", order.ordered_at),
            "keep only orders placed between the two times, both included: o.ordered_at BETWEEN ? AND ?",
        ),
    };
    Failure::new(format!("{summary} ({search})"), next)
}

/// The right orders in another order: named by the first pair out of place, and by
/// whether they were placed at the same second (then the tie-break by id is wrong).
fn wrong_order(scene: &Scene, want: &[u64], got: &[u64], search: &str) -> Failure {
    let at = want.iter().zip(got).position(|(w, g)| w != g).unwrap_or(0);
    let (first, then) = (want[at], got[at]);
    let time = |id: u64| scene.order(id).map(|(order, _)| order.ordered_at.clone());
    match (time(first), time(then)) {
        (Some(a), Some(b)) if a == b => Failure::new(
            format!(
                "your program printed orders {then} and {first}, both placed at {a}, with the higher id first ({search})"
            ),
            "orders placed at the same time go by id, ascending: end the ORDER BY with the id, \
             ORDER BY o.ordered_at, o.id (without DESC); sorted by time alone, tied orders come \
             in whatever order the server reads them",
        ),
        _ => Failure::new(
            format!("your program printed the right orders in the wrong order ({search})"),
            "sort them in SQL: ORDER BY the time the order was placed, then by id",
        ),
    }
}

fn different_values(expected: &[Value], printed: &[Value], search: &str) -> Failure {
    let (want, got) = expected
        .iter()
        .zip(printed)
        .find(|(want, got)| want != got)
        .map(|(want, got)| (want.to_string(), got.to_string()))
        .unwrap_or_default();
    Failure::new(
        format!("your program printed the right orders, but not every field as the server has it ({search})"),
        "fill each field from the column of the same name: product is the product's name, amount and ordered_at as the server formats them",
    )
    .expected(want)
    .got(got)
}

fn join(ids: &[u64]) -> String {
    if ids.is_empty() {
        return "none".into();
    }
    ids.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_of_2026_become_datetimes() {
        assert_eq!(datetime(0), "2026-01-01 00:00:00");
        assert_eq!(datetime(31 * DAY + 3661), "2026-02-01 01:01:01");
        assert_eq!(datetime(365 * DAY - 1), "2026-12-31 23:59:59");
    }

    #[test]
    fn amounts_read_back_as_cents() {
        assert_eq!(amount_cents(&json!({"amount": "25.07"})), Some(2507));
        assert_eq!(amount_cents(&json!({"amount": 25.07})), None);
    }
}
