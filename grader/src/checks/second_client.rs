//! Check of exercise 12: the search of exercise 05 again, written with sqlx. What the
//! program must print is the same, so the check is too: see [`super::query_rows`].

use super::query_rows::{self, Client};
use super::{Check, Context, Problem};

/// The check of `12_second_client`.
pub struct SecondClient;

impl Check for SecondClient {
    fn run(&self, cx: &mut Context<'_>) -> Result<(), Problem> {
        query_rows::check_order_search(cx, Client::Sqlx)
    }
}
