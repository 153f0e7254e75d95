//! Check of exercise 02: the grader creates a few databases with random names that
//! the learner's account may read, some named after the sandbox and two whose names
//! have nothing in common with it (so that a program that keeps only the names
//! starting like its own database fails); the program must print exactly the names
//! that `SHOW DATABASES` returns for that account, one per line, in the server's order.

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::expect::{describe_lines, finished_ok, some_of};
use super::{Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::sandbox::Sandbox;

/// The check of `02_show_databases`.
pub struct ShowDatabases;

const WORDS: [&str; 10] = [
    "orders",
    "stock",
    "billing",
    "archive",
    "reports",
    "staging",
    "customers",
    "audit",
    "events",
    "payroll",
];

/// Words that start the names of the databases unrelated to the sandbox.
const UNRELATED: [&str; 6] = ["warehouse", "analytics", "legacy", "crm", "shipping", "metrics"];

/// Adds two to four databases named after the sandbox and two with unrelated names
/// that the sandbox's account may read, and returns their names.
fn plant(sandbox: &mut Sandbox<'_>, rng: &mut fastrand::Rng) -> anyhow::Result<Vec<String>> {
    let mut names = plant_related(sandbox, rng)?;
    let first = rng.usize(..UNRELATED.len());
    let second = (first + rng.usize(1..UNRELATED.len())) % UNRELATED.len();
    for word in [UNRELATED[first], UNRELATED[second]] {
        names.push(sandbox.add_unrelated_database(word)?);
    }
    Ok(names)
}

/// Adds two to four databases named `{sandbox}_{word}{n}`, and returns their names.
fn plant_related(
    sandbox: &mut Sandbox<'_>,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<Vec<String>> {
    let count = rng.usize(2..=4);
    let mut suffixes: Vec<String> = Vec::new();
    while suffixes.len() < count {
        let suffix = format!("{}{}", WORDS[rng.usize(..WORDS.len())], rng.u32(10..100));
        if !suffixes.contains(&suffix) {
            suffixes.push(suffix);
        }
    }
    suffixes.iter().map(|suffix| sandbox.add_database(suffix)).collect()
}

/// `grader sandbox 02`: the databases named after the sandbox that the check adds
/// (not the unrelated ones: a standing sandbox is dropped by its name's prefix,
/// which they do not share).
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let names = plant_related(planting.sandbox, planting.rng)?;
    Ok(Planted {
        holds: format!(
            "an empty database, and {} more that its account may read: {}",
            names.len(),
            names.join(", ")
        ),
        runs: vec![Run::new(
            Vec::<String>::new(),
            "it prints what SHOW DATABASES shows this account, in the server's order",
        )],
    })
}

impl Check for ShowDatabases {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let planted = plant(&mut cx.sandbox, &mut cx.rng)?;
        let mut conn = Conn::new(cx.sandbox.endpoint().opts(Some(&cx.sandbox.database)))?;
        let expected: Vec<String> = conn.query("SHOW DATABASES")?;

        let run = cx.run(&[])?;
        finished_ok(&run, "once")?;
        let printed: Vec<&str> = run.stdout.text.lines().map(str::trim_end).collect();
        if printed == expected {
            return Ok(());
        }
        let missing: Vec<&str> =
            expected.iter().map(String::as_str).filter(|name| !printed.contains(name)).collect();
        let extra: Vec<&str> =
            printed.iter().copied().filter(|name| !expected.iter().any(|e| e == name)).collect();
        let own = cx.sandbox.database.as_str();
        let kept_own = !missing.contains(&own);
        let unrelated: Vec<&str> = missing
            .iter()
            .copied()
            .filter(|name| !name.starts_with(own) && planted.iter().any(|p| p == name))
            .collect();
        let quoted = |names: &[String]| {
            names.iter().map(|name| format!("{name:?}")).collect::<Vec<_>>().join(", ")
        };
        let failure = if missing.is_empty() && extra.is_empty() {
            Failure::new(
                "your program printed the right names, but not in the order the server sent them",
                "return the rows from `database_names` as SHOW DATABASES sends them, without sorting or reordering",
            )
        } else if let Some(line) =
            extra.iter().find(|line| line.contains(cx.sandbox.password.as_str()))
        {
            Failure::new(
                format!("your program printed a line that is no database name, with the account's password in it: {line:?}"),
                "print nothing but the names on standard output; a greeting or a progress line goes to stderr \
                 (eprintln!), and never with the password",
            )
            .in_python(
                "print nothing but the names on standard output; a greeting or a progress line goes to stderr \
                 (print(..., file=sys.stderr)), and never with the password",
            )
        } else if let Some(line) = extra.iter().find(|line| line.contains(char::is_whitespace)) {
            Failure::new(
                format!("your program printed a line that is no database name: {line:?}"),
                "print nothing but the names on standard output; a greeting or a progress line goes to stderr (eprintln!)",
            )
            .in_python(
                "print nothing but the names on standard output; a greeting or a progress line goes to stderr \
                 (print(..., file=sys.stderr))",
            )
        } else if !extra.is_empty() {
            Failure::new(
                format!("your program printed names this account cannot see: {}", some_of(&extra)),
                "print what the server answers to SHOW DATABASES on this connection, not a list of your own",
            )
        } else if kept_own && !unrelated.is_empty() {
            Failure::new(
                format!(
                    "your program left out {}: the grader planted {} for your account, and {} not start like your own database's name",
                    missing.join(", "),
                    unrelated.join(" and "),
                    if unrelated.len() == 1 { "its name does" } else { "their names do" }
                ),
                "return every name SHOW DATABASES sends, whatever it looks like: keep no names by their prefix",
            )
        } else {
            Failure::new(
                format!("your program left out {}", missing.join(", ")),
                "return every row of the SHOW DATABASES result from `database_names`; the given main prints them",
            )
        };
        Err(failure
            .expected(format!("{} lines: {}", expected.len(), quoted(&expected)))
            .got(describe_lines(&run.stdout.text, run.stdout.was_cut()))
            .into())
    }
}
