//! Check of exercise 11: the program is a web server that is itself a database
//! client. The grader plants customers and a database or two, starts the program with
//! `LISTEN_ADDR=127.0.0.1:0`, reads the address from its first line
//! (`listening on http://ADDRESS`), and plays the web client: plain HTTP `GET`s, a few
//! at a time, for `/databases`, for customers that exist and that do not, for
//! malformed ids (negative and beyond the id column's range among them) and for a
//! path the server does not serve. Then it changes the data (a customer's row, a new
//! database) and asks again, so an answer kept from before shows; last it renames the
//! table `customers` away and asks for a customer, which only a database error can
//! answer: 500. Each answer's status and JSON body must match what the grader reads
//! itself (a missing id is 404, a malformed one 400, a database error 500), and the
//! wire recorder must show that the program opened no more connections than its pool
//! allows.

mod http;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use mysql::prelude::Queryable as _;
use mysql::Conn;
use serde_json::{json, Value};

use self::http::Answer;
use super::counters::ConnectionCount;
use super::expect::{describe_lines, finished_ok};
use super::shop::{self, Sizes};
use super::{Check, Context, Failure, Planted, Planting, Problem, Run};
use crate::runner::{Background, Connector, Exit, RunOutput};
use crate::sandbox::Sandbox;
use crate::server::Server;

/// The check of `11_web_tier`.
pub struct WebTier;

/// The most connections the program may open, as its README says.
const MAX_CONNECTIONS: u64 = 4;

/// Requests the grader has under way at once.
const CLIENTS: usize = 4;

/// How often the grader looks for the program's first line.
const POLL_EVERY: Duration = Duration::from_millis(2);

/// Bytes of a body quoted in a message.
const QUOTED: usize = 240;

/// What the program's first line starts with.
const LISTENING: &str = "listening on ";

/// What one request is about, and so what its answer must be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    /// `GET /databases`: 200 and the account's databases.
    Databases,
    /// `GET /customers/{id}` of a planted customer: 200 and the customer.
    Customer(u32),
    /// `GET /customers/{id}` of an id nobody has: 404.
    Missing(u32),
    /// `GET /customers/{text}` where the text is not an id: 400.
    Malformed(String),
    /// A path the server does not serve: 404.
    Elsewhere(&'static str),
    /// `GET /databases` after the grader created one more database: 200 and the
    /// new list.
    DatabasesAfterChange(String),
    /// `GET /customers/{id}` after the grader changed that customer's row: 200 and
    /// the new row.
    CustomerAfterChange(u32),
    /// `GET /customers/{id}` of a planted customer while the table is renamed away:
    /// 500, the database failed.
    TableGone(u32),
}

impl Ask {
    fn path(&self) -> String {
        match self {
            Ask::Databases | Ask::DatabasesAfterChange(_) => "/databases".into(),
            Ask::Customer(id)
            | Ask::Missing(id)
            | Ask::CustomerAfterChange(id)
            | Ask::TableGone(id) => format!("/customers/{id}"),
            Ask::Malformed(text) => format!("/customers/{text}"),
            Ask::Elsewhere(path) => (*path).into(),
        }
    }
}

impl Check for WebTier {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let customers = plant(cx.server, &mut cx.sandbox, &mut cx.rng)?;
        let mut asks = asks(&mut cx.rng, &customers);
        let databases = databases_of_account(cx)?;

        let mark = cx.wire_mark();
        let mut server = cx.spawn(&[], &[("LISTEN_ADDR", "127.0.0.1:0")])?;
        let deadline = Instant::now() + cx.limits().timeout;
        let listening = wait_until_listening(&mut server, deadline);
        let connector = server.connector();
        let mut answers = None;
        let mut after_change = Vec::new();
        let mut changed_row = None;
        if let Ok(addr) = listening.as_ref() {
            let mut first = ask_all(&connector, *addr, &asks, deadline);
            // The same questions once the data changed: an answer kept from before shows.
            let changed = change_data(cx, &asks, &customers)?;
            after_change = databases_of_account(cx)?;
            changed_row = Some(changed.row);
            let later = vec![
                Ask::DatabasesAfterChange(changed.database),
                Ask::CustomerAfterChange(changed.id),
            ];
            first.extend(ask_all(&connector, *addr, &later, deadline));
            asks.extend(later);
            // Last, a question only a database error can answer.
            let gone = Ask::TableGone(changed.other_id);
            Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?
                .query_drop("RENAME TABLE customers TO customers_renamed_by_grader")?;
            first.extend(ask_all(&connector, *addr, std::slice::from_ref(&gone), deadline));
            asks.push(gone);
            answers = Some(first);
        }
        let run = server.stop();
        cx.add_program_time(run.elapsed);
        let count = ConnectionCount::of(&cx.wire_since(mark));

        if let Some(panic) = run.panic().filter(|panic| panic.is_todo()) {
            return Err(Problem::NotImplemented(panic.location));
        }
        let Some(answers) = answers else {
            return Err(never_listened(&run, listening.err().flatten()));
        };
        for (ask, answer) in asks.iter().zip(answers) {
            let path = ask.path();
            let answer = answer.map_err(|error| no_answer(&path, &error, &run))?;
            let expected = match ask {
                Ask::Databases => Expect::Body(Value::from(databases.clone())),
                Ask::DatabasesAfterChange(_) => Expect::Body(Value::from(after_change.clone())),
                Ask::Customer(id) => Expect::Body(customers[id].clone()),
                Ask::CustomerAfterChange(_) => {
                    Expect::Body(changed_row.clone().unwrap_or_default())
                }
                Ask::Missing(_) | Ask::Elsewhere(_) => Expect::Error(404),
                Ask::Malformed(_) => Expect::Error(400),
                Ask::TableGone(_) => Expect::Error(500),
            };
            judge(ask, &path, &answer, &expected, &run)?;
        }
        match count.too_many(MAX_CONNECTIONS, asks.len(), "requests") {
            Some(failure) => Err(failure.into()),
            None => Ok(()),
        }
    }
}

/// Plants customers and a database or two; returns each customer as the JSON the
/// server should send for it.
fn plant(
    server: &Server,
    sandbox: &mut Sandbox<'_>,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<HashMap<u32, Value>> {
    let mut admin = Conn::new(server.admin.opts(Some(&sandbox.database)))?;
    let sizes = Sizes { customers: rng.usize(15..=30), products: 0, orders: 0 };
    shop::plant(&mut admin, rng, sizes)?;
    let mut words = ["reports", "archive", "staging", "audit", "billing"];
    rng.shuffle(&mut words);
    for word in &words[..rng.usize(1..=2)] {
        sandbox.add_database(&format!("{word}{}", rng.u32(10..100)))?;
    }
    let rows: Vec<(u32, String, String, Option<String>)> =
        admin.query("SELECT id, name, email, city FROM customers")?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email, city)| {
            (id, json!({ "id": id, "name": name, "email": email, "city": city }))
        })
        .collect())
}

/// What the grader changed while the program ran.
struct Changed {
    /// The customer whose row changed, one the program was asked about before.
    id: u32,
    /// That customer's new row, as the JSON the server should now send.
    row: Value,
    /// The database created.
    database: String,
    /// Another planted customer, to ask for once the table is gone.
    other_id: u32,
}

/// Changes the row of a customer the program was already asked about, and creates
/// one more database the account may read.
fn change_data(
    cx: &mut Context<'_>,
    asks: &[Ask],
    customers: &HashMap<u32, Value>,
) -> Result<Changed, Problem> {
    let mut asked = asks.iter().filter_map(|ask| match ask {
        Ask::Customer(id) => Some(*id),
        _ => None,
    });
    let id = asked.next().unwrap_or_default();
    let other_id = asked.next().unwrap_or(id);
    let city = customers.get(&id).map(|row| row["city"].clone()).unwrap_or_default();
    let n = cx.rng.u32(100..1000);
    let (name, email) = (format!("Changed Customer {n}"), format!("changed{n}.{id}@example.com"));
    let mut admin = Conn::new(cx.server.admin.opts(Some(&cx.sandbox.database)))?;
    admin
        .exec_drop("UPDATE customers SET name = ?, email = ? WHERE id = ?", (&name, &email, id))?;
    let word = ["ledger", "inbox", "backup"][cx.rng.usize(..3)];
    let database = cx.sandbox.add_database(&format!("{word}{}", cx.rng.u32(10..100)))?;
    Ok(Changed {
        id,
        row: json!({ "id": id, "name": name, "email": email, "city": city }),
        database,
        other_id,
    })
}

/// `grader sandbox 11`: the customers and databases the check plants. The program is
/// a server: run it, then ask it from another terminal.
pub(super) fn plant_by_hand(planting: &mut Planting<'_, '_>) -> anyhow::Result<Planted> {
    let customers = plant(planting.server, planting.sandbox, planting.rng)?;
    let first = customers.keys().min().copied().unwrap_or(1);
    Ok(Planted {
        holds: format!(
            "the shop's table customers, with {} customers, and databases its account may read",
            customers.len()
        ),
        runs: vec![Run::new(
            Vec::<String>::new(),
            format!(
                "it serves http://127.0.0.1:8080 (LISTEN_ADDR changes it); in another terminal: \
                 curl -i http://127.0.0.1:8080/databases, curl -i http://127.0.0.1:8080/customers/{first}"
            ),
        )],
    })
}

/// The requests, in the order they are sent: the databases twice, customers that
/// exist and that do not, six kinds of malformed ids (a word, digits and letters, a
/// decimal, a number of 21 digits, a negative number, and a number just beyond the
/// largest id the column holds, 4294967295), and a path nobody serves.
fn asks(rng: &mut fastrand::Rng, customers: &HashMap<u32, Value>) -> Vec<Ask> {
    let mut ids: Vec<u32> = customers.keys().copied().collect();
    ids.sort_unstable();
    rng.shuffle(&mut ids);
    let (first, last) = (*ids.iter().min().unwrap_or(&1), *ids.iter().max().unwrap_or(&1));
    let mut asks = vec![Ask::Databases, Ask::Databases];
    asks.extend(ids.iter().take(5).map(|id| Ask::Customer(*id)));
    asks.extend((0..3).map(|_| {
        Ask::Missing(if first > 1 && rng.bool() {
            rng.u32(1..first)
        } else {
            rng.u32(last + 1..last + 1000)
        })
    }));
    let word = ["abc", "latest", "me", "null", "first", "all"][rng.usize(..6)];
    asks.push(Ask::Malformed(word.into()));
    asks.push(Ask::Malformed(format!(
        "{}{}",
        rng.u32(1..1000),
        ["x", "abc", "th", "k"][rng.usize(..4)]
    )));
    asks.push(Ask::Malformed(format!("{}.{}", rng.u32(1..1000), rng.u32(1..10))));
    asks.push(Ask::Malformed(format!(
        "{}{:015}",
        rng.u32(100_000..1_000_000),
        rng.u64(..1_000_000_000_000_000)
    )));
    asks.push(Ask::Malformed(format!("-{}", rng.u32(1..1000))));
    asks.push(Ask::Malformed((u64::from(u32::MAX) + rng.u64(1..1000)).to_string()));
    asks.push(Ask::Elsewhere(["/", "/products", "/customers", "/database"][rng.usize(..4)]));
    rng.shuffle(&mut asks);
    asks
}

/// Waits for the program's first line and reads the address from it. `Err(None)`:
/// the program ended or the time ran out first; `Err(Some(line))`: a first line that
/// does not say where it listens.
fn wait_until_listening(
    server: &mut Background,
    deadline: Instant,
) -> Result<SocketAddr, Option<String>> {
    loop {
        let stdout = server.stdout_so_far();
        if let Some((line, _)) = stdout.split_once('\n') {
            return address_in(line.trim_end()).ok_or_else(|| Some(line.trim_end().to_string()));
        }
        if server.exit().is_some() || Instant::now() >= deadline {
            return Err(None);
        }
        thread::sleep(POLL_EVERY);
    }
}

/// The address in `listening on http://127.0.0.1:PORT`.
fn address_in(line: &str) -> Option<SocketAddr> {
    let address = line.strip_prefix(LISTENING)?;
    let address = address.strip_prefix("http://").unwrap_or(address).trim_end_matches('/');
    address.parse().ok()
}

/// Sends every request, [`CLIENTS`] at a time; the answers come in the order of `asks`.
fn ask_all(
    connector: &Connector,
    addr: SocketAddr,
    asks: &[Ask],
    deadline: Instant,
) -> Vec<anyhow::Result<Answer>> {
    let next = AtomicUsize::new(0);
    let mut answers: Vec<Option<anyhow::Result<Answer>>> = asks.iter().map(|_| None).collect();
    let found: Vec<Vec<(usize, anyhow::Result<Answer>)>> = thread::scope(|scope| {
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(ask) = asks.get(index) else {
                            return found;
                        };
                        let left = deadline.saturating_duration_since(Instant::now());
                        found.push((
                            index,
                            http::get(connector, addr, &ask.path(), left.max(POLL_EVERY)),
                        ));
                    }
                })
            })
            .collect();
        clients.into_iter().map(|client| client.join().unwrap_or_default()).collect()
    });
    for (index, answer) in found.into_iter().flatten() {
        answers[index] = Some(answer);
    }
    answers
        .into_iter()
        .map(|answer| {
            answer.unwrap_or_else(|| Err(anyhow::anyhow!("the grader could not send it")))
        })
        .collect()
}

/// The names `SHOW DATABASES` gives the sandbox's account, read after the run so
/// that the grader's session is not counted among the program's.
fn databases_of_account(cx: &Context<'_>) -> Result<Vec<String>, Problem> {
    let mut conn = Conn::new(cx.sandbox.endpoint().opts(Some(&cx.sandbox.database)))?;
    Ok(conn.query("SHOW DATABASES")?)
}

/// What an answer must be.
enum Expect {
    /// 200 and exactly this JSON.
    Body(Value),
    /// This status and a JSON object with an `"error"` text.
    Error(u16),
}

/// Checks one answer against what was expected.
fn judge(
    ask: &Ask,
    path: &str,
    answer: &Answer,
    expected: &Expect,
    run: &RunOutput,
) -> Result<(), Failure> {
    let status = answer.status;
    let want = match expected {
        Expect::Body(_) => 200,
        Expect::Error(code) => *code,
    };
    if status != want {
        return Err(wrong_status(ask, path, answer, want, run));
    }
    let body: Value = serde_json::from_str(&answer.body).map_err(|error| {
        Failure::new(
            format!("the answer to GET {path} is not JSON: {error}"),
            "send the Reply's body as it is: src/main.rs turns it into JSON",
        )
        .got(quote(&answer.body))
    })?;
    match expected {
        Expect::Body(value) if body != *value => Err(Failure::new(
            match ask {
                Ask::Databases => format!("GET {path} did not list the databases this account sees"),
                Ask::DatabasesAfterChange(database) => format!(
                    "GET {path} did not list {database}, a database the grader created after your server had answered GET {path}"
                ),
                Ask::CustomerAfterChange(id) => format!(
                    "GET {path} did not answer customer {id}'s row as the grader had just changed it (name and e-mail address)"
                ),
                _ => format!("GET {path} did not answer the customer the table holds"),
            },
            match ask {
                Ask::Databases => "answer a JSON array of the names SHOW DATABASES returns, in the server's order",
                Ask::DatabasesAfterChange(_) | Ask::CustomerAfterChange(_) => {
                    "ask the database on every request: an answer read once and kept goes stale when the data changes"
                }
                _ => "answer {\"id\": …, \"name\": …, \"email\": …, \"city\": …} with the row's values; city is null when the row has none",
            },
        )
        .expected(quote(&value.to_string()))
        .got(quote(&answer.body))),
        Expect::Error(_) if !body.get("error").is_some_and(Value::is_string) => Err(Failure::new(
            format!("the {status} answer to GET {path} has no \"error\" text"),
            "send an object such as {\"error\": \"no customer has the id 7\"}: Reply::error makes one",
        )
        .got(quote(&answer.body))),
        _ => Ok(()),
    }
}

/// A failure for an answer with the wrong status code.
fn wrong_status(ask: &Ask, path: &str, answer: &Answer, want: u16, run: &RunOutput) -> Failure {
    let status = answer.status;
    let got = format!("{status}, with the body {}", quote(&answer.body));
    let failure = match ask {
        Ask::Malformed(_) if status == 500 => Failure::new(
            format!("GET {path} answered 500 Internal Server Error; a malformed id is the client's mistake: 400 Bad Request"),
            "parse the id before you ask the database, and answer 400 with Reply::error when it is not a whole number",
        ),
        Ask::Malformed(text) if text.parse::<i64>().is_ok() => Failure::new(
            format!(
                "GET {path} answered {status}; {text} is outside the ids the column holds (0 to 4294967295), so it is malformed: 400 Bad Request"
            ),
            "parse the id as the column's type, u32 (`id.parse::<u32>()`): a negative number or one beyond 4294967295 fails to parse, and is a 400",
        ),
        Ask::Malformed(_) => Failure::new(
            format!("GET {path} answered {status}; a malformed id is the client's mistake: 400 Bad Request"),
            "answer 400 when the text after /customers/ is not a whole number, and 404 only when no customer has the id",
        ),
        _ if status == 500 => Failure::new(
            format!("GET {path} answered 500 Internal Server Error, not {want}"),
            match first_error_line(run) {
                Some(line) => format!("your server's log says {line:?}: fix what it complains about"),
                None => "print the database's error on stderr (eprintln!) to see why".to_string(),
            },
        ),
        Ask::Missing(_) => Failure::new(
            format!("GET {path} answered {status}; no customer has that id, so 404 Not Found"),
            "when the query finds no row, answer 404 with Reply::error",
        ),
        Ask::Elsewhere(_) => Failure::new(
            format!("GET {path} answered {status}; the server serves no such path, so 404 Not Found"),
            "answer 404 for every request that is not GET /databases or GET /customers/{id}",
        ),
        Ask::TableGone(_) if status == 200 => Failure::new(
            format!(
                "GET {path} answered 200 while the table customers was gone (the grader had renamed it): the answer came from a copy, not from the database"
            ),
            "ask the database on every request; when it fails, answer 500 with Reply::error",
        ),
        Ask::TableGone(_) => Failure::new(
            format!(
                "GET {path} answered {status} while the table customers was gone (the grader had renamed it): the database failed, so 500 Internal Server Error"
            ),
            "keep the query's error apart from \"no row\": match on the Result, answer 500 on Err and 404 only on Ok(None)",
        ),
        Ask::Databases
        | Ask::Customer(_)
        | Ask::DatabasesAfterChange(_)
        | Ask::CustomerAfterChange(_) => Failure::new(
            format!("GET {path} answered {status}, not 200"),
            "match the path exactly: /databases, and /customers/ followed by the id",
        ),
    };
    let failure = match run.panic().filter(|_| status == 500) {
        Some(panic) => Failure {
            summary: format!(
                "your server panicked when asked GET {path}: {}",
                panic.message.lines().next().unwrap_or_default()
            ),
            next: format!("look at {}: {}", panic.location, failure.next),
            ..failure
        },
        None => failure,
    };
    failure.expected(want.to_string()).got(got)
}

/// The first line on the program's stderr that is not its log of requests
/// (`GET /path -> 200`).
fn first_error_line(run: &RunOutput) -> Option<&str> {
    run.stderr.text.lines().find(|line| !line.contains(" -> ") && !line.trim().is_empty())
}

/// A failure for a request that got no HTTP answer at all.
fn no_answer(path: &str, error: &anyhow::Error, run: &RunOutput) -> Problem {
    let failure = Failure::new(
        format!("your server gave no HTTP answer to GET {path}: {error:#}"),
        "keep answering until the grader stops the server; read what it printed on stderr",
    );
    failure
        .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into()
}

/// Why the server never said where it listens: it ended (a panic, an error), it
/// printed something else first, or the time ran out.
fn never_listened(run: &RunOutput, first_line: Option<String>) -> Problem {
    if let Some(line) = first_line {
        return Failure::new(
            format!("your server's first line was {line:?}, not `{LISTENING}http://ADDRESS`"),
            "leave src/main.rs as it was given: it prints that line once it listens, and nothing before it",
        )
        .into();
    }
    let what = "as a web server";
    match run.exit {
        Exit::TimedOut | Exit::Signal(_) if run.panic().is_none() => Failure::new(
            format!("your server did not print `{LISTENING}http://ADDRESS` within {} s", run.timeout.as_secs()),
            "open the pool before the server listens, and do not wait on anything else in open_pool",
        )
        .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into(),
        Exit::Code(0) if run.panic().is_none() => Failure::new(
            "your server ended with code 0 before it listened",
            "leave src/main.rs as it was given: it listens until it is stopped",
        )
        .into(),
        _ => finished_ok(run, what).err().unwrap_or_else(|| {
            Failure::new("your server ended before it listened", "read its error on stderr").into()
        }),
    }
}

/// `text`, cut to [`QUOTED`] bytes, in quotes.
fn quote(text: &str) -> String {
    if text.len() <= QUOTED {
        return format!("{text:?}");
    }
    let mut end = QUOTED;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?} … ({} bytes in all)", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_comes_from_the_first_line() {
        let addr: SocketAddr = "127.0.0.1:41234".parse().unwrap();
        assert_eq!(address_in("listening on http://127.0.0.1:41234"), Some(addr));
        assert_eq!(address_in("listening on 127.0.0.1:41234/"), Some(addr));
        assert_eq!(address_in("listening on http://localhost:41234"), None);
        assert_eq!(address_in("Listening at 127.0.0.1:41234"), None);
    }

    #[test]
    fn every_kind_of_request_is_asked_and_malformed_ids_are_not_ids() {
        let customers: HashMap<u32, Value> = (70..90).map(|id| (id, json!({ "id": id }))).collect();
        for seed in 0..20 {
            let asks = asks(&mut fastrand::Rng::with_seed(seed), &customers);
            assert_eq!(asks.len(), 17);
            for ask in &asks {
                match ask {
                    Ask::Customer(id) => assert!(customers.contains_key(id)),
                    Ask::Missing(id) => assert!(!customers.contains_key(id)),
                    Ask::Malformed(text) => assert!(text.parse::<u32>().is_err(), "{text}"),
                    Ask::Databases | Ask::Elsewhere(_) => {}
                    other => panic!("{other:?} is asked only after the data changed"),
                }
            }
            assert_eq!(asks.iter().filter(|a| matches!(a, Ask::Malformed(_))).count(), 6);
            let parsed_wider = |text: &str| text.parse::<i64>().is_ok();
            assert_eq!(
                asks.iter()
                    .filter(|a| matches!(a, Ask::Malformed(text) if parsed_wider(text)))
                    .count(),
                2,
                "a negative id and one beyond the column's range"
            );
        }
    }

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary() {
        let long = "é".repeat(300);
        let quoted = quote(&long);
        assert!(quoted.ends_with("(600 bytes in all)"), "{quoted}");
        assert_eq!(quote("{}"), "\"{}\"");
    }
}
