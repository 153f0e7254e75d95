//! The work of `grader sandbox`: a database and an account of one exercise's own that
//! stay on the persistent server, planted as the exercise's check plants its sandbox
//! (the choice is [`checks::by_hand`]), so the learner can run the program by hand.
//!
//! Both are named `grNN_sandbox` (databases a check adds, `grNN_sandbox_*`): the
//! pattern `grNN_%` that `grader reset NN` drops, and a name no check's sandbox takes
//! (theirs end in eight random letters). A new sandbox of an exercise replaces the old
//! one, so it always starts from freshly planted data.

use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use mysql::prelude::Queryable as _;

use crate::checks::{self, Planting, Run};
use crate::course::Exercise;
use crate::sandbox::{Hosts, Sandbox};
use crate::server::persistent::{self, Record};
use crate::server::Server;

/// What ends a standing sandbox's name, after `grNN_`.
pub const SUFFIX: &str = "sandbox";

/// The name of `exercise`'s standing database and account: `gr06_sandbox`.
pub fn name(exercise: &Exercise) -> String {
    format!("gr{}_{SUFFIX}", exercise.number())
}

/// A standing sandbox, as created.
#[derive(Debug, Clone)]
pub struct Standing {
    /// Its database, also its account's name.
    pub database: String,
    /// The `DATABASE_URL` to give the program.
    pub url: String,
    /// What the database holds, in words.
    pub holds: String,
    /// Runs of the program worth trying on it.
    pub runs: Vec<Run>,
    /// Whether it replaced an older sandbox of the same exercise.
    pub replaced: bool,
}

/// The persistent server of the server folder `dir`, which must be up: a standing
/// sandbox needs a server that outlives the grader.
pub fn persistent_server(dir: &Path, command: &str) -> Result<Server> {
    let record = Record::load(dir)?;
    let Some(record) = record else {
        bail!(
            "a sandbox needs the persistent server, and none is running: run `cargo grader server start` first, \
             then `{command}` again"
        );
    };
    persistent::attach(&record, Instant::now()).with_context(|| {
        format!(
            "a sandbox needs the persistent server, and it does not answer: run `cargo grader server start` \
             to start it again, then `{command}` again"
        )
    })
}

/// Creates the standing sandbox of `exercise` on `server` (dropping any older one
/// first) and plants it with `plant`.
pub fn create(server: &Server, exercise: &Exercise, plant: checks::Plant) -> Result<Standing> {
    let name = name(exercise);
    let replaced = remove(server, exercise)? > 0;
    let mut sandbox = Sandbox::create_named(server, &name, Hosts::Any)?;
    let mut rng = fastrand::Rng::new();
    let planted = plant(&mut Planting { server, sandbox: &mut sandbox, rng: &mut rng })
        .with_context(|| format!("cannot plant the data of {} in {name}", exercise.name))?;
    let url = sandbox.url();
    sandbox.keep();
    Ok(Standing { database: name, url, holds: planted.holds, runs: planted.runs, replaced })
}

/// Drops the standing sandbox of `exercise` on `server`: its account and databases.
/// Returns how many of them there were.
pub fn remove(server: &Server, exercise: &Exercise) -> Result<usize> {
    let name = name(exercise);
    let mut conn = server.admin_conn()?;
    let databases: Vec<String> = conn.exec(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ? OR SCHEMA_NAME LIKE ?",
        (&name, format!("{name}\\_%")),
    )?;
    let accounts: Vec<(String, String)> =
        conn.exec("SELECT User, Host FROM mysql.user WHERE User = ?", (&name,))?;
    for database in &databases {
        conn.query_drop(format!("DROP DATABASE IF EXISTS `{database}`"))
            .with_context(|| format!("cannot drop the database {database}"))?;
    }
    for (user, host) in &accounts {
        conn.query_drop(format!("DROP USER IF EXISTS '{user}'@'{host}'"))
            .with_context(|| format!("cannot drop the account {user}"))?;
    }
    Ok(databases.len() + accounts.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::Course;

    #[test]
    fn a_standing_sandbox_is_named_as_reset_drops_and_no_check_names() {
        let course = Course::parse(
            "[[exercise]]\nname = \"06_sql_injection\"\ntitle = \"t\"\nhints = [\"h\"]\n",
        )
        .unwrap();
        let name = name(&course.exercises[0]);
        assert_eq!(name, "gr06_sandbox");
        // reset drops `gr06\_%`; a check's sandbox is `gr06_` and eight letters.
        assert!(name.starts_with("gr06_"));
        assert_ne!(SUFFIX.len(), 8);
    }
}
