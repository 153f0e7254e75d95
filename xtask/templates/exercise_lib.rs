//! Exercise @NUMBER@: @TITLE@. The task is in README.md; `src/main.rs` (given) calls
//! the function below and prints what it returns.

// TODO(new exercise): the function the learner writes, its arguments and its result.
// ANCHOR: stub
/// Connects to the server at `database_url` and returns the server's version.
pub fn answer(database_url: &str) -> Result<String, mysql::Error> {
    let _ = database_url;
    todo!("write `answer`: the task is in exercises/@NAME@/README.md")
}
// ANCHOR_END: stub
