//! Check of exercise 08: the grader plants customers, then runs the program once with
//! forty-odd customer ids (some of them nobody's, some repeated), which it looks up
//! from eight threads. Every answer must match the table, and the server's own
//! recorded connections must show that the program opened no more connections than its pool
//! allows: [`MAX_CONNECTIONS`] in all. The recording must also show every distinct id
//! asked of the server (as a statement's parameter, or in its text): a program that
//! reads the whole table once and answers from its copy would answer from stale data
//! in a program that lives longer, and does not use the pool it is about.

use std::collections::{HashMap, HashSet};

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::counters::ConnectionCount;
use super::expect::{describe_lines, finished_ok};
use super::shop::{self, Sizes};
use super::{Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::wire::{CommandKind, Param, Recording};

/// The check of `08_connection_pool`.
pub struct ConnectionPool;

/// The most connections the program may open, as its README says.
const MAX_CONNECTIONS: u64 = 4;

/// How many ids the program is given.
const LOOKUPS: usize = 44;

/// `grader sandbox 08`: customers, as the check plants them.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let sizes = Sizes { customers: planting.rng.usize(25..=40), products: 0, orders: 0 };
    let shop = shop::plant(&mut planting.admin()?, planting.rng, sizes)?;
    let ids: Vec<String> = shop.customers.iter().take(3).map(|c| c.id.to_string()).collect();
    let nobody = shop.customers.last().map_or(1, |c| c.id + 1).to_string();
    let mut args = ids.clone();
    args.extend([nobody, ids[0].clone()]);
    Ok(Planted {
        holds: format!("the shop's table customers, with {} customers", shop.customers.len()),
        runs: vec![Run::new(args, "three customers, an id nobody has, and one id twice")],
    })
}

impl Check for ConnectionPool {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let mut admin = Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?;
        let sizes = Sizes { customers: cx.rng.usize(25..=40), products: 0, orders: 0 };
        shop::plant(&mut admin, &mut cx.rng, sizes)?;
        let customers: HashMap<u32, (String, String)> = admin
            .query_map("SELECT id, name, email FROM customers", |(id, name, email)| {
                (id, (name, email))
            })?
            .into_iter()
            .collect();
        let ids = lookup_ids(&mut cx.rng, &customers);

        let run = cx.run(&ids.iter().map(u32::to_string).collect::<Vec<_>>())?;
        let wire = cx.last_wire();
        let count = ConnectionCount::of(&wire);
        let what = format!("with {} customer ids", ids.len());
        finished_ok(&run, &what)?;

        let expected: Vec<String> = ids.iter().map(|id| answer_line(*id, &customers)).collect();
        let printed: Vec<&str> = run.stdout.text.lines().map(str::trim_end).collect();
        if let Some(failure) = wrong_answer(&ids, &expected, &printed, &customers) {
            return Err(failure.into());
        }
        if let Some(failure) = count.too_many(MAX_CONNECTIONS, ids.len(), "lookups") {
            return Err(failure.into());
        }
        match never_asked(&wire, &ids) {
            Some(failure) => Err(failure.into()),
            None => Ok(()),
        }
    }
}

/// The ids, as text, that the program sent to the server: parameters of prepared
/// statements, and whole numbers in SQL texts.
fn ids_asked(recording: &Recording) -> HashSet<String> {
    let mut asked = HashSet::new();
    for (_, command) in recording.commands() {
        match &command.kind {
            CommandKind::ComStmtExecute { params, .. } => {
                asked.extend(params.iter().map(Param::as_text));
            }
            CommandKind::ComQuery { sql } => asked.extend(
                sql.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|number| number.parse::<u64>().ok())
                    .map(|number| number.to_string()),
            ),
            _ => {}
        }
    }
    asked
}

/// A failure if an id was answered without being asked of the server.
fn never_asked(recording: &Recording, ids: &[u32]) -> Option<Failure> {
    let asked = ids_asked(recording);
    let mut unasked: Vec<u32> =
        ids.iter().copied().filter(|id| !asked.contains(&id.to_string())).collect();
    unasked.sort_unstable();
    unasked.dedup();
    let first = *unasked.first()?;
    let shown: Vec<String> = unasked.iter().take(5).map(u32::to_string).collect();
    Some(
        Failure::new(
            format!(
                "your program answered {} of the ids without asking the server about them, {} among them: it answered from a copy of the table",
                unasked.len(),
                first
            ),
            "look each customer up when asked, with its own query on a connection borrowed from the pool \
             (`SELECT name, email FROM customers WHERE id = ?`); a copy read once goes stale as soon as the table changes",
        )
        .expected(format!("a query for each id, such as one with the parameter {first}"))
        .got(format!("no query with the ids {}{}", shown.join(", "), if unasked.len() > 5 { ", …" } else { "" })),
    )
}

/// Ids to look up: mostly planted customers, in a random order and some of them
/// more than once, and a few ids just outside the planted range that nobody has.
fn lookup_ids(rng: &mut fastrand::Rng, customers: &HashMap<u32, (String, String)>) -> Vec<u32> {
    let mut known: Vec<u32> = customers.keys().copied().collect();
    known.sort_unstable();
    let (first, last) = (known[0], known[known.len() - 1]);
    let missing = rng.usize(3..=6);
    let mut ids: Vec<u32> =
        (0..LOOKUPS - missing).map(|_| known[rng.usize(..known.len())]).collect();
    ids.extend((0..missing).map(|_| {
        if rng.bool() && first > 1 {
            rng.u32(0..first)
        } else {
            rng.u32(last + 1..last + 100)
        }
    }));
    rng.shuffle(&mut ids);
    ids
}

/// The line the program prints for `id`.
fn answer_line(id: u32, customers: &HashMap<u32, (String, String)>) -> String {
    match customers.get(&id) {
        Some((name, email)) => format!("{id}\t{name}\t{email}"),
        None => format!("{id}\tnot found"),
    }
}

/// The first answer that differs from the table, as a failure.
fn wrong_answer(
    ids: &[u32],
    expected: &[String],
    printed: &[&str],
    customers: &HashMap<u32, (String, String)>,
) -> Option<Failure> {
    let (index, id) = ids
        .iter()
        .enumerate()
        .find(|(index, _)| printed.get(*index) != Some(&expected[*index].as_str()))
        .map(|(index, id)| (index, *id))?;
    let exists = customers.contains_key(&id);
    let failure = match printed.get(index) {
        None => {
            return Some(
                Failure::new(
                    format!(
                        "your program printed {} for {} ids",
                        match printed.len() {
                            1 => "1 line".to_string(),
                            lines => format!("{lines} lines"),
                        },
                        ids.len()
                    ),
                    "leave src/main.rs as it was given: it prints one line per id",
                )
                .expected(format!("{} lines, such as {:?}", ids.len(), expected[0]))
                .got(describe_lines(&printed.join("\n"), false)),
            )
        }
        Some(line) if !exists && !line.ends_with("\tnot found") => Failure::new(
            format!("your program found a customer with id {id}, which no customer has"),
            "return Ok(None) when the query finds no row",
        ),
        Some(line) if exists && line.ends_with("\tnot found") => Failure::new(
            format!("your program did not find the customer with id {id}"),
            "select the row whose id is the one asked for: WHERE id = ?, with the id as the parameter",
        ),
        Some(_) => Failure::new(
            format!("your program's answer for id {id} is not what the customers table holds"),
            "select the name and the e-mail address, in that order, of the customer with that id",
        ),
    };
    Some(failure.expected(format!("{:?}", expected[index])).got(format!("{:?}", printed[index])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customers() -> HashMap<u32, (String, String)> {
        (500..530).map(|id| (id, (format!("n{id}"), format!("e{id}")))).collect()
    }

    #[test]
    fn lookups_mix_known_and_unknown_ids() {
        let customers = customers();
        for seed in 0..20 {
            let ids = lookup_ids(&mut fastrand::Rng::with_seed(seed), &customers);
            assert_eq!(ids.len(), LOOKUPS);
            let unknown = ids.iter().filter(|id| !customers.contains_key(id)).count();
            assert!((3..=6).contains(&unknown), "{unknown} unknown ids with seed {seed}");
        }
    }

    #[test]
    fn a_wrong_answer_names_the_id_and_the_likely_mistake() {
        let customers = customers();
        let ids = [501, 999];
        let expected: Vec<String> = ids.iter().map(|id| answer_line(*id, &customers)).collect();
        assert_eq!(expected, ["501\tn501\te501", "999\tnot found"]);
        let right: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_eq!(wrong_answer(&ids, &expected, &right, &customers), None);
        let found_nobody =
            wrong_answer(&ids, &expected, &["501\tnot found", "999\tnot found"], &customers);
        assert_eq!(
            found_nobody.unwrap().summary,
            "your program did not find the customer with id 501"
        );
        let invented = wrong_answer(&ids, &expected, &[right[0], "999\tx\ty"], &customers);
        assert_eq!(
            invented.unwrap().summary,
            "your program found a customer with id 999, which no customer has"
        );
        let short = wrong_answer(&ids, &expected, &[right[0]], &customers);
        assert_eq!(short.unwrap().summary, "your program printed 1 line for 2 ids");
    }
}
