//! `grader list`: every exercise with where the learner stands (done, failing, not
//! tried), a progress bar, and the next exercise to do. It reads the progress file
//! only: no server, no build.

use std::fmt::Write as _;

use colored::Colorize as _;
use serde::Serialize;

use std::path::{Path, PathBuf};

use crate::course::{Course, Track};
use crate::reset;
use crate::state::{self, Outcome, Progress, Standing, StatePaths};

/// Width of the progress bar, in characters.
const BAR_WIDTH: usize = 30;

/// One exercise as `list --format json` shows it.
#[derive(Debug, Serialize)]
pub struct ListedExercise<'c> {
    /// `NN_slug`.
    pub name: &'c str,
    /// The exercise's title.
    pub title: &'c str,
    /// `done`, `failing` or `not_tried` (an exercise still as shipped is `not_tried`,
    /// whatever its last check said).
    pub standing: Standing,
    /// Whether its files are as shipped although it was checked since.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub as_shipped: bool,
    /// How its last check went, if it was checked.
    pub last_status: Option<Outcome>,
    /// When it was last checked (seconds since 1970, UTC).
    pub checked_at: Option<u64>,
    /// When it last passed (seconds since 1970, UTC).
    pub passed_at: Option<u64>,
    /// Whether it is the next one to do.
    pub next: bool,
}

/// The list as data, for `--format json`.
#[derive(Debug, Serialize)]
pub struct Listing<'c> {
    /// How many exercises are done.
    pub done: usize,
    /// How many there are.
    pub total: usize,
    /// The next exercise to do, if any is left.
    pub next: Option<&'c str>,
    /// Every exercise, in course order.
    pub exercises: Vec<ListedExercise<'c>>,
    /// The next exercise's task, and the option that names its track in a command.
    #[serde(skip)]
    pub next_task: Option<(PathBuf, &'static str)>,
}

/// The exercises of `course` that `progress` has as failing but whose files are as
/// shipped (in the workspace at `root`): the learner never touched them, so they are
/// "to do" whatever their last check said. Exercise 06 ships a program that runs,
/// and fails its check, before the learner changes anything.
pub fn untouched<'c>(
    root: &Path,
    paths: &StatePaths,
    course: &'c Course,
    progress: &Progress,
) -> Vec<&'c str> {
    course
        .exercises
        .iter()
        .filter(|exercise| progress.standing(&exercise.name) == Standing::Failing)
        .filter(|exercise| reset::untouched(root, paths, exercise))
        .map(|exercise| exercise.name.as_str())
        .collect()
}

/// The list as data. The exercises named in `untouched` are as shipped, so "to do"
/// whatever their last check said.
pub fn listing<'c>(course: &'c Course, progress: &Progress, untouched: &[&str]) -> Listing<'c> {
    let next = progress.next_to_do(&course.exercises).map(|e| e.name.as_str());
    let exercises = course
        .exercises
        .iter()
        .map(|exercise| {
            let entry = progress.entry(&exercise.name);
            let as_shipped = untouched.contains(&exercise.name.as_str());
            ListedExercise {
                name: &exercise.name,
                title: &exercise.title,
                standing: if as_shipped { Standing::NotTried } else { entry.standing() },
                as_shipped,
                last_status: entry.status,
                checked_at: entry.checked_at,
                passed_at: entry.passed_at,
                next: next == Some(exercise.name.as_str()),
            }
        })
        .collect();
    let next_task =
        next.and_then(|name| course.exercises.iter().find(|e| e.name == name)).map(|exercise| {
            (exercise.dir(Track::Exercises).join("README.md"), exercise.track_option())
        });
    Listing {
        done: progress.done_count(course),
        total: course.exercises.len(),
        next,
        exercises,
        next_task,
    }
}

/// The list for people, as of `now` (seconds since 1970).
pub fn render(listing: &Listing<'_>, now: u64) -> String {
    let width = listing.exercises.iter().map(|e| e.name.len()).max().unwrap_or(0);
    let mut text = format!("{}\n\n", progress_bar(listing.done, listing.total));
    for exercise in &listing.exercises {
        let pointer = if exercise.next { "→".cyan().bold() } else { " ".normal() };
        let (mark, word) = match exercise.standing {
            Standing::Done => ("✓".green().bold(), "done".green()),
            Standing::Failing => ("✗".red().bold(), "failing".red()),
            Standing::NotTried => ("·".dimmed(), "to do".dimmed()),
        };
        let name = format!("{:width$}", exercise.name);
        let name = if exercise.next { name.cyan().bold() } else { name.bold() };
        let _ = writeln!(
            text,
            "{pointer} {mark} {word:7}  {name}  {}{}",
            exercise.title,
            when(exercise, now).dimmed()
        );
    }
    text.push('\n');
    match listing.next.and_then(|next| listing.exercises.iter().find(|e| e.name == next)) {
        Some(next) => {
            let number = next.name.split_once('_').map_or(next.name, |(number, _)| number);
            let (task, track) = listing.next_task.clone().unwrap_or_default();
            let _ = writeln!(
                text,
                "Next: {} — the task is in {}\n\
                 Check it as you save with `cargo grader watch{}`; stuck? `cargo grader hint {track}{number}`",
                next.name.cyan().bold(),
                task.display(),
                format!(" {track}").trim_end(),
            );
        }
        None => {
            let _ = writeln!(text, "{}", "Every exercise is done. Well done!".green().bold());
        }
    }
    text
}

/// `[██████░░░░] 5 of 12 done (42%)`.
pub fn progress_bar(done: usize, total: usize) -> String {
    let filled = (done * BAR_WIDTH).checked_div(total).unwrap_or(0);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    format!(
        "Progress [{}{}] {done} of {total} done ({percent}%)",
        "█".repeat(filled).green(),
        "░".repeat(BAR_WIDTH - filled).dimmed()
    )
}

/// "  · passed 5 min ago", "  · not implemented yet", or nothing.
fn when(exercise: &ListedExercise<'_>, now: u64) -> String {
    let checked = exercise.checked_at.map(|at| state::ago(at, now)).unwrap_or_default();
    if exercise.as_shipped {
        return "  · as shipped".into();
    }
    match (exercise.last_status, exercise.passed_at) {
        (Some(Outcome::Passed), _) => format!("  · passed {checked}"),
        (Some(Outcome::CompileError), _) => format!("  · does not compile ({checked})"),
        (Some(Outcome::Failed), Some(passed)) => {
            format!("  · failed {checked}, passed {}", state::ago(passed, now))
        }
        (Some(Outcome::Failed), None) => format!("  · failed {checked}"),
        (Some(Outcome::NotImplemented), _) => "  · not implemented yet".into(),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::{ExerciseResult, Status};
    use std::time::Duration;

    const COURSE: &str = r#"
        [[exercise]]
        name = "01_connect"
        title = "Connect"
        hints = ["h"]
        [[exercise]]
        name = "02_show_databases"
        title = "Show"
        hints = ["h"]
        [[exercise]]
        name = "03_more"
        title = "More"
        hints = ["h"]
    "#;

    fn checked(progress: &mut Progress, name: &str, status: Status, at: u64) {
        let result = ExerciseResult {
            name: name.into(),
            title: String::new(),
            status,
            message: None,
            next_step: None,
            duration: Duration::ZERO,
            program_time: Duration::ZERO,
            wire: Vec::new(),
        };
        progress.record(&[result], at);
    }

    #[test]
    fn shows_standing_the_bar_and_the_next_exercise() {
        colored::control::set_override(false);
        let course = Course::parse(COURSE).unwrap();
        let mut progress = Progress::default();
        checked(&mut progress, "01_connect", Status::Passed, 1_000);
        checked(&mut progress, "02_show_databases", Status::Failed, 1_000);
        let text = render(&listing(&course, &progress, &[]), 1_000 + 120);
        let expected = "\
Progress [██████████░░░░░░░░░░░░░░░░░░░░] 1 of 3 done (33%)

  ✓ done     01_connect         Connect  · passed 2 min ago
→ ✗ failing  02_show_databases  Show  · failed 2 min ago
  · to do    03_more            More

Next: 02_show_databases — the task is in exercises/02_show_databases/README.md
Check it as you save with `cargo grader watch`; stuck? `cargo grader hint 02`
";
        assert_eq!(text, expected);
    }

    #[test]
    fn an_exercise_as_shipped_is_to_do_whatever_its_check_said() {
        colored::control::set_override(false);
        let course = Course::parse(COURSE).unwrap();
        let mut progress = Progress::default();
        // 02 ships a program that runs: its check fails before the learner changes it.
        checked(&mut progress, "02_show_databases", Status::Failed, 1_000);
        checked(&mut progress, "03_more", Status::Failed, 1_000);
        let listing = listing(&course, &progress, &["02_show_databases"]);
        assert_eq!(listing.exercises[1].standing, Standing::NotTried);
        assert_eq!(listing.exercises[2].standing, Standing::Failing);
        let text = render(&listing, 1_000 + 120);
        assert!(text.contains("\n  · to do    02_show_databases  Show  · as shipped\n"), "{text}");
        assert!(
            text.contains("\n  ✗ failing  03_more            More  · failed 2 min ago\n"),
            "{text}"
        );
    }

    #[test]
    fn everything_done_says_so() {
        colored::control::set_override(false);
        let course = Course::parse(COURSE).unwrap();
        let mut progress = Progress::default();
        for name in ["01_connect", "02_show_databases", "03_more"] {
            checked(&mut progress, name, Status::Passed, 10);
        }
        let listing = listing(&course, &progress, &[]);
        assert_eq!((listing.done, listing.next), (3, None));
        assert!(render(&listing, 10).contains("Every exercise is done"));
        assert_eq!(progress_bar(0, 0), format!("Progress [{}] 0 of 0 done (100%)", "░".repeat(30)));
    }
}
