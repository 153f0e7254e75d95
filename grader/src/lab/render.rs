//! A lab report for people: each finding as it came (✓ proven, ✗ set up otherwise,
//! · not proven from here), then the source lab's steps, each proven or not, with
//! the next step for each that is not.

use std::fmt::Write as _;

use colored::Colorize as _;

use super::{LabReport, Vantage, Verdict};

/// The whole report.
pub fn render(report: &LabReport) -> String {
    let mut text = match report.vantage {
        Vantage::ClientHost => {
            format!("The lab from this host, the client host, to {}\n\n", report.server)
        }
        Vantage::Elsewhere => {
            format!(
                "The lab from this host, which is not the client host, to {}\n\n",
                report.server
            )
        }
    };
    for finding in &report.findings {
        let _ = writeln!(text, "{} {}", mark(finding.verdict), finding.said);
        if let (Verdict::Failed, Some(next)) = (finding.verdict, &finding.next) {
            let _ = writeln!(text, "    {} {next}", "→".cyan().bold());
        }
    }
    text.push_str("\nThe lab's steps:\n");
    for (index, standing) in report.steps.iter().enumerate() {
        let word = match standing.verdict {
            Verdict::Proven => "proven",
            Verdict::Failed => "not as the lab asks",
            Verdict::NotProven => "not proven from here",
        };
        let _ = writeln!(
            text,
            "{} {} {}: {word}",
            mark(standing.verdict),
            standing.step.label(),
            standing.step.title()
        );
        // Steps in a row with the same next step show it once, after the last of them.
        let shared = report.steps.get(index + 1).is_some_and(|after| after.next == standing.next);
        if let (Some(next), false) = (&standing.next, shared) {
            let _ = writeln!(text, "    {} {next}", "→".cyan().bold());
        }
    }
    let proven = report.steps.iter().filter(|s| s.verdict == Verdict::Proven).count();
    let failed = report.steps.iter().filter(|s| s.verdict == Verdict::Failed).count();
    let _ = writeln!(
        text,
        "\n{proven} of {} steps proven, {failed} not as the lab asks, {} not proven from here",
        report.steps.len(),
        report.steps.len() - proven - failed
    );
    text
}

fn mark(verdict: Verdict) -> colored::ColoredString {
    match verdict {
        Verdict::Proven => "✓".green().bold(),
        Verdict::Failed => "✗".red().bold(),
        Verdict::NotProven => "·".dimmed(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{Finding, Step};

    #[test]
    fn findings_then_steps_read_whole() {
        colored::control::set_override(false);
        let report = LabReport::new(
            Vantage::Elsewhere,
            "10.0.0.10:3306".into(),
            vec![Finding::proven(Step::Firewall, "10.0.0.10:3306 did not answer within 2 s")],
        );
        let text = render(&report);
        assert!(
            text.starts_with(
                "The lab from this host, which is not the client host, to 10.0.0.10:3306\n\n\
             ✓ 10.0.0.10:3306 did not answer within 2 s\n\nThe lab's steps:\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("✓ 4 port 3306 open to the client's private address only: proven\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "\n1 of 8 steps proven, 0 not as the lab asks, 7 not proven from here\n"
            ),
            "{text}"
        );
    }
}
