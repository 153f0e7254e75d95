//! Check of exercise 01: the program connects with `DATABASE_URL` and prints the
//! server's version and its account, as the grader's own `SELECT VERSION(),
//! CURRENT_USER()` on the same account sees them; with a wrong password it exits
//! non-zero with the server's error message, without panicking.

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::closed_port::ClosedPort;
use super::expect::{describe_lines, failed_cleanly, finished_ok};
use super::{Check, Context, Failure, Problem};
use crate::runner::RunOutput;
use crate::wire::Recording;

/// The check of `01_connect`.
pub struct Connect;

const VERSION_LABEL: &str = "server version: ";
const ACCOUNT_LABEL: &str = "connected as: ";

impl Check for Connect {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        let endpoint = cx.sandbox.endpoint();
        let mut conn = Conn::new(endpoint.opts(Some(&cx.sandbox.database)))?;
        let (version, account): (String, String) =
            conn.query_first("SELECT VERSION(), CURRENT_USER()")?.unwrap_or_default();

        let run = cx.run(&[])?;
        let wire = cx.last_wire();
        finished_ok(&run, "with the right password")?;
        kept_secret(&run, &endpoint.password, "with the right password")?;
        let stdout = &run.stdout.text;
        for (label, truth, what) in
            [(VERSION_LABEL, &version, "version"), (ACCOUNT_LABEL, &account, "account")]
        {
            let printed = stdout.lines().find_map(|line| line.strip_prefix(label));
            match printed {
                Some(value) if value.trim() == truth => {}
                Some(value) => {
                    return Err(Failure::new(
                        format!("the {what} your program printed is not the one the server reports"),
                        format!("print what the server answers to the query, not a value of your own (`{label}{{}}`)"),
                    )
                    .expected(format!("{label}{truth}"))
                    .got(format!("{label}{value}"))
                    .into())
                }
                None => {
                    return Err(Failure::new(
                        format!("your program printed no line starting with {label:?}"),
                        "keep src/main.rs as given, and return the server's answers from `server_info`",
                    )
                    .in_python("keep main.py as given, and return the server's answers from `server_info`")
                    .expected(format!("{VERSION_LABEL}{version} / {ACCOUNT_LABEL}{account}"))
                    .got(describe_lines(stdout, run.stdout.was_cut()))
                    .into())
                }
            }
        }

        only_the_two_lines(stdout, &version, &account)?;
        asked_the_server(&wire, &account)?;

        let wrong_password: String = (0..16).map(|_| cx.rng.alphanumeric()).collect();
        let wrong = endpoint.with_account(&endpoint.user, &wrong_password);
        let refusal = match Conn::new(wrong.opts(Some(&cx.sandbox.database))) {
            Err(mysql::Error::MySqlError(error)) => error.message,
            Ok(_) => return Err(anyhow::anyhow!("the server accepted a wrong password").into()),
            Err(error) => {
                return Err(anyhow::Error::new(error)
                    .context("connecting with a wrong password")
                    .into())
            }
        };
        let run = cx.run_with_url(&wrong.url(&cx.sandbox.database), &[])?;
        failed_cleanly(&run, "with a wrong password")?;
        if !run.stderr.text.contains(&refusal) {
            return Err(Failure::new(
                "with a wrong password your program failed, but did not pass on the server's error message",
                "return the error the server sent (with `?`) so `main` prints it; it tells the user what went wrong",
            )
            .in_python("let the driver's exception go (no try/except around `connect`) so `main.py` prints it; it tells the user what went wrong")
            .expected(format!("on stderr, the server's message: {refusal:?}"))
            .got(format!("on stderr, {}", describe_lines(&run.stderr.text, run.stderr.was_cut())))
            .into());
        }
        kept_secret(&run, &wrong_password, "with a wrong password")?;

        // A server that does not answer at all: the program must give up and say so.
        let reserved = ClosedPort::reserve()?;
        let closed = reserved.port;
        let nowhere = format!(
            "mysql://{}:{}@127.0.0.1:{closed}/{}",
            endpoint.user, endpoint.password, cx.sandbox.database
        );
        let what = format!("with a DATABASE_URL whose port ({closed}) no server listens on");
        let run = cx.run_with_url(&nowhere, &[])?;
        failed_cleanly(&run, &what)?;
        if run.stderr.text.trim().is_empty() {
            return Err(Failure::new(
                format!("your program failed {what}, but said nothing on stderr"),
                "return the connection error with `?`, so that `main` prints it",
            )
            .in_python("let the driver's exception go (no try/except around `connect`), so that `main.py` prints it")
            .into());
        }
        kept_secret(&run, &endpoint.password, &what)
    }
}

/// The two labelled lines and nothing else: whatever the program prints is its
/// answer, so a debugging line is a wrong answer.
fn only_the_two_lines(stdout: &str, version: &str, account: &str) -> Result<(), Problem> {
    let lines: Vec<&str> = stdout.lines().collect();
    if lines.len() == 2 {
        return Ok(());
    }
    Err(Failure::new(
        format!("your program printed {} lines on stdout, not just the two that main prints", lines.len()),
        "remove the println! of your own from src/lib.rs: stdout is the program's answer (print debugging goes \
         to stderr, with eprintln!)",
    )
    .in_python(
        "remove the print() calls of your own from lib.py: stdout is the program's answer (print debugging goes \
         to stderr, with print(..., file=sys.stderr))",
    )
    .expected(format!("2 lines: {VERSION_LABEL}{version} / {ACCOUNT_LABEL}{account}"))
    .got(describe_lines(stdout, false))
    .into())
}

/// The account's password must not appear in what the program printed.
fn kept_secret(run: &RunOutput, password: &str, what: &str) -> Result<(), Problem> {
    let leaked = [("stdout", &run.stdout.text), ("stderr", &run.stderr.text)]
        .into_iter()
        .find(|(_, text)| text.contains(password));
    match leaked {
        None => Ok(()),
        Some((stream, _)) => Err(Failure::new(
            format!("your program printed its account's password on {stream} when run {what}"),
            "never print DATABASE_URL or the options made from it: the URL holds the password; name the host and \
             port if you must say where you connect",
        )
        .expected("no password in anything the program prints")
        .got(format!("the password {password:?} on {stream}"))
        .into()),
    }
}

/// The account must come from the server's answer, not from the URL: the program
/// must have logged in as that account and asked for `CURRENT_USER()`.
fn asked_the_server(wire: &Recording, account: &str) -> Result<(), Problem> {
    let user = account.split('@').next().unwrap_or_default();
    if let Some(other) =
        wire.connections.iter().find_map(|c| c.user.as_deref().filter(|u| *u != user))
    {
        return Err(Failure::new(
            format!("your program logged in as {other:?}, not as the account in DATABASE_URL"),
            "connect with the URL you are given, as it is",
        )
        .expected(format!("a login as {user:?}"))
        .got(format!("a login as {other:?}"))
        .into());
    }
    let asked =
        |function: &str| wire.sql_texts().any(|sql| sql.to_ascii_lowercase().contains(function));
    if asked("current_user") {
        return Ok(());
    }
    let sent = || match wire.sql_texts().next() {
        Some(_) => format!(
            "only {}",
            wire.sql_texts().map(|sql| format!("{sql:?}")).collect::<Vec<_>>().join(", ")
        ),
        None => "no SQL at all".into(),
    };
    if asked("user()") {
        return Err(Failure::new(
            "your program asked the server for USER(), not CURRENT_USER()",
            "USER() is the name you gave and the address you came from; the account the server chose is \
             CURRENT_USER(). They agree here only because the grader's account is for your address alone: \
             ask for CURRENT_USER()",
        )
        .expected("a query for CURRENT_USER() among the statements your program sent")
        .got(sent())
        .into());
    }
    Err(Failure::new(
        "your program printed the right account without asking the server for it",
        "ask the server who you are, SELECT CURRENT_USER(), and print its answer: the account it chose can differ \
         from the user name in the URL (the host part is the server's to decide); `cargo grader wire 01` shows what \
         your program sends",
    )
    .expected("a query for CURRENT_USER() among the statements your program sent")
    .got(sent())
    .into())
}
