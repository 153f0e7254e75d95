//! Check of exercise 11 (being written).

use super::{Check, Context, Problem};

/// The check of `11_web_tier`.
pub struct WebTier;

impl Check for WebTier {
    fn run(&self, _cx: &mut Context<'_>) -> Result<(), Problem> {
        Err(Problem::Grader(anyhow::anyhow!("the check of 11_web_tier is being written")))
    }
}
