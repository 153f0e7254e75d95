//! `grader doctor`: looks at everything the kit needs and says, for each problem,
//! the command that fixes it: the settings in force (backend and image, and where
//! each comes from), Docker (daemon, image here or pullable, the offline
//! image), a local server program, cargo, mdbook, free ports, the progress file, the
//! persistent server, and anything a killed grader left behind. `--fix` removes the
//! leftovers and sets a damaged progress file aside.

use std::fmt::Write as _;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use colored::Colorize as _;
use serde::Serialize;

use crate::config::{Config, Setting, Source};
use crate::leftovers::{self, Fix};
use crate::server::persistent::Record;
use crate::server::{backend_name, containers, docker, local, DEFAULT_IMAGE};
use crate::state::{self, Progress, StatePaths};

/// The mdBook version the book is tested with.
const MDBOOK_VERSION: &str = "0.5.4";
/// The port `mdbook serve` uses by default.
const MDBOOK_PORT: u16 = 3000;
/// The port MySQL servers usually take.
const MYSQL_PORT: u16 = 3306;

/// How a finding weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// All is well.
    Ok,
    /// Worth knowing; nothing to do.
    Info,
    /// Something optional is missing, or one way to run a server is.
    Warn,
    /// The grader cannot work well until it is fixed.
    Problem,
}

/// One thing doctor looked at.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// What was looked at: `docker`, `cargo`, `leftover`, …
    pub topic: &'static str,
    /// How it weighs.
    pub level: Level,
    /// What doctor found, in a line.
    pub message: String,
    /// The command that fixes it, if anything is to be fixed.
    pub fix: Option<String>,
    /// What `--fix` would do about it.
    #[serde(skip)]
    pub action: Option<Action>,
}

/// What `--fix` can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Remove a leftover.
    Leftover(Fix),
    /// Move a damaged progress file aside.
    SetAside(std::path::PathBuf),
}

impl Finding {
    fn new(topic: &'static str, level: Level, message: impl Into<String>) -> Finding {
        Finding { topic, level, message: message.into(), fix: None, action: None }
    }

    fn fix(mut self, command: impl Into<String>) -> Finding {
        self.fix = Some(command.into());
        self
    }
}

/// Everything doctor looks at, for the workspace at `root` (if one was found).
pub fn examine(root: Option<&Path>, paths: &StatePaths) -> Vec<Finding> {
    let mut findings = vec![cargo()];
    findings.extend(course(root));
    findings.push(progress_file(paths));
    let image = match settings(paths) {
        Ok((found, image)) => {
            findings.extend(found);
            image
        }
        Err(finding) => {
            findings.push(finding);
            Setting { value: DEFAULT_IMAGE.to_string(), source: Source::Default }
        }
    };
    let docker_answers = docker::daemon_answers();
    findings.extend(docker_findings(docker_answers, &image));
    findings.push(local_server());
    if !docker_answers && local::server_binary().is_none() {
        findings.push(
            Finding::new("server", Level::Problem, "no way to run a MySQL server: Docker does not answer and no server program is installed")
                .fix("sudo apt-get install mariadb-server (or start Docker)"),
        );
    }
    findings.push(mdbook());
    findings.extend(ports());
    findings.push(persistent_server(paths));
    findings.extend(leftovers::find(&paths.server_dir, docker_answers).into_iter().map(
        |leftover| Finding {
            topic: "leftover",
            level: Level::Problem,
            fix: Some(format!("cargo grader doctor --fix (or {})", leftover.fix.command())),
            message: leftover.what,
            action: Some(Action::Leftover(leftover.fix)),
        },
    ));
    findings
}

/// Whether any finding is a problem.
pub fn has_problems(findings: &[Finding]) -> bool {
    findings.iter().any(|finding| finding.level == Level::Problem)
}

/// Does what `--fix` can for each finding; returns what it did (or failed to do).
pub fn fix(findings: &[Finding]) -> Vec<String> {
    let mut actions: Vec<&Action> = findings.iter().filter_map(|f| f.action.as_ref()).collect();
    actions.sort_by_key(|action| match action {
        Action::Leftover(fix) => (0, Some(fix.clone())),
        Action::SetAside(_) => (1, None),
    });
    actions
        .into_iter()
        .map(|action| match action {
            Action::Leftover(fix) => match fix.apply() {
                Ok(()) => format!("done: {}", fix.command()),
                Err(error) => format!("failed: {} ({error:#})", fix.command()),
            },
            Action::SetAside(path) => {
                let aside = path.with_extension(format!("json.damaged-{}", state::now()));
                match std::fs::rename(path, &aside) {
                    Ok(()) => {
                        format!("done: moved the damaged progress file to {}", aside.display())
                    }
                    Err(error) => format!("failed: cannot move {} aside ({error})", path.display()),
                }
            }
        })
        .collect()
}

/// The findings for people.
pub fn render(findings: &[Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        let mark = match finding.level {
            Level::Ok => "✓".green().bold(),
            Level::Info => "·".cyan().bold(),
            Level::Warn => "!".yellow().bold(),
            Level::Problem => "✗".red().bold(),
        };
        let _ = writeln!(text, "{mark} {:8}  {}", finding.topic.bold(), finding.message);
        if let Some(fix) = &finding.fix {
            let _ = writeln!(text, "  {:8}  {} {fix}", "", "→".cyan().bold());
        }
    }
    let count = |level| findings.iter().filter(|f| f.level == level).count();
    let warnings = match count(Level::Warn) {
        0 => String::new(),
        1 => " (1 warning, marked !: it may get in the way, see its arrow)".into(),
        n => format!(" ({n} warnings, marked !: they may get in the way, see their arrows)"),
    };
    let summary = match count(Level::Problem) {
        0 => format!("No problems found{warnings}.").green().bold().to_string(),
        1 => format!("1 problem found{warnings}.").red().bold().to_string(),
        n => format!("{n} problems found{warnings}.").red().bold().to_string(),
    };
    let _ = writeln!(text, "\n{summary}");
    text
}

/// `version` of `program`, if it runs.
fn version_of(program: &std::ffi::OsStr, arg: &str) -> Option<String> {
    let output = Command::new(program).arg(arg).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn cargo() -> Finding {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    match version_of(&cargo, "--version") {
        Some(version) => Finding::new("cargo", Level::Ok, version),
        None => Finding::new(
            "cargo",
            Level::Problem,
            "cargo does not run, and the grader builds exercises with it",
        )
        .fix("install Rust from https://rustup.rs"),
    }
}

fn course(root: Option<&Path>) -> Option<Finding> {
    let root = root?;
    Some(match crate::course::Course::load(root) {
        Ok(course) => Finding::new(
            "course",
            Level::Ok,
            format!(
                "{} exercises in {}",
                course.exercises.len(),
                root.join("exercises/course.toml").display()
            ),
        ),
        Err(error) => Finding::new("course", Level::Problem, format!("{error:#}"))
            .fix("restore the file: git checkout -- exercises/course.toml"),
    })
}

fn progress_file(paths: &StatePaths) -> Finding {
    let path = &paths.progress;
    match Progress::load(path) {
        Ok(progress) if path.exists() => Finding::new(
            "progress",
            Level::Ok,
            format!(
                "{} ({} recorded)",
                path.display(),
                crate::launch::count(progress.exercises.len(), "exercise")
            ),
        ),
        Ok(_) => Finding::new(
            "progress",
            Level::Info,
            format!("no progress yet; the first check writes {}", path.display()),
        ),
        Err(error) => Finding {
            action: Some(Action::SetAside(path.clone())),
            ..Finding::new("progress", Level::Problem, format!("{error:#}")).fix(format!(
                "cargo grader doctor --fix (or mv {} {}.old)",
                path.display(),
                path.display()
            ))
        },
    }
}

/// The backend and image in force and where each comes from, and the image for the
/// docker findings; a damaged config file is a problem of its own.
fn settings(paths: &StatePaths) -> Result<(Vec<Finding>, Setting<String>), Finding> {
    let config = Config::load(&paths.config).map_err(|error| {
        Finding::new("settings", Level::Problem, format!("{error:#}"))
            .fix(format!("fix or remove {}", paths.config.display()))
    })?;
    let (backend, image) = config.in_force(&paths.config);
    let findings = vec![
        Finding::new(
            "settings",
            Level::Info,
            format!("backend {} ({})", backend_name(backend.value), backend.source),
        ),
        Finding::new("settings", Level::Info, format!("image {} ({})", image.value, image.source)),
    ];
    Ok((findings, image))
}

fn docker_findings(answers: bool, setting: &Setting<String>) -> Vec<Finding> {
    let image = setting.value.as_str();
    if !answers {
        return vec![Finding::new(
            "docker",
            Level::Warn,
            "Docker does not answer, so the docker backend is unavailable (the local one may do)",
        )
        .fix(
            "start Docker (sudo systemctl start docker), or point DOCKER_HOST at Podman or Colima",
        )];
    }
    let host = std::env::var("DOCKER_HOST").unwrap_or_else(|_| "the default socket".into());
    let mut findings =
        vec![Finding::new("docker", Level::Ok, format!("the daemon answers at {host}"))];
    let offline_here = containers::image_present(docker::OFFLINE_IMAGE).unwrap_or(false);
    let use_offline = format!("cargo grader config set image {}", docker::OFFLINE_IMAGE);
    let instead = if setting.source.is_chosen() {
        ""
    } else if offline_here {
        "; until then checks use the offline image"
    } else if local::server_binary().is_some() {
        "; until then checks use the local server"
    } else {
        ""
    };
    findings.push(match containers::image_present(image) {
        Ok(true) => Finding::new("image", Level::Ok, format!("{image} is here")),
        Ok(false) if containers::registry_answers(docker::split_image(image).0) => Finding::new(
            "image",
            Level::Info,
            format!("{image} is not here yet; the first check pulls it (a few hundred MB)"),
        )
        .fix(format!("docker pull {image}")),
        Ok(false) => Finding::new(
            "image",
            if instead.is_empty() { Level::Warn } else { Level::Info },
            format!(
                "{image} is not here, and whether it can be pulled is unknown: no registry answers (offline?){instead}"
            ),
        )
        .fix(if offline_here {
            use_offline
        } else {
            "scripts/build-offline-image.sh, as root or with sudo (it saves the image in the course's config)".into()
        }),
        Err(error) => Finding::new("image", Level::Warn, format!("{error:#}")),
    });
    if image != docker::OFFLINE_IMAGE {
        let offline = docker::OFFLINE_IMAGE;
        findings.push(if offline_here {
            Finding::new(
                "image",
                Level::Ok,
                format!("the offline image {offline} is here (`cargo grader config set image {offline}` uses it)"),
            )
        } else {
            Finding::new(
                "image",
                Level::Info,
                format!(
                    "the offline image {offline} is not built (only needed without a registry)"
                ),
            )
            .fix("scripts/build-offline-image.sh, as root or with sudo")
        });
    }
    findings
}

fn local_server() -> Finding {
    match local::server_binary() {
        Some(binary) => {
            let version = version_of(binary.as_os_str(), "--version")
                .unwrap_or_else(|| format!("{} (its version is unknown)", binary.display()));
            Finding::new(
                "local",
                Level::Ok,
                version.split_whitespace().collect::<Vec<_>>().join(" "),
            )
        }
        None => Finding::new(
            "local",
            Level::Warn,
            "no mariadbd or mysqld here, so the local backend is unavailable",
        )
        .fix(format!(
            "sudo apt-get install mariadb-server (or set {} to its path)",
            local::SERVER_ENV
        )),
    }
}

fn mdbook() -> Finding {
    let install = format!("cargo install mdbook --locked --version {MDBOOK_VERSION}");
    match version_of("mdbook".as_ref(), "--version") {
        Some(version) if version.ends_with(MDBOOK_VERSION) => {
            Finding::new("mdbook", Level::Ok, version)
        }
        Some(version) => Finding::new(
            "mdbook",
            Level::Info,
            format!("{version}; the book is tested with {MDBOOK_VERSION}"),
        )
        .fix(install),
        None => Finding::new(
            "mdbook",
            Level::Info,
            "mdbook is not installed (needed only to read the book locally)",
        )
        .fix(install),
    }
}

fn ports() -> Vec<Finding> {
    let mut findings = vec![match TcpListener::bind("127.0.0.1:0") {
        Ok(_) => Finding::new("ports", Level::Ok, "free ports on 127.0.0.1 for throwaway servers"),
        Err(error) => Finding::new(
            "ports",
            Level::Problem,
            format!("cannot listen on 127.0.0.1 ({error}), so no local server can start"),
        )
        .fix("check that the loopback interface is up: ip link set lo up"),
    }];
    if TcpListener::bind(("127.0.0.1", MDBOOK_PORT)).is_err() {
        findings.push(
            Finding::new(
                "ports",
                Level::Info,
                format!("port {MDBOOK_PORT} is taken, where `mdbook serve` listens by default"),
            )
            .fix(format!("mdbook serve book --port {}", MDBOOK_PORT + 1)),
        );
    }
    if TcpListener::bind(("127.0.0.1", MYSQL_PORT)).is_err() {
        findings.push(Finding::new(
            "ports",
            Level::Info,
            format!("something listens on {MYSQL_PORT} (a system MySQL?); no matter, the grader picks free ports"),
        ));
    }
    findings
}

fn persistent_server(paths: &StatePaths) -> Finding {
    match Record::load(&paths.server_dir) {
        Ok(Some(record)) if record.answers() => Finding::new(
            "server",
            Level::Ok,
            format!(
                "a persistent {} server answers at {}:{}, up {}",
                record.kind().backend(),
                record.host,
                record.port,
                state::span(state::now().saturating_sub(record.started_at))
            ),
        )
        .fix("cargo grader server stop (when you are done)"),
        // A record that does not answer is reported with the leftovers.
        Ok(Some(_)) | Err(_) => Finding::new(
            "server",
            Level::Info,
            "the persistent server's record is stale (see below)",
        ),
        Ok(None) => Finding::new(
            "server",
            Level::Info,
            "no persistent server; `cargo grader server start` makes checks start faster",
        )
        .fix("cargo grader server start"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_come_with_their_fix() {
        colored::control::set_override(false);
        let findings = vec![
            Finding::new("cargo", Level::Ok, "cargo 1.95.0"),
            Finding::new("leftover", Level::Problem, "the container x")
                .fix("cargo grader doctor --fix"),
        ];
        assert!(has_problems(&findings));
        assert_eq!(
            render(&findings),
            "✓ cargo     cargo 1.95.0\n✗ leftover  the container x\n            → cargo grader doctor --fix\n\n1 problem found.\n"
        );
    }

    #[test]
    fn a_damaged_progress_file_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let paths = StatePaths::in_dir(dir.path());
        std::fs::write(&paths.progress, "{").unwrap();
        let finding = progress_file(&paths);
        assert_eq!(finding.level, Level::Problem);
        let done = fix(&[finding]);
        assert!(done[0].starts_with("done: moved"), "{done:?}");
        assert!(!paths.progress.exists());
        assert_eq!(progress_file(&paths).level, Level::Info);
    }
}
