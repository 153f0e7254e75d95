//! What `watch` shows: on a terminal, a screen redrawn after each check (progress
//! bar, the verdict, what happened meanwhile, and the commands); in a pipe, the same
//! blocks one after another; with `--format json`, one JSON object per line (an
//! event), which the tests and the benchmark read.

use std::fmt::Write as _;
use std::time::Duration;

use colored::Colorize as _;
use serde_json::{json, Value};

use crate::grade::ExerciseResult;
use crate::list::progress_bar;
use crate::output::print;
use crate::report::human::render_result;

/// Clears the terminal and its scrollback, and puts the cursor at the top.
const CLEAR: &str = "\x1b[H\x1b[2J\x1b[3J";
/// Clears the current line (a "building…" line) and goes to its start.
const CLEAR_LINE: &str = "\r\x1b[2K";

/// How a check in watch mode ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// It was built and checked.
    Checked(ExerciseResult),
    /// cargo could not build at all (a deleted file, a broken manifest).
    BuildFailed(String),
    /// No server could be started to check against.
    NoServer(String),
}

/// One check in watch mode.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The exercise's `NN_slug`.
    pub exercise: String,
    /// What came of it.
    pub outcome: Outcome,
    /// Time cargo took.
    pub build: Duration,
    /// Time the check took (server, program and all).
    pub check: Duration,
    /// From the file's change to the verdict, if a change started it.
    pub since_change: Option<Duration>,
    /// The seed of the check's data.
    pub seed: u64,
}

impl Verdict {
    /// The status as the JSON report spells it, or `build_failed` or `no_server`.
    pub fn status(&self) -> String {
        match &self.outcome {
            Outcome::Checked(result) => result.status.word().into(),
            Outcome::BuildFailed(_) => "build_failed".into(),
            Outcome::NoServer(_) => "no_server".into(),
        }
    }

    /// Whether it passed.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Outcome::Checked(result) if result.status == crate::grade::Status::Passed)
    }
}

/// Where and how watch mode writes.
#[derive(Debug)]
pub struct Screen {
    json: bool,
    redraw: bool,
    /// Lines to show under the next verdict (on a terminal).
    notes: Vec<String>,
    /// Whether the next verdict goes below what is on the screen instead of clearing it.
    keep: bool,
}

/// What the screen's footer needs to know.
#[derive(Debug, Clone)]
pub struct Footer {
    /// Exercises done, and in all.
    pub done: (usize, usize),
    /// The exercise being worked on, and the folder that holds it.
    pub current: (String, String),
    /// The server, in words: "local 10.11.6-MariaDB (persistent)".
    pub server: String,
}

impl Screen {
    /// A screen that writes JSON lines, or for people; `redraw` clears the terminal
    /// before each verdict.
    pub fn new(json: bool, redraw: bool) -> Screen {
        Screen { json, redraw, notes: Vec::new(), keep: false }
    }

    /// What starts a line: on a terminal, clearing a "building…" line first.
    fn line_start(&self) -> &'static str {
        if self.redraw {
            CLEAR_LINE
        } else {
            ""
        }
    }

    /// Writes one JSON event.
    fn event(&self, value: &Value) {
        print(&format!("{value}\n"));
    }

    /// The session started: which folders, which exercise first.
    pub fn started(&mut self, watching: &[String], current: &str) {
        if self.json {
            self.event(&json!({"event": "started", "watching": watching, "current": current}));
        } else {
            print(&format!("Watching {}; starting with {current}.\n", watching.join(", ")));
        }
    }

    /// An event only JSON readers need (people see it in the footer).
    pub fn note_quietly(&mut self, event: Value) {
        if self.json {
            self.event(&event);
        }
    }

    /// Something happened that the learner should know (a server restarted, moving
    /// on); `event` is its JSON form.
    pub fn note(&mut self, text: String, event: Value) {
        if self.json {
            self.event(&event);
        } else if self.redraw {
            self.notes.push(text);
        } else {
            print(&format!("{text}\n"));
        }
    }

    /// A line to show right away, below the last verdict.
    pub fn after(&mut self, text: &str, event: Value) {
        if self.json {
            self.event(&event);
        } else {
            print(&format!("{}{}\n", self.line_start(), text.green().bold()));
        }
    }

    /// Work under way, on a terminal: "building 02_show_databases…".
    pub fn working(&self, text: &str) {
        if !self.json && self.redraw {
            print(&format!("{CLEAR_LINE}{}", format!("… {text}").dimmed()));
        }
    }

    /// Text the learner asked for (a hint, the list).
    pub fn show(&mut self, text: &str, event: Value) {
        if self.json {
            self.event(&event);
        } else {
            print(&format!("{}\n{text}", self.line_start()));
        }
    }

    /// A verdict, with the footer.
    pub fn verdict(&mut self, verdict: &Verdict, footer: &Footer) {
        if self.json {
            self.event(&verdict_event(verdict));
            return;
        }
        let mut text = self.verdict_block(verdict, footer);
        for note in self.notes.drain(..) {
            let _ = writeln!(text, "{note}");
        }
        if self.redraw {
            let (name, dir) = &footer.current;
            let _ = write!(
                text,
                "\nWorking on {}: save a file in {dir}/ to check again.\n{}\n",
                name.cyan().bold(),
                "Commands, then Enter: h hint · l list · c check again · q quit".dimmed()
            );
        } else {
            text.push('\n');
        }
        print(&text);
    }

    /// A verdict that passed the exercise being worked on, and the move to the next
    /// one, whose verdict follows below it.
    pub fn moving_on(&mut self, verdict: &Verdict, footer: &Footer, text: &str, event: Value) {
        if self.json {
            self.event(&verdict_event(verdict));
            self.event(&event);
            return;
        }
        let mut block = self.verdict_block(verdict, footer);
        let _ = writeln!(block, "{}\n", text.green().bold());
        print(&block);
        self.keep = true;
    }

    /// The screen's top (cleared, with the progress bar) unless the last verdict is
    /// kept, the verdict, and its timings.
    fn verdict_block(&mut self, verdict: &Verdict, footer: &Footer) -> String {
        let mut text = String::new();
        if self.redraw && !self.keep {
            text.push_str(CLEAR);
            let _ = writeln!(text, "{}\n", progress_bar(footer.done.0, footer.done.1));
        } else {
            text.push_str(self.line_start());
        }
        self.keep = false;
        text.push_str(&render_verdict(verdict));
        let mut timing = format!(
            "build {:.2} s · check {:.2} s",
            verdict.build.as_secs_f64(),
            verdict.check.as_secs_f64()
        );
        if let Some(since) = verdict.since_change {
            let _ = write!(timing, " · {:.2} s since you saved", since.as_secs_f64());
        }
        let _ = writeln!(
            text,
            "{}",
            format!("{timing} · seed {} · {} server", verdict.seed, footer.server).dimmed()
        );
        text
    }
}

/// The verdict's block: the exercise's report line, or why cargo could not build.
fn render_verdict(verdict: &Verdict) -> String {
    match &verdict.outcome {
        Outcome::Checked(result) => render_result(result, result.name.len()),
        Outcome::BuildFailed(message) => {
            let mut text = format!(
                "{} {}  cargo could not build it\n",
                "✗".red().bold(),
                verdict.exercise.bold()
            );
            for line in message.lines() {
                let _ = writeln!(text, "    {line}");
            }
            let _ = writeln!(
                text,
                "    {} fix the error above and save again (a missing file? restore it)",
                "→".cyan().bold()
            );
            text
        }
        Outcome::NoServer(message) => {
            let mut text = format!(
                "{} {}  no server to check against\n",
                "!".yellow().bold(),
                verdict.exercise.bold()
            );
            for line in message.lines() {
                let _ = writeln!(text, "    {line}");
            }
            let _ = writeln!(
                text,
                "    {} the next save tries again; `cargo grader doctor` says what is missing",
                "→".cyan().bold()
            );
            text
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A verdict as one JSON event.
pub fn verdict_event(verdict: &Verdict) -> Value {
    let (message, next_step) = match &verdict.outcome {
        Outcome::Checked(result) => (result.message.clone(), result.next_step.clone()),
        Outcome::BuildFailed(message) => {
            (Some(message.clone()), Some("fix the error and save again".into()))
        }
        Outcome::NoServer(message) => (
            Some(message.clone()),
            Some("the next save tries again; `cargo grader doctor` says what is missing".into()),
        ),
    };
    json!({
        "event": "verdict",
        "exercise": verdict.exercise,
        "status": verdict.status(),
        "message": message,
        "next_step": next_step,
        "build_ms": millis(verdict.build),
        "check_ms": millis(verdict.check),
        "since_change_ms": verdict.since_change.map(millis),
        "seed": verdict.seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Status;

    fn verdict(outcome: Outcome) -> Verdict {
        Verdict {
            exercise: "02_show_databases".into(),
            outcome,
            build: Duration::from_millis(1200),
            check: Duration::from_millis(150),
            since_change: Some(Duration::from_millis(1500)),
            seed: 7,
        }
    }

    #[test]
    fn a_verdict_event_holds_status_and_timings() {
        let result = ExerciseResult {
            name: "02_show_databases".into(),
            title: "Show".into(),
            status: Status::NotImplemented,
            message: Some("not implemented yet".into()),
            next_step: Some("replace the todo!()".into()),
            duration: Duration::from_millis(10),
            program_time: Duration::ZERO,
            wire: Vec::new(),
        };
        let event = verdict_event(&verdict(Outcome::Checked(result)));
        assert_eq!(event["status"], "not_implemented");
        assert_eq!(event["build_ms"], 1200);
        assert_eq!(event["since_change_ms"], 1500);
        let failed = verdict_event(&verdict(Outcome::BuildFailed("no main.rs".into())));
        assert_eq!(failed["status"], "build_failed");
        assert_eq!(failed["message"], "no main.rs");
    }

    #[test]
    fn a_build_failure_says_what_to_do() {
        colored::control::set_override(false);
        let text = render_verdict(&verdict(Outcome::BuildFailed(
            "cargo could not build x:\nno targets".into(),
        )));
        assert!(
            text.starts_with(
                "✗ 02_show_databases  cargo could not build it\n    cargo could not build x:"
            ),
            "{text}"
        );
        assert!(text.contains("→ fix the error above and save again"), "{text}");
    }
}
