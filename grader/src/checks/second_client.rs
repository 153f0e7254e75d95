//! Check of exercise 12 (being written).

use super::{Check, Context, Problem};

/// The check of `12_second_client`.
pub struct SecondClient;

impl Check for SecondClient {
    fn run(&self, _cx: &mut Context<'_>) -> Result<(), Problem> {
        Err(Problem::Grader(anyhow::anyhow!("the check of 12_second_client is being written")))
    }
}
