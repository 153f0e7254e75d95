//! `grader doctor`: what could stop the grader from working, and how to fix it.

use std::process::ExitCode;

use anyhow::Result;

use super::Format;
use crate::output::print;
use crate::{course, doctor, workspace};

/// The examples and exit codes under `doctor --help`.
pub const HELP: &str = "\
Examples:
  cargo grader doctor
  cargo grader doctor --fix       also removes what killed graders left behind

Exit codes: 0 no problem found (warnings aside), 1 some problem remains.";

/// `grader doctor`'s options.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Remove what killed graders left behind, and set a damaged progress file aside.
    #[arg(long)]
    fix: bool,
    /// For people, or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// Examines the machine (and fixes what it can with `--fix`), and reports.
pub fn run(args: &Args) -> Result<ExitCode> {
    let root = course::find_root().ok();
    let paths = workspace::state_paths()?;
    let mut findings = doctor::examine(root.as_deref(), &paths);
    let mut fixed = Vec::new();
    if args.fix {
        fixed = doctor::fix(&findings);
        findings = doctor::examine(root.as_deref(), &paths);
    }
    print(&match args.format {
        Format::Human => {
            let mut text: String = fixed.iter().map(|line| format!("{line}\n")).collect();
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&doctor::render(&findings));
            text
        }
        Format::Json => {
            let value = serde_json::json!({
                "problems": findings.iter().filter(|f| f.level == doctor::Level::Problem).count(),
                "fixed": fixed,
                "findings": findings,
            });
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
    });
    Ok(if doctor::has_problems(&findings) { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
