//! Check of exercise 01: the program connects with `DATABASE_URL` and prints the
//! server's version and its account, as the grader's own `SELECT VERSION(),
//! CURRENT_USER()` on the same account sees them; with a wrong password it exits
//! non-zero with the server's error message, without panicking.

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::expect::{describe_lines, failed_cleanly, finished_ok};
use super::{Check, Context, Failure, Problem};

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
        finished_ok(&run, "with the right password")?;
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
        Ok(())
    }
}
