//! Check of exercise 03 (being written).

use super::{Check, Context, Problem};

/// The check of `03_create_schema`.
pub struct CreateSchema;

impl Check for CreateSchema {
    fn run(&self, _cx: &mut Context<'_>) -> Result<(), Problem> {
        Err(Problem::Grader(anyhow::anyhow!("the check of 03_create_schema is being written")))
    }
}
