//! Check of exercise 04: the program loads a CSV file of customers into the shop's
//! `customers` table, in one transaction, and says how many it loaded.
//!
//! The grader creates the shop's tables, writes a file of random customers to a
//! temporary file (always with a quote, a backslash, a double quote and a comma, an
//! empty city and a NULL one, accented letters and emoji), runs the program, and
//! compares the table with the file, value for value. Then it gives the program a
//! second file whose last row repeats an e-mail address: the program must fail
//! cleanly and leave the table as it was, none of that file's rows kept.

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::expect::{describe_lines, failed_cleanly, finished_ok};
use super::shop;
use super::{evidence, Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::{Exit, RunOutput};

/// The check of `04_insert_rows`.
pub struct InsertRows;

/// A customer as the file has it: `(email, name, city)`, the city `None` for NULL.
type Row = (String, String, Option<String>);

/// Names that break SQL built by pasting values into it, or text that a connection
/// in another character set mangles, or that a program "tidying" values changes (a
/// trailing space). Every file has each of these.
const NAMES_EVERY_FILE_HAS: [&str; 6] = [
    "Siobhán O'Brien",
    r"Back\slash Kim",
    "Anna \"Ace\" Silva, Jr.",
    "Zoë Müller",
    "Ana 🚀 Nguyễn",
    "Mary Ann  ",
];

const MORE_NAMES: [&str; 14] = [
    "Jean-Luc D'Amboise",
    r"C:\new\table",
    "Łukasz Kowalski",
    "Søren Ødegård",
    "山田 太郎",
    "Kim 😀",
    "👩‍💻 Farah",
    "Iñaki García 🇪🇸",
    "Chloé Dubois",
    "Jonas Smith",
    "Giulia Rossi",
    "Hiroshi Kim",
    "Eun-ji Park",
    "",
];

/// Cities, from which rows draw; `None` is NULL, `Some("")` an empty string.
const CITIES: [Option<&str>; 9] = [
    None,
    Some(""),
    Some("Lisboa"),
    Some("São Paulo"),
    Some("Zürich"),
    Some("Reykjavík"),
    Some("New York, NY"),
    Some("Kraków"),
    Some("Osaka 大阪"),
];

/// `grader sandbox 04`: the shop's tables, empty, as the check creates them.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    shop::create_schema(&mut planting.admin()?)?;
    Ok(Planted {
        holds: "the shop's tables customers, products and orders, empty".into(),
        runs: vec![Run::new(
            ["customers.csv"],
            "a CSV file of your own, with the header and columns the README shows",
        )],
    })
}

impl Check for InsertRows {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let mut conn = Conn::new(cx.sandbox.endpoint().opts(Some(&cx.sandbox.database)))?;
        shop::create_schema(&mut conn)?;

        let rows = random_rows(&mut cx.rng, 0);
        let file = write_csv(cx, &rows)?;
        let run = cx.run(&[file.display().to_string()])?;
        let loaded = cx.last_wire();
        first_run_succeeded(&run)?;
        compare_table(&mut conn, &rows)?;
        reported_count(&run, rows.len())?;

        let bad_rows = rows_with_a_duplicate(&mut cx.rng, rows.len());
        let bad_file = write_csv(cx, &bad_rows)?;
        let run = cx.run(&[bad_file.display().to_string()])?;
        let what = "on a file whose last row repeats an e-mail address";
        failed_cleanly(&run, what)?;
        nothing_kept(&mut conn, &rows, &bad_rows)?;

        // What the tables cannot show: how the values and the transaction travelled.
        let values: Vec<String> = rows
            .iter()
            .flat_map(|(email, name, city)| {
                [email.clone(), name.clone()].into_iter().chain(city.clone())
            })
            .collect();
        if let Some(failure) = evidence::pasted_values(&loaded, &values, "04") {
            return Err(failure.into());
        }
        if let Some(failure) =
            evidence::Transactions::of(&loaded).committed_once("04", "loading a good file")
        {
            return Err(failure.into());
        }
        match evidence::Transactions::of(&cx.last_wire()).rolled_back("04", what) {
            Some(failure) => Err(failure.into()),
            None => Ok(()),
        }
    }
}

/// Random customers with e-mail addresses numbered from `first`; every kind of
/// difficult value is there at least once, in a random place.
fn random_rows(rng: &mut fastrand::Rng, first: usize) -> Vec<Row> {
    let count = rng.usize(12..=24);
    let mut rows: Vec<Row> = (0..count)
        .map(|index| {
            let name = match NAMES_EVERY_FILE_HAS.get(index) {
                Some(name) => name,
                None => MORE_NAMES[rng.usize(..MORE_NAMES.len())],
            };
            let city = match index {
                0 => None,
                1 => Some(""),
                _ => CITIES[rng.usize(..CITIES.len())],
            };
            // Every third address keeps its capitals: an address is stored as written.
            let email = email(name, first + index, index % 3 == 0);
            (email, name.to_string(), city.map(str::to_string))
        })
        .collect();
    rng.shuffle(&mut rows);
    rows
}

/// A unique address made from a name's ASCII letters (and apostrophes, which are
/// allowed in addresses and break pasted SQL too), with its capitals or without.
fn email(name: &str, number: usize, capitals: bool) -> String {
    let local: String = name
        .chars()
        .filter(|c| c.is_ascii_alphabetic() || *c == '\'')
        .map(|c| if capitals { c } else { c.to_ascii_lowercase() })
        .collect();
    let domain = if capitals { "Example.COM" } else { "example.com" };
    format!("{}{number}@{domain}", if local.is_empty() { "someone" } else { &local })
}

/// Three to six new customers, then one whose address the first of them has already.
fn rows_with_a_duplicate(rng: &mut fastrand::Rng, first: usize) -> Vec<Row> {
    let mut rows: Vec<Row> = random_rows(rng, first).into_iter().take(rng.usize(3..=6)).collect();
    let taken = rows[0].0.clone();
    rows.push((taken, "Duplicate Address".into(), Some("Lisboa".into())));
    rows
}

/// Writes `email,name,city` and the rows to a file for the program, removed when the
/// check ends: fields with a comma, a quote or a line break in double quotes, NULL as
/// `\N`.
fn write_csv(cx: &mut Context<'_>, rows: &[Row]) -> anyhow::Result<std::path::PathBuf> {
    let mut text = String::from("email,name,city\n");
    for (email, name, city) in rows {
        let fields = [csv_field(Some(email)), csv_field(Some(name)), csv_field(city.as_deref())];
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    cx.program_file("customers-", ".csv", text.as_bytes())
}

fn csv_field(value: Option<&str>) -> String {
    match value {
        None => r"\N".into(),
        Some(text) if text.contains([',', '"', '\n', '\r']) => {
            format!("\"{}\"", text.replace('"', "\"\""))
        }
        Some(text) => text.into(),
    }
}

/// Shows a row as it would be written in SQL, so that NULL and '' look different.
fn show(row: &Row) -> String {
    let (email, name, city) = row;
    let city = city.as_ref().map_or("NULL".into(), |city| format!("{city:?}"));
    format!("({email:?}, {name:?}, {city})")
}

fn first_run_succeeded(run: &RunOutput) -> Result<(), Problem> {
    let syntax_error = run.stderr.text.contains("SQL syntax");
    if matches!(run.exit, Exit::Code(code) if code != 0) && run.panic().is_none() && syntax_error {
        return Err(Failure::new(
            "the server could not parse your INSERT: a value with a quote ended the SQL text early",
            "never paste values into SQL: write ? placeholders and pass the values as parameters",
        )
        .in_python(
            "never paste values into SQL: write %s placeholders and pass the values apart, as executemany's \
             second argument on `conn.cursor(prepared=True)`",
        )
        .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into());
    }
    finished_ok(run, "on a good file")
}

fn read_table(conn: &mut Conn) -> mysql::Result<Vec<Row>> {
    conn.query("SELECT email, name, city FROM customers ORDER BY email")
}

fn sorted(rows: &[Row]) -> Vec<Row> {
    let mut rows = rows.to_vec();
    rows.sort();
    rows
}

fn compare_table(conn: &mut Conn, rows: &[Row]) -> Result<(), Problem> {
    let expected = sorted(rows);
    let mut stored = read_table(conn)?;
    stored.sort();
    if stored == expected {
        return Ok(());
    }
    let recased = expected.iter().find_map(|row| {
        let other = stored.iter().find(|s| s.0 != row.0 && s.0.eq_ignore_ascii_case(&row.0))?;
        Some((row, other))
    });
    if let Some((want, got)) = recased {
        return Err(Failure::new(
            format!("the e-mail address {} was stored as {}: its letters changed case", want.0, got.0),
            "store each value as the file has it; comparing addresses without regard to case is for queries, not for storing",
        )
        .expected(show(want))
        .got(show(got))
        .into());
    }
    let missing = expected.iter().find(|row| !stored.iter().any(|s| s.0 == row.0));
    let failure = match (missing, stored.len().cmp(&expected.len())) {
        (Some(row), _) => Failure::new(
            format!("the customer {} of the file is not in the table", row.0),
            "insert every row of the file, and commit the transaction at the end",
        )
        .expected(format!("{} rows", expected.len()))
        .got(format!("{} rows", stored.len())),
        (None, std::cmp::Ordering::Greater) => Failure::new(
            format!("the table has {} rows, the file {}", stored.len(), expected.len()),
            "insert each row of the file once",
        ),
        (None, _) => changed_value(&expected, &stored),
    };
    Err(failure.into())
}

/// The first row stored with other values than the file's, and why that may be.
fn changed_value(expected: &[Row], stored: &[Row]) -> Failure {
    let Some((want, got)) = expected
        .iter()
        .filter_map(|want| {
            stored.iter().find(|s| s.0 == want.0 && *s != want).map(|got| (want, got))
        })
        .next()
    else {
        return Failure::new(
            "the table is not what the file says",
            "insert each row of the file once",
        );
    };
    let (summary, next) = if want.2.is_none() && got.2.is_some() {
        (
            "a NULL city (\\N in the file) was stored as text",
            "pass the Option<String> itself as the parameter: None becomes NULL",
        )
    } else if want.2.as_deref() == Some("") && got.2.is_none() {
        (
            "an empty city was stored as NULL",
            "an empty field is an empty string, not NULL: pass the value as it is",
        )
    } else if mangled(&want.1, &got.1)
        || want.2.as_deref().zip(got.2.as_deref()).is_some_and(|(want, got)| mangled(want, got))
    {
        (
            "accented letters or emoji came back mangled: the server read UTF-8 as another character set",
            "keep the connection's character set utf8mb4 (do not SET NAMES latin1 or the like)",
        )
    } else if want.1.trim() != want.1 && got.1 == want.1.trim() {
        (
            "a name was stored without its spaces at the end",
            "store each value as the file has it, spaces included: do not trim what you did not write",
        )
    } else if want.1.contains('\\') {
        (
            "a name with a backslash was stored changed: in SQL text, a backslash starts an escape",
            "never paste values into SQL: write ? placeholders and pass the values as parameters",
        )
    } else {
        (
            "a customer was stored with other values than the file has",
            "store each field as the file has it: email, name and city",
        )
    };
    Failure::new(summary, next).expected(show(want)).got(show(got))
}

/// Whether `got` is `want` read back in another character set: text that was not
/// ASCII, stored longer (each byte of UTF-8 became a character of its own).
fn mangled(want: &str, got: &str) -> bool {
    !want.is_ascii() && want != got && got.chars().count() > want.chars().count()
}

fn reported_count(run: &RunOutput, count: usize) -> Result<(), Problem> {
    let expected = format!("loaded {count} customers");
    if run.stdout.text.lines().any(|line| line.trim_end() == expected) {
        return Ok(());
    }
    Err(Failure::new(
        "your program did not report how many customers it loaded",
        "return the number of rows you inserted; main prints it",
    )
    .expected(expected)
    .got(describe_lines(&run.stdout.text, run.stdout.was_cut()))
    .into())
}

fn nothing_kept(conn: &mut Conn, rows: &[Row], bad_rows: &[Row]) -> Result<(), Problem> {
    let stored = read_table(conn)?;
    let kept: Vec<&Row> = bad_rows[..bad_rows.len() - 1]
        .iter()
        .filter(|row| stored.iter().any(|s| s.0 == row.0))
        .collect();
    if !kept.is_empty() {
        return Err(Failure::new(
            format!(
                "{} of {} rows before the failing one stayed in the table after the program failed",
                kept.len(),
                bad_rows.len() - 1
            ),
            "insert inside one transaction and commit only after every row went in: an error before the commit rolls them all back",
        )
        .expected(format!("the table as before: {} rows", rows.len()))
        .got(format!("{} rows, among them {}", stored.len(), show(kept[0])))
        .into());
    }
    if sorted(&stored) != sorted(rows) {
        return Err(Failure::new(
            "the table changed when the program failed on a bad file",
            "leave the table as it was when a file has a bad row: roll back, and drop nothing",
        )
        .expected(format!("the table as before: {} rows", rows.len()))
        .got(format!("{} rows", stored.len()))
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field(None), r"\N");
        assert_eq!(csv_field(Some("")), "");
        assert_eq!(csv_field(Some(r"C:\new")), r"C:\new");
        assert_eq!(csv_field(Some("Anna \"Ace\", Jr.")), "\"Anna \"\"Ace\"\", Jr.\"");
    }

    #[test]
    fn every_file_has_every_difficulty_and_unique_addresses() {
        let mut rng = fastrand::Rng::with_seed(3);
        let rows = random_rows(&mut rng, 0);
        for name in NAMES_EVERY_FILE_HAS {
            assert!(rows.iter().any(|row| row.1 == name), "{name}");
        }
        assert!(rows.iter().any(|row| row.2.is_none()));
        assert!(rows.iter().any(|row| row.2.as_deref() == Some("")));
        let mut emails: Vec<&str> = rows.iter().map(|row| row.0.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), rows.len());
    }
}
