//! Check of exercise @NUMBER@: TODO(new exercise) what the check plants, runs and
//! compares. As made, it compares the one line the program prints with the server's
//! own `SELECT VERSION()` on the learner's account.

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::expect::{describe_lines, finished_ok};
use super::{Check, Context, Failure, Problem};

/// The check of `@NAME@`.
pub struct @TYPE@;

impl Check for @TYPE@ {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        // TODO(new exercise): plant random data drawn from `cx.rng` through
        // `cx.server.admin_conn()`, so that a hard-coded answer cannot pass.
        let endpoint = cx.sandbox.endpoint();
        let mut conn = Conn::new(endpoint.opts(Some(&cx.sandbox.database)))?;
        let truth: String = conn.query_first("SELECT VERSION()")?.unwrap_or_default();

        let run = cx.run(&[])?;
        finished_ok(&run, "with your own account")?;
        let printed = run.stdout.text.trim_end();
        if printed != truth {
            return Err(Failure::new(
                "your program did not print the version the server reports",
                "print what the server answers to `SELECT VERSION()`, not a value of your own",
            )
            .expected(truth)
            .got(describe_lines(&run.stdout.text, run.stdout.was_cut()))
            .into());
        }
        Ok(())
    }
}
