//! What a batch writes into its output folder: `grades.csv` (a row per submission, a
//! column per exercise with the points earned), `summary.json` (everything, for
//! scripts), `junit/NAME.xml` and `gradescope/NAME.json` per submission (as `check
//! --format junit|gradescope` would print them), and `logs/NAME.log`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use serde_json::json;

use super::{Outcome, SubmissionResult};
use crate::course::Course;
use crate::report::{self, earned};

/// The version of `summary.json`'s schema.
pub const SUMMARY_VERSION: u32 = 1;

/// The folders of one file per submission, emptied before each batch writes.
const PER_SUBMISSION: [&str; 3] = ["junit", "gradescope", "logs"];

/// Makes `out` ready for a gradebook: created if need be, or, if it holds one
/// already (a `summary.json`), emptied of the old per-submission files. A folder that
/// holds other things is refused, so that nothing of the user's is removed.
pub fn prepare(out: &Path) -> Result<()> {
    let has_files = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some());
    if has_files && !out.join("summary.json").is_file() {
        bail!(
            "{} holds files but no gradebook (no summary.json): name an empty or new folder with --out",
            out.display()
        );
    }
    for sub in PER_SUBMISSION {
        let dir = out.join(sub);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot empty {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(())
}

/// Writes the whole gradebook of `outcome` into `out` (made ready by [`prepare`]).
pub fn write(out: &Path, outcome: &Outcome, course: &Course) -> Result<()> {
    let write = |name: &str, text: &str| {
        let path = out.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    write("grades.csv", &csv(outcome, course))?;
    write("summary.json", &summary(outcome, course))?;
    for graded in &outcome.graded {
        let name = &graded.submission.name;
        let report = graded.report(outcome);
        write(&format!("junit/{name}.xml"), &report::junit::render(&report, course, name))?;
        write(&format!("gradescope/{name}.json"), &report::gradescope::render(&report, course))?;
        write(&format!("logs/{name}.log"), &graded.log)?;
    }
    Ok(())
}

/// `field` as one CSV field: quoted when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// `grades.csv`: `submission`, the points earned in each exercise, `total`, `max`
/// and the submission's verdict.
pub fn csv(outcome: &Outcome, course: &Course) -> String {
    let mut text = String::from("submission");
    for exercise in &outcome.exercises {
        text.push(',');
        text.push_str(&field(&exercise.name));
    }
    text.push_str(",total,max,verdict\n");
    for graded in &outcome.graded {
        text.push_str(&field(&graded.submission.name));
        for exercise in &outcome.exercises {
            let result = graded.results.iter().find(|result| result.name == exercise.name);
            let _ = write!(text, ",{}", result.map_or(0, |result| earned(course, result)));
        }
        let (score, max) = graded.score(course);
        let _ = writeln!(text, ",{score},{max},{}", verdict_word(graded));
    }
    text
}

fn verdict_word(graded: &SubmissionResult) -> String {
    serde_json::to_value(graded.verdict)
        .ok()
        .and_then(|value| value.as_str().map(String::from))
        .unwrap_or_default()
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// `summary.json`: the batch (seed, server, exercises and their points) and, per
/// submission, its verdict, score and each exercise's status and message.
pub fn summary(outcome: &Outcome, course: &Course) -> String {
    let submissions: Vec<serde_json::Value> = outcome
        .graded
        .iter()
        .map(|graded| {
            let (score, max_score) = graded.score(course);
            json!({
                "name": graded.submission.name,
                "source": graded.submission.origin(),
                "verdict": graded.verdict,
                "message": graded.message,
                "score": score,
                "max_score": max_score,
                "build_ms": millis(graded.build_time),
                "crates_compiled": graded.crates_compiled,
                "checks_ms": millis(graded.check_time),
                "exercises": graded.results.iter().map(|result| json!({
                    "name": result.name,
                    "status": result.status,
                    "score": earned(course, result),
                    "message": result.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let document = json!({
        "schema_version": SUMMARY_VERSION,
        "seed": outcome.seed,
        "backend": outcome.backend,
        "server_version": outcome.server_version,
        "exercises": outcome.exercises.iter().map(|exercise| json!({
            "name": exercise.name,
            "title": exercise.title,
            "points": exercise.points,
        })).collect::<Vec<_>>(),
        "max_score": outcome.exercises.iter().map(|exercise| exercise.points).sum::<u32>(),
        "submissions": submissions,
        "timings": {
            "template_build_ms": millis(outcome.template_build),
            "total_ms": millis(outcome.total),
        },
    });
    let mut text = serde_json::to_string_pretty(&document).expect("a summary serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("alice"), "alice");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_folder_of_other_files_is_refused_and_a_gradebook_renewed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let error = prepare(dir.path()).unwrap_err().to_string();
        assert!(error.contains("holds files but no gradebook"), "{error}");
        std::fs::write(dir.path().join("summary.json"), "{}").unwrap();
        std::fs::create_dir_all(dir.path().join("logs")).unwrap();
        std::fs::write(dir.path().join("logs/old.log"), "old").unwrap();
        prepare(dir.path()).unwrap();
        assert!(!dir.path().join("logs/old.log").exists());
        assert!(dir.path().join("junit").is_dir() && dir.path().join("notes.txt").exists());
    }
}
