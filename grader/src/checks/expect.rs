//! How a check says what went wrong: a [`Failure`] in the learner's terms, and the
//! expectations most checks share (the program ran to the end, it did not panic).

use std::fmt;

use crate::runner::{Exit, RunOutput, OUTPUT_CAP};

/// Lines of a program's output quoted in a message.
const LINES_QUOTED: usize = 6;

/// Why a check did not pass.
#[derive(Debug)]
pub enum Problem {
    /// The learner's code has not been written yet (`todo!()` at this `file:line`).
    NotImplemented(String),
    /// The program ran but did not do what the exercise asks.
    Failed(Failure),
    /// The grader could not do its job (say, the server went away).
    Grader(anyhow::Error),
    /// This check cannot run where the grader runs (say, on a server the user named):
    /// why, and how to run it elsewhere.
    Unavailable {
        /// Why the check cannot run here.
        why: String,
        /// How to run it where it can.
        next: String,
    },
}

impl From<Failure> for Problem {
    fn from(failure: Failure) -> Self {
        Problem::Failed(failure)
    }
}

impl From<anyhow::Error> for Problem {
    fn from(error: anyhow::Error) -> Self {
        Problem::Grader(error)
    }
}

impl From<mysql::Error> for Problem {
    fn from(error: mysql::Error) -> Self {
        let context = match &error {
            mysql::Error::MySqlError(refusal) => missing_privilege(refusal.code, &refusal.message),
            _ => None,
        };
        let context = context.unwrap_or_else(|| "the grader's own query failed".into());
        Problem::Grader(anyhow::Error::new(error).context(context))
    }
}

/// What the grader's own account lacks, when the server refused one of its queries
/// for want of a privilege (on a server the user names, whose grader account may be
/// narrower than a check needs): the privilege, and the `GRANT` that gives it.
fn missing_privilege(code: u16, message: &str) -> Option<String> {
    let (privilege, on) = match code {
        // "Access denied; you need (at least one of) the PROCESS privilege(s) for this operation"
        1227 => (message.split(" the ").nth(1)?.split(" privilege").next()?, "*.*".to_string()),
        // "SELECT command denied to user 'g'@'h' for table `db`.`t`" (MySQL quotes 't')
        1142 => {
            let table = message.split(" for table ").nth(1).unwrap_or("the table").trim();
            (message.split(" command denied").next()?, table.to_string())
        }
        _ => return None,
    };
    Some(format!(
        "the grader's account lacks the {privilege} privilege, which this check needs: \
         grant it (GRANT {privilege} ON {on} TO the grader's account; the book's chapter \
         \"The grader on your own server\" lists every privilege the grader needs)"
    ))
}

/// The first expectation a program missed: what went wrong, what was expected, what
/// came instead, and what to try next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// One line: what went wrong.
    pub summary: String,
    /// What the grader expected, if worth showing.
    pub expected: Option<String>,
    /// What it got instead, if worth showing.
    pub got: Option<String>,
    /// The next step for the learner.
    pub next: String,
    /// The next step in a Python learner's words, where the Rust one names Rust's API.
    pub next_in_python: Option<String>,
}

impl Failure {
    /// A failure with a summary and a next step.
    pub fn new(summary: impl Into<String>, next: impl Into<String>) -> Failure {
        Failure {
            summary: summary.into(),
            expected: None,
            got: None,
            next: next.into(),
            next_in_python: None,
        }
    }

    /// Adds the next step for a learner on the Python track.
    pub fn in_python(mut self, next: impl Into<String>) -> Failure {
        self.next_in_python = Some(next.into());
        self
    }

    /// The next step for a learner on the Python track (`python`) or not.
    pub fn next_step(&self, python: bool) -> &str {
        match &self.next_in_python {
            Some(next) if python => next,
            _ => &self.next,
        }
    }

    /// Adds what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Failure {
        self.expected = Some(expected.into());
        self
    }

    /// Adds what came instead.
    pub fn got(mut self, got: impl Into<String>) -> Failure {
        self.got = Some(got.into());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary)?;
        if let Some(expected) = &self.expected {
            write!(f, "\nexpected: {expected}")?;
        }
        if let Some(got) = &self.got {
            write!(f, "\ngot: {got}")?;
        }
        Ok(())
    }
}

/// Characters of one line that a message quotes; the rest is counted, not shown.
const LINE_CHARS_QUOTED: usize = 80;

/// `text` cut to its first [`LINE_CHARS_QUOTED`] characters, with the length of
/// the whole when it was longer, so that a flood never floods the report.
pub fn shorten(text: &str) -> String {
    match cut(text) {
        (start, Some(count)) => format!("{start}… ({count} characters)"),
        (whole, None) => whole,
    }
}

/// The first [`LINE_CHARS_QUOTED`] characters of `text`, and its length if that
/// is not all of it.
fn cut(text: &str) -> (String, Option<usize>) {
    let count = text.chars().count();
    let start = text.chars().take(LINE_CHARS_QUOTED).collect();
    (start, (count > LINE_CHARS_QUOTED).then_some(count))
}

/// The first few of `items`, each shortened, joined by ", ", and how many more.
pub fn some_of(items: &[&str]) -> String {
    let mut shown: Vec<String> =
        items.iter().take(LINES_QUOTED).map(|item| shorten(item)).collect();
    if items.len() > LINES_QUOTED {
        shown.push(format!("… {} more", items.len() - LINES_QUOTED));
    }
    shown.join(", ")
}

/// Quotes the first lines of `text` (each shortened), saying how many there were
/// and whether the output was cut at the grader's cap.
pub fn describe_lines(text: &str, was_cut: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut shown: Vec<String> = lines
        .iter()
        .take(LINES_QUOTED)
        .map(|line| match cut(line) {
            (start, Some(count)) => format!("{start:?}… ({count} characters)"),
            (whole, None) => format!("{whole:?}"),
        })
        .collect();
    if lines.len() > LINES_QUOTED {
        shown.push(format!("… {} more", lines.len() - LINES_QUOTED));
    }
    let cut = if was_cut {
        format!(" (output cut at {} KiB; the rest was thrown away)", OUTPUT_CAP / 1024)
    } else {
        String::new()
    };
    match lines.len() {
        0 => format!("no output{cut}"),
        1 => format!("1 line: {}{cut}", shown.join(", ")),
        count => format!("{count} lines: {}{cut}", shown.join(", ")),
    }
}

/// Checks that a run ended on its own with code 0; otherwise says how it ended.
/// `what` names the run for the learner ("with the right password").
pub fn finished_ok(run: &RunOutput, what: &str) -> Result<(), Problem> {
    if let Some(panic) = run.panic() {
        if panic.is_todo() {
            return Err(Problem::NotImplemented(panic.location));
        }
        let next = if panic.python {
            format!(
                "look at {}: let the driver's errors reach `main`, which prints them",
                panic.location
            )
        } else {
            format!("look at {}: return errors with `?` instead of unwrapping them", panic.location)
        };
        return Err(Failure::new(
            format!(
                "your program {} when run {what}: {}",
                panic.what(),
                first_line(&panic.message)
            ),
            next,
        )
        .into());
    }
    match run.exit {
        Exit::Code(0) => Ok(()),
        Exit::TimedOut => Err(timed_out(run, what).into()),
        Exit::Signal(signal) => Err(Failure::new(
            format!("your program was killed by signal {signal} when run {what}"),
            "look for unbounded recursion or memory use",
        )
        .into()),
        Exit::Code(code) => Err(Failure::new(
            format!("your program exited with code {code} when run {what}, not 0"),
            "read its error below and fix what it complains about",
        )
        .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
        .into()),
    }
}

/// Checks that a run failed the way a program should: a non-zero exit and an error
/// message, no panic, within the time limit.
pub fn failed_cleanly(run: &RunOutput, what: &str) -> Result<(), Problem> {
    if let Some(panic) = run.panic() {
        if panic.is_todo() {
            return Err(Problem::NotImplemented(panic.location));
        }
        let how = if panic.python {
            "let the driver's error reach `main`, which prints it"
        } else {
            "return it with `?` instead of unwrapping it"
        };
        return Err(Failure::new(
            format!(
                "your program {} when run {what}: {}",
                panic.what(),
                first_line(&panic.message)
            ),
            format!("an error from the server is normal here: {how} ({})", panic.location),
        )
        .into());
    }
    match run.exit {
        Exit::TimedOut => Err(timed_out(run, what).into()),
        Exit::Code(0) => Err(Failure::new(
            format!("your program exited with code 0 when run {what}"),
            "when the server refuses, return the error so the program exits with a non-zero code",
        )
        .into()),
        _ => Ok(()),
    }
}

fn timed_out(run: &RunOutput, what: &str) -> Failure {
    Failure::new(
        format!(
            "your program was still running after {} s when run {what}, and was stopped",
            run.timeout.as_secs()
        ),
        "look for a loop that never ends, or a query waiting on a lock another connection holds",
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_privilege_is_named_with_its_grant() {
        let said = missing_privilege(
            1227,
            "Access denied; you need (at least one of) the PROCESS privilege(s) for this operation",
        );
        assert_eq!(
            said.as_deref(),
            Some(
                "the grader's account lacks the PROCESS privilege, which this check needs: grant it \
                 (GRANT PROCESS ON *.* TO the grader's account; the book's chapter \"The grader on your \
                 own server\" lists every privilege the grader needs)"
            )
        );
        let said = missing_privilege(
            1142,
            "SELECT command denied to user 'grader'@'10.0.0.2' for table `mysql`.`user`",
        )
        .unwrap();
        assert!(said.starts_with("the grader's account lacks the SELECT privilege"), "{said}");
        assert!(said.contains("GRANT SELECT ON `mysql`.`user` TO"), "{said}");
        assert_eq!(missing_privilege(1045, "Access denied for user"), None);
    }

    #[test]
    fn a_flood_is_quoted_short() {
        let long = "y".repeat(5000);
        let text = format!("{long}\n{long}\n");
        let quoted = format!("{:?}… (5000 characters)", "y".repeat(80));
        assert_eq!(
            describe_lines(&text, true),
            format!("2 lines: {quoted}, {quoted} (output cut at 64 KiB; the rest was thrown away)")
        );
        let names: Vec<&str> = (0..8).map(|_| long.as_str()).collect();
        let listed = some_of(&names);
        assert!(listed.ends_with(", … 2 more") && listed.len() < 800, "{listed}");
        assert_eq!(some_of(&["mysql", "sys"]), "mysql, sys");
    }
    use crate::runner::Captured;
    use std::time::Duration;

    fn run(exit: Exit, stderr: &str) -> RunOutput {
        RunOutput {
            exit,
            stdout: Captured::default(),
            stderr: Captured { text: stderr.into(), dropped: 0 },
            elapsed: Duration::from_millis(5),
            timeout: Duration::from_secs(10),
            dir: None,
        }
    }

    const TODO: &str = "thread 'main' panicked at exercises/01_connect/src/lib.rs:24:5:\nnot yet implemented: x\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
    const UNWRAP: &str = "thread 'main' panicked at src/main.rs:7:5:\ncalled `Result::unwrap()` on an `Err` value: Access denied\n";

    #[test]
    fn a_todo_is_not_implemented_wherever_it_shows() {
        for check in [finished_ok, failed_cleanly] {
            match check(&run(Exit::Code(101), TODO), "x") {
                Err(Problem::NotImplemented(location)) => {
                    assert_eq!(location, "exercises/01_connect/src/lib.rs:24")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_panic_on_an_expected_error_names_the_place_and_the_fix() {
        let Err(Problem::Failed(failure)) =
            failed_cleanly(&run(Exit::Code(101), UNWRAP), "with a wrong password")
        else {
            panic!("a panic must fail")
        };
        assert_eq!(failure.summary, "your program panicked when run with a wrong password: called `Result::unwrap()` on an `Err` value: Access denied");
        assert!(failure.next.contains("src/main.rs:7"), "{}", failure.next);
    }

    #[test]
    fn exits_and_timeouts_are_told_apart() {
        assert!(finished_ok(&run(Exit::Code(0), ""), "x").is_ok());
        assert!(failed_cleanly(&run(Exit::Code(1), "error: Access denied"), "x").is_ok());
        let Err(Problem::Failed(failure)) = finished_ok(&run(Exit::TimedOut, ""), "once") else {
            panic!()
        };
        assert_eq!(
            failure.summary,
            "your program was still running after 10 s when run once, and was stopped"
        );
        let Err(Problem::Failed(failure)) =
            finished_ok(&run(Exit::Code(1), "error: boom\n"), "once")
        else {
            panic!()
        };
        assert_eq!(failure.got.as_deref(), Some("on stderr, 1 line: \"error: boom\""));
        assert!(matches!(failed_cleanly(&run(Exit::Code(0), ""), "x"), Err(Problem::Failed(_))));
    }

    #[test]
    fn quotes_a_few_lines_and_counts_the_rest() {
        let text: String = (1..=9).map(|n| format!("l{n}\n")).collect();
        let described = describe_lines(&text, true);
        assert!(described.starts_with("9 lines: \"l1\", \"l2\""), "{described}");
        assert!(described.contains("… 3 more"), "{described}");
        assert!(
            described.ends_with("(output cut at 64 KiB; the rest was thrown away)"),
            "{described}"
        );
        assert_eq!(describe_lines("", false), "no output");
    }
}
