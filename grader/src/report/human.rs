//! The report for people: a ✓ or ✗ line per exercise, the first missed expectation
//! in plain words with the next step, and where the time went.

use std::fmt::Write as _;
use std::time::Duration;

use colored::Colorize as _;

use super::Report;
use crate::grade::{ExerciseResult, Status};

/// One exercise's line, and below it what went wrong and what to do.
pub fn render_result(result: &ExerciseResult, name_width: usize) -> String {
    let mark = match result.status {
        Status::Passed => "✓".green().bold(),
        Status::Error => "!".yellow().bold(),
        Status::Skipped => "-".yellow().bold(),
        _ => "✗".red().bold(),
    };
    let mut text = format!(
        "{mark} {:name_width$}  {}  {}\n",
        result.name.bold(),
        result.title,
        seconds(result.duration).dimmed()
    );
    if let Some(message) = &result.message {
        for line in message.lines() {
            let _ = writeln!(text, "    {line}");
        }
    }
    if let Some(next) = &result.next_step {
        let _ = writeln!(text, "    {} {next}", "→".cyan().bold());
    }
    text
}

/// The closing lines: how many passed, what to do next, and where the time went.
pub fn render_summary(report: &Report) -> String {
    let total = report.exercises.len();
    let passed = report.passed();
    let skipped = report.skipped();
    let mut text = String::from("\n");
    let mut tally = format!("{passed} of {total} passed");
    if skipped > 0 {
        tally.push_str(&format!(", {skipped} skipped on this backend"));
    }
    if passed + skipped == total {
        let _ = writeln!(text, "{}", tally.green().bold());
    } else {
        let first = report
            .exercises
            .iter()
            .find(|result| !matches!(result.status, Status::Passed | Status::Skipped));
        let track = if report.language == "python" { "--track python " } else { "" };
        // After a --cmd run, the next step is the same command again, as each result says.
        let next = first.filter(|_| report.language != "command").map(|result| {
            format!(" · next: {} (cargo grader check {track}{})", result.name, number(&result.name))
        });
        let _ = writeln!(text, "{}{}", tally.bold(), next.unwrap_or_default());
    }
    let timings = &report.timings;
    let _ = writeln!(
        text,
        "{}",
        format!(
            "server {} ({}, {}) · build {} · checks {} · seed {} (--seed {} replays it)",
            seconds(timings.server_start),
            report.backend,
            report.server_version,
            seconds(timings.build),
            seconds(timings.checks),
            report.seed,
            report.seed,
        )
        .dimmed()
    );
    text
}

/// The whole report.
pub fn render(report: &Report) -> String {
    let width = report.exercises.iter().map(|result| result.name.len()).max().unwrap_or(0);
    let mut text: String =
        report.exercises.iter().map(|result| render_result(result, width)).collect();
    text.push_str(&render_summary(report));
    text
}

fn number(name: &str) -> &str {
    name.split_once('_').map_or(name, |(number, _)| number)
}

fn seconds(duration: Duration) -> String {
    format!("{:.2} s", duration.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn reads_well_without_colour() {
        colored::control::set_override(false);
        let text = render(&sample::report());
        let expected = "\
✓ 01_connect         Title of 01_connect  0.12 s
✗ 02_show_databases  Title of 02_show_databases  0.12 s
    your program left out gr02_x_orders12
    expected: 2 lines: a, b
    got: 1 line: \"a\"
    → print every row
✗ 03_x               Title of 03_x  0.12 s
    not implemented yet (exercises/03_x/src/lib.rs:9)
    → replace the todo!()

1 of 3 passed · next: 02_show_databases (cargo grader check 02)
server 0.64 s (local, 10.11.6-MariaDB) · build 0.30 s · checks 0.25 s · seed 42 (--seed 42 replays it)
";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_skipped_exercise_is_shown_and_counted_apart() {
        colored::control::set_override(false);
        let mut report = sample::report();
        report.exercises.truncate(1);
        let mut skipped = report.exercises[0].clone();
        skipped.name = "10_remote_access".into();
        skipped.status = Status::Skipped;
        skipped.message = Some("not checked on this backend: no lab".into());
        skipped.next_step = Some("check it with --backend local".into());
        report.exercises.push(skipped);
        let text = render(&report);
        assert!(text.contains("- 10_remote_access  Title of 01_connect"), "{text}");
        assert!(text.contains("\n1 of 2 passed, 1 skipped on this backend\n"), "{text}");
        assert_eq!(report.exit_code(), std::process::ExitCode::SUCCESS);
    }
}
