//! Check of exercise 06: the customer search treats its input as a name and nothing
//! else. The grader plants customers (some named like attacks), a canary table, and
//! then searches for a real name and for classic injections: quotes, `OR 1=1`, a
//! `UNION SELECT`, stacked `DROP TABLE` and `INSERT`, a `SLEEP(3)` and backslash
//! tricks. The real name is shared by customers who write it in other cases and with
//! a trailing space (the server's `=` decides which match), the last of them with the
//! lowest e-mail address under an index on `(name, email)`, so a search without
//! `ORDER BY id` comes back in e-mail order; names holding `_` and `%` are searched
//! too, which `LIKE` reads as wildcards. Each search must print exactly the customers whose name equals the input
//! (as the grader's own prepared statement finds them), leave every table as it was,
//! and come back before a sleep could have run.

use std::time::Duration;

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::expect::{describe_lines, finished_ok};
use super::shop::{self, Sizes};
use super::{evidence, Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::{Exit, RunOutput};

/// The check of `06_sql_injection`.
pub struct SqlInjection;

/// The classic payload: planted as a customer's name on every run, so the search for
/// it must find exactly that customer.
const ALWAYS_TRUE: &str = "' OR '1'='1";

/// What an attacker types, in the order the grader tries them (after a plain name,
/// [`ALWAYS_TRUE`] and a name with an apostrophe). Each one changes a query built
/// with `format!` in its own way; the last two get past quotes escaped by hand.
const PAYLOADS: [&str; 8] = [
    "'",
    "' OR 1=1#",
    "' UNION SELECT id, token, token FROM canary#",
    "'; DROP TABLE canary; -- ",
    "'; INSERT INTO customers (email, name) VALUES ('mallory@example.com', 'Mallory'); -- ",
    "'; SELECT SLEEP(3); -- ",
    "\\' OR 1=1 -- ",
    "\\",
];

/// A search that lasts this long ran the `SLEEP(3)` of a payload (3 s, less a margin
/// for clocks); a correct search takes milliseconds.
const SLEPT: Duration = Duration::from_millis(2_900);

/// Rows in the canary table, which no search may change.
const CANARY_ROWS: u32 = 3;

/// A table's rows, each as its columns' text, or `None` if the table is gone.
type TableRows = Option<Vec<Vec<String>>>;

/// What the searches must leave as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tables {
    customers: TableRows,
    canary: TableRows,
}

impl Check for SqlInjection {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let mut admin = Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?;
        let searches = plant(&mut admin, &mut cx.rng)?;
        let before = tables(&mut admin)?;
        let mut own = Conn::new(cx.sandbox.endpoint().opts(Some(&cx.sandbox.database)))?;
        let mark = cx.wire_mark();

        for input in &searches {
            let expected = customers_named(&mut own, input)?;
            let run = cx.run(std::slice::from_ref(input))?;
            judge_tables(input, &before, &tables(&mut admin)?)?;
            judge_time(input, &run)?;
            judge_run(input, &run)?;
            judge_output(input, &expected, &run)?;
        }
        // Hand-made quoting can pass every search above and still be one input away
        // from an injection: the names must not travel inside the SQL at all.
        match evidence::pasted_values(&cx.wire_since(mark), &searches, "06") {
            Some(failure) => Err(failure.into()),
            None => Ok(()),
        }
    }
}

/// Plants the customers, the canary and the customers the searches look for (20
/// customers in all), and returns the searches in order (see [`plant_search_targets`]).
fn plant(admin: &mut Conn, rng: &mut fastrand::Rng) -> mysql::Result<Vec<String>> {
    let planted = shop::plant(admin, rng, Sizes { customers: 11, products: 0, orders: 0 })?;
    plant_canary(admin, rng)?;
    plant_search_targets(admin, rng, &planted.customers)
}

/// `grader sandbox 06`: the customers and the canary as the check plants them, and
/// three of the searches the check makes.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let mut admin = planting.admin()?;
    let searches = plant(&mut admin, planting.rng)?;
    let count: usize = admin.query_first("SELECT COUNT(*) FROM customers")?.unwrap_or_default();
    let mut runs = Vec::new();
    if let [_, always_true, _, twin, apostrophe, ..] = searches.as_slice() {
        runs = vec![
            Run::new(
                [twin],
                "customers with this name, some in other cases or with a trailing space: it prints \
                 those the server's = matches, by id",
            ),
            Run::new(
                [always_true],
                format!("1 customer has this name; a search that pastes it into its SQL prints all {count}"),
            ),
            Run::new([apostrophe], "a real name with an apostrophe: a pasted search fails with a syntax error"),
        ];
    }
    Ok(Planted {
        holds: format!(
            "the shop's table customers ({count} customers, some named like attacks) and a table canary \
             that no search may change"
        ),
        runs,
    })
}

/// Creates the canary table, with random tokens a `UNION SELECT` could leak.
fn plant_canary(admin: &mut Conn, rng: &mut fastrand::Rng) -> mysql::Result<()> {
    admin.query_drop("CREATE TABLE canary (id INT PRIMARY KEY, token VARCHAR(64) NOT NULL)")?;
    admin.exec_batch(
        "INSERT INTO canary (id, token) VALUES (?, ?)",
        (1..=CANARY_ROWS).map(|id| {
            let token: String = (0..16).map(|_| rng.alphanumeric()).collect();
            (id, format!("secret-{token}"))
        }),
    )
}

/// Adds the customers the searches look for, and returns the searches in order: a
/// name with `_`, [`ALWAYS_TRUE`] (a customer's real name here), a name with `%`
/// (see [`wildcard_names`]; both before the next, so that `LIKE` is named as the
/// mistake on every server), a plain name that several customers share (in other
/// cases, and with a trailing space, too), a name with an apostrophe, then every
/// payload. One more payload, drawn at
/// random, is also planted as a name.
fn plant_search_targets(
    admin: &mut Conn,
    rng: &mut fastrand::Rng,
    customers: &[shop::Customer],
) -> mysql::Result<Vec<String>> {
    let plain: Vec<&str> =
        customers.iter().map(|c| c.name.as_str()).filter(|name| !name.contains('\'')).collect();
    let twin = if plain.is_empty() { "Ana Silva" } else { plain[rng.usize(..plain.len())] };
    let apostrophe = customers
        .iter()
        .map(|c| c.name.clone())
        .find(|name| name.contains('\''))
        .unwrap_or_else(|| format!("{} O'Brien", ["Chloé", "Jonas", "Farah"][rng.usize(..3)]));
    let extra_payload = PAYLOADS[rng.usize(..PAYLOADS.len())];
    let names = [twin, ALWAYS_TRUE, apostrophe.as_str(), extra_payload];
    admin.exec_batch(
        "INSERT INTO customers (email, name) VALUES (?, ?)",
        names.iter().enumerate().map(|(n, name)| (format!("planted{n}@example.com"), *name)),
    )?;
    // The twin's name again, in other cases and with a trailing space; the last one
    // inserted (the highest id) has the lowest e-mail address, so that under the
    // index below a search without ORDER BY id shows it first.
    let (wildcard_one, wildcard_any) = wildcard_names(twin);
    let variants = [
        (format!("{twin} "), format!("planted-space{}@example.com", rng.u32(10..100))),
        (wildcard_one.clone(), format!("planted-underscore{}@example.com", rng.u32(10..100))),
        (wildcard_any.clone(), format!("planted-percent{}@example.com", rng.u32(10..100))),
        (twin.to_lowercase(), format!("planted-lower{}@example.com", rng.u32(10..100))),
        (twin.to_uppercase(), format!("0-planted-upper{}@example.com", rng.u32(10..100))),
    ];
    admin.exec_batch(
        "INSERT INTO customers (email, name) VALUES (?, ?)",
        variants.iter().map(|(name, email)| (email, name)),
    )?;
    admin.query_drop("CREATE INDEX by_name ON customers (name, email)")?;
    let mut searches: Vec<String> = vec![
        wildcard_one,
        ALWAYS_TRUE.to_string(),
        wildcard_any,
        twin.to_string(),
        apostrophe.clone(),
    ];
    searches.extend(PAYLOADS.iter().map(|payload| payload.to_string()));
    Ok(searches)
}

/// The twin's name with `_` for its first space, and its first word followed by `%`:
/// names a customer may have, and that `LIKE` reads as patterns matching the twins.
fn wildcard_names(twin: &str) -> (String, String) {
    let one = twin.replacen(' ', "_", 1);
    let first = twin.split(' ').next().unwrap_or(twin);
    (one, format!("{first}%"))
}

/// The rows of the two tables a search could damage.
fn tables(admin: &mut Conn) -> mysql::Result<Tables> {
    Ok(Tables {
        customers: table_rows(admin, "SELECT id, email, name FROM customers ORDER BY id")?,
        canary: table_rows(admin, "SELECT id, token FROM canary ORDER BY id")?,
    })
}

/// The rows `sql` returns as text, or `None` if its table no longer exists.
fn table_rows(admin: &mut Conn, sql: &str) -> mysql::Result<TableRows> {
    const NO_SUCH_TABLE: u16 = 1146;
    match admin.query_map(sql, |row: mysql::Row| {
        row.unwrap().into_iter().map(|value| value.as_sql(true)).collect()
    }) {
        Ok(rows) => Ok(Some(rows)),
        Err(mysql::Error::MySqlError(error)) if error.code == NO_SUCH_TABLE => Ok(None),
        Err(error) => Err(error),
    }
}

/// The lines the program must print for `input`: the customers the grader's own
/// prepared statement finds, on the learner's account.
fn customers_named(own: &mut Conn, input: &str) -> mysql::Result<Vec<String>> {
    own.exec_map(
        "SELECT id, name, email FROM customers WHERE name = ? ORDER BY id",
        (input,),
        |(id, name, email): (u32, String, String)| format!("{id}\t{name}\t{email}"),
    )
}

/// The search must leave the customers and the canary as they were.
fn judge_tables(input: &str, before: &Tables, after: &Tables) -> Result<(), Failure> {
    let shown = quoted(input);
    let what = match (&after.canary, &after.customers, &before.customers) {
        (None, _, _) => "dropped the table canary".to_string(),
        (Some(_), None, _) => "dropped the table customers".to_string(),
        (Some(canary), _, _) if Some(canary) != before.canary.as_ref() => {
            "changed the table canary".to_string()
        }
        (_, Some(now), Some(was)) if now.len() > was.len() => {
            format!("added {} to the customers table", rows(now.len() - was.len()))
        }
        (_, Some(now), Some(was)) if now.len() < was.len() => {
            format!("deleted {} from the customers table", rows(was.len() - now.len()))
        }
        (_, now, was) if now != was => "changed rows of the customers table".to_string(),
        _ => return Ok(()),
    };
    Err(injection(format!("searching for {shown} {what}: the input ran as SQL (SQL injection)"))
        .expected("the tables left exactly as they were: a search only reads")
        .got(what))
}

/// A payload's `SLEEP(3)` must not have run.
fn judge_time(input: &str, run: &RunOutput) -> Result<(), Failure> {
    let slept = run.elapsed >= SLEPT || run.exit == Exit::TimedOut;
    if !(slept && input.contains("SLEEP")) {
        return Ok(());
    }
    let shown = quoted(input);
    Err(injection(format!(
        "searching for {shown} took {:.1} s: the SLEEP(3) in the input ran on the server (SQL injection)",
        run.elapsed.as_secs_f64()
    ))
    .expected("an answer within milliseconds, as for any other name")
    .got(format!("an answer after {:.1} s", run.elapsed.as_secs_f64())))
}

/// The program must end well; a syntax error from the server means the input was
/// pasted into the SQL text.
fn judge_run(input: &str, run: &RunOutput) -> Result<(), Problem> {
    const SYNTAX_ERROR: &str = "1064";
    let stderr = &run.stderr.text;
    let shown = quoted(input);
    if !run.succeeded() && run.panic().is_none() && stderr.contains(SYNTAX_ERROR) {
        return Err(injection(format!(
            "searching for {shown} made the server reject your SQL as a syntax error: the input became part of the SQL text (SQL injection)"
        ))
        .got(format!("on stderr, {}", describe_lines(stderr, run.stderr.was_cut())))
        .into());
    }
    finished_ok(run, &format!("with the name {shown}"))
}

/// The program must print exactly the customers named `input`, in id order.
fn judge_output(input: &str, expected: &[String], run: &RunOutput) -> Result<(), Failure> {
    let printed: Vec<&str> = run.stdout.text.lines().map(str::trim_end).collect();
    if printed == expected {
        return Ok(());
    }
    let shown = quoted(input);
    let names = |lines: &[&str]| -> Vec<String> {
        lines.iter().filter_map(|line| line.split('\t').nth(1)).map(String::from).collect()
    };
    let expected_lines: Vec<&str> = expected.iter().map(String::as_str).collect();
    let wanted_names = names(&expected_lines);
    let failure = if printed.len() > expected.len() && (input.contains('_') || input.contains('%'))
    {
        Failure::new(
            format!(
                "searching for {shown} printed {}, but {}: `_` and `%` in the name were read as LIKE's wildcards",
                customers(printed.len()),
                named(expected.len())
            ),
            "compare the name with `=`, as the given query does (`WHERE name = ?`), not with LIKE: \
             a name may hold `_` and `%`, and they are plain characters",
        )
    } else if printed.len() < expected.len()
        && wanted_names.iter().any(|name| name != input && !names(&printed).contains(name))
    {
        let left_out: Vec<String> = wanted_names
            .iter()
            .filter(|name| !names(&printed).contains(name))
            .map(|name| quoted(name))
            .collect();
        Failure::new(
            format!(
                "searching for {shown} printed {}, but {}: the server's `=` also matches {}, which your program left out",
                customers(printed.len()),
                named(expected.len()),
                left_out.join(", ")
            ),
            "compare with `WHERE name = ?` as the given query does, and let the server decide what is equal \
             (its collation ignores case, and on MariaDB trailing spaces): no BINARY, no COLLATE, no filter in Rust",
        )
    } else if printed.len() == expected.len() && {
        let (mut a, mut b) = (printed.clone(), expected_lines.clone());
        a.sort_unstable();
        b.sort_unstable();
        a == b
    } {
        Failure::new(
            format!("searching for {shown} printed the right customers in another order"),
            "sort them by id: ORDER BY id; without it the server returns rows in whatever order its plan \
             reads them (here an index on the name and e-mail address)",
        )
    } else if printed.len() > expected.len() {
        injection(format!(
            "searching for {shown} printed {}, but {}: the input changed the query (SQL injection)",
            customers(printed.len()),
            named(expected.len())
        ))
    } else if printed.len() < expected.len() {
        Failure::new(
            format!(
                "searching for {shown} printed {}, but {}",
                customers(printed.len()),
                named(expected.len())
            ),
            "names may hold quotes and backslashes: search for the input exactly as given, \
             passed to the server as a parameter, without removing or changing characters",
        )
    } else {
        Failure::new(
            format!("searching for {shown} printed other customers than those with that name"),
            "return the rows of `SELECT id, name, email FROM customers WHERE name = ? ORDER BY id`, \
             in that order, and keep src/main.rs as given",
        )
    };
    let wanted = if expected.is_empty() {
        "no output: no customer has that name".to_string()
    } else {
        describe_lines(&(expected.join("\n") + "\n"), false)
    };
    Err(failure.expected(wanted).got(describe_lines(&run.stdout.text, run.stdout.was_cut())))
}

/// The input between double quotes, exactly as typed (no escapes added).
fn quoted(input: &str) -> String {
    format!("\"{input}\"")
}

/// A failure caused by input read as SQL, with the one fix that closes the hole.
fn injection(summary: String) -> Failure {
    Failure::new(
        summary,
        "keep the SQL text fixed and send the name separately, as the parameter of a prepared \
         statement (`conn.exec_map` with a `?` placeholder), never inside the SQL string",
    )
    .in_python(
        "keep the SQL text fixed and send the name separately: a `%s` placeholder, and the \
         name as the second argument, `cursor.execute(sql, (name,))`, never inside the SQL string",
    )
}

fn customers(count: usize) -> String {
    match count {
        1 => "1 customer".to_string(),
        count => format!("{count} customers"),
    }
}

fn rows(count: usize) -> String {
    match count {
        1 => "1 row".to_string(),
        count => format!("{count} rows"),
    }
}

/// "no customer has that name", "1 customer has that name", "2 customers have …".
fn named(count: usize) -> String {
    match count {
        0 => "no customer has that name".to_string(),
        1 => "1 customer has that name".to_string(),
        count => format!("{count} customers have that name"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(customers: usize, canary: bool) -> Tables {
        let row = |n: usize| vec![n.to_string(), format!("c{n}")];
        Tables {
            customers: Some((0..customers).map(row).collect()),
            canary: canary.then(|| vec![row(1)]),
        }
    }

    #[test]
    fn changed_tables_are_named() {
        let before = tables(3, true);
        assert!(judge_tables("x", &before, &before).is_ok());
        let dropped = judge_tables("x", &before, &tables(3, false)).unwrap_err();
        assert!(dropped.summary.contains("dropped the table canary"), "{}", dropped.summary);
        let added = judge_tables("x", &before, &tables(4, true)).unwrap_err();
        assert!(added.summary.contains("added 1 row to the customers"), "{}", added.summary);
        assert!(added.summary.ends_with("(SQL injection)"));
    }

    #[test]
    fn counts_read_as_english() {
        assert_eq!(customers(0), "0 customers");
        assert_eq!(named(0), "no customer has that name");
        assert_eq!(named(1), "1 customer has that name");
        assert_eq!(named(3), "3 customers have that name");
    }
}
