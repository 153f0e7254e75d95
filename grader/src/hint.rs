//! `grader hint`: an exercise's hints from course.toml, one at a time, from a nudge to
//! nearly the answer.
//!
//! The first call shows the first hint. The next one comes with `--more`, or by
//! itself once the learner has checked the exercise again since the last hint (so a
//! hint is a reply to a try, not a shortcut). The progress file remembers how many
//! hints each exercise has shown.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use colored::Colorize as _;

use crate::course::Exercise;
use crate::state::{self, Entry, Outcome};

/// What one `hint` call shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hints {
    /// The exercise's `NN_slug`.
    pub name: String,
    /// Its title.
    pub title: String,
    /// The hints shown so far, in order.
    pub shown: Vec<String>,
    /// How many hints the exercise has.
    pub total: usize,
    /// Whether the last of `shown` is new with this call.
    pub new: bool,
    /// The option that names the exercise's track in a command (`--track python `).
    pub track: &'static str,
}

/// How many hints to show, given what the learner has seen and done: the first on
/// first use, one more with `more` or after a new check that did not pass.
pub fn reveal(entry: &Entry, total: usize, more: bool) -> usize {
    let seen = entry.hints_seen.min(total);
    let tried_since = match (entry.checked_at, entry.hint_at) {
        (Some(checked), Some(hinted)) => checked > hinted,
        _ => false,
    };
    let passed = entry.status == Some(Outcome::Passed);
    if seen == 0 || more || (tried_since && !passed) {
        (seen + 1).min(total)
    } else {
        seen
    }
}

/// The hints of `exercise` to show, given its progress entry; updates `entry`.
pub fn take(exercise: &Exercise, entry: &mut Entry, more: bool, now: u64) -> Hints {
    let total = exercise.hints.len();
    let before = entry.hints_seen.min(total);
    let count = reveal(entry, total, more);
    if count > before {
        entry.hints_seen = count;
        entry.hint_at = Some(now);
    }
    Hints {
        track: exercise.track_option(),
        name: exercise.name.clone(),
        title: exercise.title.clone(),
        shown: exercise.hints[..count].to_vec(),
        total,
        new: count > before,
    }
}

/// The hints of `exercise` to show now, as [`take`] decides, with the progress file
/// at `progress` updated under its lock: what `hint` and watch's `h` both do.
pub fn take_and_record(progress: &Path, exercise: &Exercise, more: bool) -> Result<Hints> {
    let mut hints = None;
    state::update(progress, |progress| {
        let entry = progress.exercises.entry(exercise.name.clone()).or_default();
        hints = Some(take(exercise, entry, more, state::now()));
    })?;
    Ok(hints.expect("update runs the change when it succeeds"))
}

/// Where the learner asked for hints, which decides how the next one is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskedIn {
    /// `cargo grader hint NN`.
    Command,
    /// Watch mode's `h`.
    Watch,
}

/// The hints for people.
pub fn render(hints: &Hints, asked_in: AskedIn) -> String {
    let mut text = format!("Hints for {} — {}\n\n", hints.name.bold(), hints.title);
    let last = hints.shown.len();
    for (index, hint) in hints.shown.iter().enumerate() {
        let number = format!("{}.", index + 1);
        let line = if index + 1 == last && hints.new {
            format!("{} {hint} {}", number.cyan().bold(), "(new)".cyan())
        } else if index + 1 == last {
            format!("{} {hint}", number.bold())
        } else {
            format!("{} {}", number.dimmed(), hint.dimmed())
        };
        let _ = writeln!(text, "  {line}");
    }
    let number = hints.name.split_once('_').map_or(hints.name.as_str(), |(number, _)| number);
    let footer = if last < hints.total {
        match asked_in {
            AskedIn::Command => format!(
                "{last} of {} hints shown. Check your work again and `cargo grader hint {track}{number}` shows the next one \
                 (or `cargo grader hint {track}{number} --more` now).",
                hints.total,
                track = hints.track
            ),
            AskedIn::Watch => format!(
                "{last} of {} hints shown. Type h and Enter for the next one.",
                hints.total
            ),
        }
    } else {
        format!(
            "That was the last hint. The book's chapter walks through the concepts: book/src/exercises/{}.md",
            hints.name
        )
    };
    let _ = write!(text, "\n{}\n", footer.dimmed());
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exercise() -> Exercise {
        Exercise {
            name: "02_show_databases".into(),
            title: "Show".into(),
            timeout: 10,
            points: 1,
            hints: vec!["one".into(), "two".into(), "three".into()],
            untouched: None,
            track_folder: None,
        }
    }

    #[test]
    fn the_first_call_shows_the_first_hint_and_repeats_show_the_same() {
        let mut entry = Entry::default();
        let first = take(&exercise(), &mut entry, false, 10);
        assert_eq!((first.shown.clone(), first.new), (vec!["one".to_string()], true));
        let again = take(&exercise(), &mut entry, false, 20);
        assert_eq!((again.shown.len(), again.new), (1, false));
        assert_eq!(entry.hint_at, Some(10));
    }

    #[test]
    fn more_or_a_new_failed_try_shows_the_next_up_to_the_last() {
        let mut entry = Entry::default();
        take(&exercise(), &mut entry, false, 10);
        assert_eq!(take(&exercise(), &mut entry, true, 20).shown.len(), 2);
        entry.status = Some(Outcome::Failed);
        entry.checked_at = Some(30);
        let after_try = take(&exercise(), &mut entry, false, 40);
        assert_eq!((after_try.shown.len(), after_try.new), (3, true));
        let past_the_end = take(&exercise(), &mut entry, true, 50);
        assert_eq!((past_the_end.shown.len(), past_the_end.new), (3, false));
    }

    #[test]
    fn reads_well() {
        colored::control::set_override(false);
        let mut entry = Entry { hints_seen: 1, ..Entry::default() };
        let text = render(&take(&exercise(), &mut entry, true, 5), AskedIn::Command);
        assert_eq!(
            text,
            "Hints for 02_show_databases — Show\n\n  1. one\n  2. two (new)\n\n2 of 3 hints shown. \
             Check your work again and `cargo grader hint 02` shows the next one (or `cargo grader hint 02 --more` now).\n"
        );
        let mut entry = Entry { hints_seen: 1, ..Entry::default() };
        let in_watch = render(&take(&exercise(), &mut entry, true, 5), AskedIn::Watch);
        assert!(
            in_watch.ends_with("\n2 of 3 hints shown. Type h and Enter for the next one.\n"),
            "{in_watch}"
        );
        let mut entry = Entry { hints_seen: 3, ..Entry::default() };
        assert!(render(&take(&exercise(), &mut entry, false, 5), AskedIn::Watch)
            .contains("That was the last hint"));
    }
}
