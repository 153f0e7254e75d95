//! What the grader itself writes to the terminal: reports and listings on stdout,
//! and `error:`, `warning:` and plain notes on stderr. A closed pipe or terminal
//! (`grader list | head`, a closed window) is never an error here.

use std::fmt::Display;
use std::io::Write as _;

use colored::Colorize as _;

/// Writes `text` to stdout; a closed pipe (`grader list | head`) is not an error.
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
}

/// Writes `text` and a newline to stderr: a note beside the report, such as "the
/// persistent server was started again".
pub fn notice(text: String) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// Writes `question` to stderr without a newline, for an answer typed after it.
pub fn prompt(question: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(question.as_bytes()).and_then(|()| stderr.flush());
}

/// Writes `error: MESSAGE` to stderr, the prefix in bold red.
pub fn error(message: impl Display) {
    notice(format!("{} {message}", "error:".red().bold()));
}

/// Writes `warning: MESSAGE` to stderr, the prefix in bold yellow.
pub fn warning(message: impl Display) {
    notice(format!("{} {message}", "warning:".yellow().bold()));
}
