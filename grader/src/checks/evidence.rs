//! What the wire recorder shows of a run, turned into verdicts: a value from the
//! program's input inside the SQL it sent (pasted, escaped by hand, as a hex
//! literal), writes outside a transaction or committed more than once or in a run
//! that should have changed nothing, and the connections a program opened.

use crate::wire::{Command, Recording};

use super::Failure;

/// The longest stretch of SQL a failure quotes.
const QUOTED_SQL: usize = 160;

/// The first value of `values` that the program put inside an SQL text it sent,
/// as it was or in any of the forms hand-made quoting gives it, as a failure.
/// Values shorter than four characters are not looked for (they occur by chance).
pub fn pasted_values(recording: &Recording, values: &[String], exercise: &str) -> Option<Failure> {
    for sql in recording.sql_texts() {
        let lowered = sql.to_lowercase();
        for value in values.iter().filter(|value| value.chars().count() >= 4) {
            let found = forms(value).iter().find_map(|form| lowered.find(&form.to_lowercase()));
            if let Some(at) = found {
                return Some(
                    Failure::new(
                        format!(
                            "your program put a value from its input, {value:?}, inside the SQL text it sent"
                        ),
                        format!(
                            "keep the SQL text fixed, with a ? where each value goes, and send the values apart as the \
                             parameters of a prepared statement; `cargo grader wire {exercise}` shows what your program sends"
                        ),
                    )
                    .in_python(format!(
                        "keep the SQL text fixed, with a %s where each value goes, and pass the values as execute's second \
                         argument on a prepared cursor, `conn.cursor(prepared=True)`; `cargo grader wire {exercise} --track python` \
                         shows what your program sends"
                    ))
                    .expected("the value sent apart from the SQL, as a prepared statement's parameter")
                    .got(format!("the SQL text {}", quote_around(sql, at))),
                );
            }
        }
    }
    None
}

/// The forms a value takes when pasted into SQL: as it is, with quotes doubled,
/// with backslash escapes, and as a hex literal.
fn forms(value: &str) -> Vec<String> {
    let doubled = value.replace('\'', "''");
    let backslashed = value.replace('\\', "\\\\").replace('\'', "\\'").replace('"', "\\\"");
    let hex: String = value.bytes().map(|byte| format!("{byte:02x}")).collect();
    vec![value.to_string(), doubled, backslashed, hex]
}

/// The SQL text quoted, cut around byte `at` (of its lower-cased form) when long.
fn quote_around(sql: &str, at: usize) -> String {
    let lowered = sql.to_lowercase();
    let before = lowered.get(..at).map_or(0, |head| head.chars().count());
    let chars: Vec<char> = sql.chars().collect();
    if chars.len() <= QUOTED_SQL {
        return quote_sql(sql);
    }
    let start = before.saturating_sub(QUOTED_SQL / 2).min(chars.len().saturating_sub(QUOTED_SQL));
    let end = (start + QUOTED_SQL).min(chars.len());
    let excerpt: String = chars[start..end].iter().collect();
    let excerpt = excerpt.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "{}{excerpt:?}{}",
        if start > 0 { "…" } else { "" },
        if end < chars.len() { "…" } else { "" }
    )
}

fn quote_sql(sql: &str) -> String {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > QUOTED_SQL {
        format!("{:?}…", flat.chars().take(QUOTED_SQL).collect::<String>())
    } else {
        format!("{flat:?}")
    }
}

/// What one or more runs did about transactions, over all their connections.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Transactions {
    /// Writes that took effect with autocommit on, outside any transaction.
    pub autocommitted: Vec<String>,
    /// How many `COMMIT`s made writes permanent.
    pub commits_with_writes: usize,
    /// The SQL of the first write that a `COMMIT` made permanent.
    pub first_committed: Option<String>,
}

impl Transactions {
    /// Reads the recording: each connection's statements in order, with the server's
    /// answer to each (a write that failed wrote nothing).
    pub fn of(recording: &Recording) -> Transactions {
        let mut seen = Transactions::default();
        for connection in &recording.connections {
            let mut state = Session::default();
            for command in &connection.commands {
                let Some(sql) = command.sql() else { continue };
                if matches!(command.kind, crate::wire::CommandKind::ComStmtPrepare { .. }) {
                    continue;
                }
                for statement in statements(sql) {
                    state.statement(&statement, command, &mut seen);
                }
            }
        }
        seen
    }

    /// A failure if the writes of a run that should succeed were not made in one
    /// transaction committed once.
    pub fn committed_once(&self, exercise: &str, what: &str) -> Option<Failure> {
        if let Some(write) = self.autocommitted.first() {
            return Some(
                Failure::new(
                    format!("{what}, your program wrote outside a transaction: each statement was committed on its own"),
                    format!(
                        "start a transaction first (`conn.start_transaction(TxOpts::default())?`), run every write on it, \
                         then commit once; `cargo grader wire {exercise}` shows the order of your statements"
                    ),
                )
                .in_python(format!(
                    "leave autocommit off (Connector/Python's default), run every write on the connection, then call \
                     `conn.commit()` once; `cargo grader wire {exercise} --track python` shows the order of your statements"
                ))
                .expected("START TRANSACTION, the writes, then COMMIT")
                .got(format!("{} with autocommit on", quote_sql(write))),
            );
        }
        if self.commits_with_writes > 1 {
            return Some(
                Failure::new(
                    format!("{what}, your program committed its writes {} times", self.commits_with_writes),
                    format!(
                        "commit once, after the last write, so that all of them take effect together or none does; \
                         `cargo grader wire {exercise}` shows where each COMMIT went"
                    ),
                )
                .in_python(format!(
                    "call `conn.commit()` once, after the last write, so that all of them take effect together or none \
                     does; `cargo grader wire {exercise} --track python` shows where each COMMIT went"
                ))
                .expected("1 COMMIT after the writes")
                .got(format!("{} COMMITs", self.commits_with_writes)),
            );
        }
        None
    }

    /// A failure if a run that should change nothing committed a write.
    pub fn rolled_back(&self, exercise: &str, what: &str) -> Option<Failure> {
        let first = self.first_committed.as_ref().or(self.autocommitted.first())?;
        Some(
            Failure::new(
                format!("{what}, your program made a write permanent instead of rolling its transaction back"),
                format!(
                    "return the error before the commit: the transaction is then rolled back, and nothing it wrote stays \
                     (undoing writes by hand is not the same); `cargo grader wire {exercise}` shows your statements"
                ),
            )
            .in_python(format!(
                "on an error, call `conn.rollback()` and raise the exception again, without committing (deleting what \
                 you wrote is not the same); `cargo grader wire {exercise} --track python` shows your statements"
            ))
            .expected("ROLLBACK (or no COMMIT), so that no write stays")
            .got(format!("{} committed", quote_sql(first))),
        )
    }
}

/// One connection's transaction state.
#[derive(Debug, Default)]
struct Session {
    autocommit_off: bool,
    in_transaction: bool,
    pending: Vec<String>,
}

impl Session {
    fn statement(&mut self, sql: &str, command: &Command, seen: &mut Transactions) {
        let failed = command.failed();
        match Kind::of(sql) {
            Kind::Begin => {
                self.commit(seen);
                self.in_transaction = true;
            }
            Kind::Commit => {
                self.commit(seen);
                self.in_transaction = false;
            }
            Kind::Rollback => {
                self.pending.clear();
                self.in_transaction = false;
            }
            Kind::Autocommit(on) => {
                if on {
                    self.commit(seen);
                    self.in_transaction = false;
                }
                self.autocommit_off = !on;
            }
            Kind::Write if failed => {}
            Kind::Write if self.in_transaction || self.autocommit_off => {
                self.pending.push(sql.to_string());
            }
            Kind::Write => seen.autocommitted.push(sql.to_string()),
            Kind::Other => {}
        }
    }

    fn commit(&mut self, seen: &mut Transactions) {
        if !self.pending.is_empty() {
            seen.commits_with_writes += 1;
            seen.first_committed.get_or_insert_with(|| self.pending[0].clone());
            self.pending.clear();
        }
    }
}

/// What a statement does to transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Begin,
    Commit,
    Rollback,
    Autocommit(bool),
    Write,
    Other,
}

impl Kind {
    fn of(sql: &str) -> Kind {
        let words: Vec<String> = sql
            .split(|c: char| c.is_whitespace() || c == '(' || c == ';')
            .filter(|word| !word.is_empty())
            .take(3)
            .map(str::to_ascii_uppercase)
            .collect();
        let first = words.first().map_or("", String::as_str);
        let second = words.get(1).map_or("", String::as_str);
        match first {
            "START" if second == "TRANSACTION" => Kind::Begin,
            "BEGIN" if second.is_empty() || second == "WORK" => Kind::Begin,
            "COMMIT" => Kind::Commit,
            "ROLLBACK" if second != "TO" => Kind::Rollback,
            "INSERT" | "UPDATE" | "DELETE" | "REPLACE" | "LOAD" => Kind::Write,
            "SET" => {
                let compact: String = sql
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                match compact.split_once("autocommit=") {
                    Some((_, value))
                        if value.starts_with('0')
                            || value.starts_with("off")
                            || value.starts_with("false") =>
                    {
                        Kind::Autocommit(false)
                    }
                    Some(_) => Kind::Autocommit(true),
                    None => Kind::Other,
                }
            }
            _ => Kind::Other,
        }
    }
}

/// The statements of an SQL text, split at semicolons outside quotes, comments
/// removed.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                current.push(c);
                if c == '\\' {
                    current.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' | '`' => {
                    quote = Some(c);
                    current.push(c);
                }
                ';' => out.push(std::mem::take(&mut current)),
                '#' => skip_line(&mut chars),
                '-' if chars.peek() == Some(&'-') => skip_line(&mut chars),
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    let mut last = ' ';
                    for c in chars.by_ref() {
                        if last == '*' && c == '/' {
                            break;
                        }
                        last = c;
                    }
                    current.push(' ');
                }
                _ => current.push(c),
            },
        }
    }
    out.push(current);
    out.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn skip_line(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if c == '\n' {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{CommandKind, Connection, Outcome, Param};

    fn query(sql: &str, outcome: Outcome) -> Command {
        Command {
            at_ms: 0,
            kind: CommandKind::ComQuery { sql: sql.into() },
            outcomes: vec![outcome],
        }
    }

    fn ok() -> Outcome {
        Outcome::Ok { affected_rows: 1, last_insert_id: None }
    }

    fn run(commands: Vec<Command>) -> Recording {
        Recording { connections: vec![Connection { commands, ..Connection::default() }] }
    }

    #[test]
    fn a_value_is_found_in_every_form_hand_quoting_gives_it() {
        let name = "Siobhán O'Brien".to_string();
        for sql in [
            "SELECT * FROM c WHERE name = 'Siobhán O''Brien'",
            "SELECT * FROM c WHERE name = 'Siobhán O\\'Brien'",
            "SELECT * FROM c WHERE name = X'5369F362682E'",
            "SELECT * FROM c WHERE name = 0x53696F6268C3A16E204F27427269656E",
        ] {
            let recording = run(vec![query(sql, ok())]);
            let found = pasted_values(&recording, std::slice::from_ref(&name), "06");
            if sql.contains("X'5369F3") {
                // Latin-1 hex is not the value's UTF-8: not this value.
                assert!(found.is_none(), "{sql}");
            } else {
                assert!(found.is_some(), "{sql}");
            }
        }
        let prepared = Recording {
            connections: vec![Connection {
                commands: vec![Command {
                    at_ms: 0,
                    kind: CommandKind::ComStmtExecute {
                        statement: 1,
                        sql: Some("SELECT * FROM c WHERE name = ?".into()),
                        params: vec![Param::Text(name.clone())],
                    },
                    outcomes: vec![],
                }],
                ..Connection::default()
            }],
        };
        assert!(pasted_values(&prepared, &[name], "06").is_none());
    }

    #[test]
    fn writes_are_followed_through_transactions() {
        let one = Transactions::of(&run(vec![
            query("START TRANSACTION", ok()),
            query("INSERT INTO t VALUES (1)", ok()),
            query("INSERT INTO t VALUES (2)", ok()),
            query("COMMIT", ok()),
        ]));
        assert_eq!(one.commits_with_writes, 1);
        assert!(one.committed_once("04", "x").is_none());
        assert!(one.rolled_back("04", "x").is_some());

        let autocommitted = Transactions::of(&run(vec![query("INSERT INTO t VALUES (1)", ok())]));
        assert_eq!(autocommitted.autocommitted.len(), 1);
        assert!(autocommitted.committed_once("04", "x").is_some());

        let twice = Transactions::of(&run(vec![
            query("SET autocommit = 0", ok()),
            query("UPDATE t SET a = 1", ok()),
            query("COMMIT", ok()),
            query("UPDATE t SET a = 2", ok()),
            query("COMMIT", ok()),
        ]));
        assert_eq!(twice.commits_with_writes, 2);

        let undone = Transactions::of(&run(vec![
            query("BEGIN; INSERT INTO t VALUES (1); -- a comment; here\n ROLLBACK", ok()),
            query(
                "INSERT INTO t VALUES (3)",
                Outcome::Error { code: 1062, message: "Duplicate".into() },
            ),
        ]));
        assert_eq!(undone, Transactions::default());
        assert!(undone.rolled_back("04", "x").is_none());
    }

    #[test]
    fn statements_split_outside_quotes_and_comments() {
        assert_eq!(
            statements("SELECT ';' /* ; */; UPDATE t SET a = 'x\\';y' # ;\n"),
            ["SELECT ';'", "UPDATE t SET a = 'x\\';y'"]
        );
        assert_eq!(Kind::of("  start transaction read write"), Kind::Begin);
        assert_eq!(Kind::of("ROLLBACK TO SAVEPOINT a"), Kind::Other);
        assert_eq!(Kind::of("set @@session.autocommit = OFF"), Kind::Autocommit(false));
        assert_eq!(Kind::of("(DELETE FROM t)"), Kind::Write);
    }
}
