//! Check of exercise 06 (being written).

use super::{Check, Context, Problem};

/// The check of `06_sql_injection`.
pub struct SqlInjection;

impl Check for SqlInjection {
    fn run(&self, _cx: &mut Context<'_>) -> Result<(), Problem> {
        Err(Problem::Grader(anyhow::anyhow!("the check of 06_sql_injection is being written")))
    }
}
