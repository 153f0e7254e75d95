//! `grader watch`: the edit → check loop. It watches the exercises' folders (with
//! `notify`, debounced by `notify-debouncer-full`, and only for writes, creations,
//! renames and removals: cargo reading a file is no change), and when a file is saved it rebuilds and checks only the
//! exercise it belongs to, against one server kept up for the whole session (the
//! persistent one if it is up). When the exercise being worked on passes, it moves
//! on to the next one not done yet and checks it at once.
//!
//! It survives what happens while one learns: a compile error is a verdict like any
//! other, a deleted file or a broken manifest is reported and waited out, and a
//! server that stopped answering is started again before the next check (and the
//! screen says so). Ctrl-C stops the session's own server and any running program.

pub mod files;
pub mod screen;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead as _, IsTerminal as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use colored::Colorize as _;
use mysql::prelude::Queryable as _;
use notify_debouncer_full::notify::event::{EventKind, ModifyKind};
use notify_debouncer_full::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache,
};
use serde_json::json;

use self::files::WatchedDirs;
use self::screen::{Footer, Outcome, Screen, Verdict};
use crate::course::{Course, Exercise, Track};
use crate::grade::{self, Status};
use crate::plan::{self, Plan, Subject};
use crate::server::persistent::{self, Record};
use crate::server::{Notices, Server, ServerSettings};
use crate::state::{self, Progress, StatePaths};
use crate::workspace::Workspace;
use crate::{compile, hint, list, shutdown};

/// How long the files must stay quiet before a check starts: editors write a file
/// in several steps (a temporary file, a rename).
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// What `grader watch` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The workspace and its course.
    pub workspace: Workspace,
    /// The exercises to watch, each with its package, and the time limit; each
    /// check gets a seed of its own unless `seed` is set.
    pub plan: Plan,
    /// Where the server comes from when no persistent one is up.
    pub settings: ServerSettings,
    /// JSON lines instead of a screen.
    pub json: bool,
    /// The seed for every check, instead of a new one each time.
    pub seed: Option<u64>,
}

/// Something for the session to act on.
enum Event {
    /// Files changed; the first change happened at `at`.
    Changed { paths: Vec<PathBuf>, at: Instant },
    /// A line the learner typed.
    Command(String),
    /// The file watcher failed.
    WatchFailed(String),
}

/// A server being started in the background, or started.
enum ServerSlot {
    Starting(JoinHandle<Result<Server>>),
    Ready(Server),
    Missing(String),
}

/// A watch session.
struct Session {
    root: PathBuf,
    course: Course,
    selection: Vec<Exercise>,
    order: Vec<String>,
    watched: WatchedDirs,
    paths: StatePaths,
    options: Options,
    server: ServerSlot,
    current: String,
    /// Exercises whose last check in this session passed.
    passed: HashSet<String>,
    screen: Screen,
}

/// Runs a watch session until `q` or Ctrl-C.
pub fn run(options: Options, redraw: bool) -> Result<ExitCode> {
    shutdown::install_handler()?;
    let Workspace { root, course, paths } = options.workspace.clone();
    crate::reset::snapshot_if_needed(&root, &paths, &course);
    let selection: Vec<Exercise> =
        options.plan.items.iter().map(|(exercise, _)| exercise.clone()).collect();
    let watched = watched_dirs(&root, &options.plan)?;
    let progress = Progress::load(&paths.progress).unwrap_or_default();
    let current = progress.next_to_do(&selection).unwrap_or(&selection[0]).name.clone();
    let server = {
        let (settings, dir) = (options.settings.clone(), paths.server_dir.clone());
        ServerSlot::Starting(std::thread::spawn(move || {
            persistent::server_for(&settings, &dir, &Notices)
        }))
    };
    let (sender, events) = mpsc::channel();
    let _watcher = start_watcher(&watched, &root, sender.clone())?;
    read_commands(sender);
    let mut session = Session {
        order: selection.iter().map(|e| e.name.clone()).collect(),
        screen: Screen::new(options.json, redraw && !options.json),
        root,
        course,
        selection,
        watched,
        paths,
        options,
        server,
        current,
        passed: HashSet::new(),
    };
    session.run(&events)
}

/// The folder of each exercise of `plan` (or of the package standing in for it).
fn watched_dirs(root: &Path, plan: &Plan) -> Result<WatchedDirs> {
    let stand_ins = plan.items.iter().any(|(exercise, _)| !plan.is_learners_own(&exercise.name));
    let package_dirs = if stand_ins { files::package_dirs(root)? } else { HashMap::new() };
    let dirs = plan
        .items
        .iter()
        .map(|(exercise, subject)| {
            let dir = match subject {
                // A command line: what it runs is somewhere in its folder.
                Subject::Program(program) if plan.command => {
                    program.dir.clone().unwrap_or_else(|| root.to_path_buf())
                }
                _ if plan.is_learners_own(&exercise.name) => {
                    root.join(exercise.dir(Track::Exercises))
                }
                Subject::Program(_) => root.join(exercise.dir(Track::Exercises)),
                Subject::Package(package) => package_dirs
                    .get(package)
                    .cloned()
                    .with_context(|| format!("the workspace has no package {package}"))?,
            };
            Ok((dir, exercise.name.clone()))
        })
        .collect::<Result<_>>()?;
    Ok(WatchedDirs { dirs })
}

/// Starts watching the folders; events go to `sender`.
fn start_watcher(
    watched: &WatchedDirs,
    root: &Path,
    sender: Sender<Event>,
) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let event = match result {
            Ok(events) => {
                let changes: Vec<&DebouncedEvent> =
                    events.iter().filter(|e| is_change(e.kind)).collect();
                let Some(first) = changes.iter().map(|event| event.time).min() else {
                    return;
                };
                let paths = changes.iter().flat_map(|event| event.paths.iter().cloned()).collect();
                Event::Changed { paths, at: first }
            }
            Err(errors) => Event::WatchFailed(
                errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
            ),
        };
        let _ = sender.send(event);
    })
    .context("cannot start watching files")?;
    for dir in watched.roots(&root.join("exercises")) {
        debouncer.watch(&dir, RecursiveMode::Recursive).with_context(|| {
            format!(
                "cannot watch {}; on Linux, raise fs.inotify.max_user_watches if it is low",
                dir.display()
            )
        })?;
    }
    Ok(debouncer)
}

/// Whether an event changes a file: a write, a creation, a rename or a removal, not
/// a read (cargo and editors open files all the time) or a change of metadata.
fn is_change(kind: EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// Reads the learner's commands, a line at a time. On a terminal, its end (Ctrl-D,
/// or the terminal closing) quits; a pipe or /dev/null that ends is only ignored.
fn read_commands(sender: Sender<Event>) {
    let terminal = std::io::stdin().is_terminal();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if sender.send(Event::Command(line)).is_err() {
                return;
            }
        }
        if terminal {
            let _ = sender.send(Event::Command("q".into()));
        }
    });
}

impl Session {
    fn run(&mut self, events: &Receiver<Event>) -> Result<ExitCode> {
        self.announce();
        self.check_and_move_on(&self.current.clone(), None);
        while let Ok(event) = events.recv() {
            match event {
                Event::Changed { paths, at } => {
                    let mut paths = paths;
                    // Saves that came while the last check ran: one check for all.
                    while let Ok(Event::Changed { paths: more, .. }) = events.try_recv() {
                        paths.extend(more);
                    }
                    let order = self.order.clone();
                    for name in self.watched.exercises_for(&paths, &order) {
                        self.check_and_move_on(name, Some(at));
                    }
                }
                Event::Command(line) => {
                    if self.command(line.trim()) {
                        break;
                    }
                }
                Event::WatchFailed(error) => self.screen.note(
                    format!("the file watcher reported: {error}"),
                    json!({"event": "watch_error", "message": error}),
                ),
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Tells what the session watches and where it starts.
    fn announce(&mut self) {
        let folders: Vec<String> = self
            .watched
            .dirs
            .iter()
            .map(|(dir, _)| dir.strip_prefix(&self.root).unwrap_or(dir).display().to_string())
            .collect();
        let current = self.current.clone();
        self.screen.started(&folders, &current);
    }

    /// Acts on a typed command; true to quit.
    fn command(&mut self, command: &str) -> bool {
        match command {
            "q" | "quit" | "exit" => return true,
            "" | "c" | "check" => {
                let current = self.current.clone();
                self.check_and_move_on(&current, None);
            }
            "h" | "hint" => self.show_hint(),
            "l" | "list" => {
                let progress = Progress::load(&self.paths.progress).unwrap_or_default();
                let untouched = list::untouched(&self.root, &self.paths, &self.course, &progress);
                let listing = list::listing(&self.course, &progress, &untouched);
                let text = list::render(&listing, state::now());
                self.screen.show(
                    &text,
                    json!({"event": "list", "done": progress.done_count(&self.course)}),
                );
            }
            other => self.screen.show(
                &format!("unknown command {other:?}: h hint · l list · c check again · q quit\n"),
                json!({"event": "unknown_command", "command": other}),
            ),
        }
        false
    }

    fn show_hint(&mut self) {
        let Some(exercise) = self.selection.iter().find(|e| e.name == self.current).cloned() else {
            return;
        };
        match hint::take_and_record(&self.paths.progress, &exercise, true) {
            Ok(hints) => {
                let event = json!({"event": "hint", "exercise": hints.name, "hints": hints.shown, "total": hints.total});
                self.screen.show(&hint::render(&hints, hint::AskedIn::Watch), event);
            }
            Err(error) => self.screen.show(
                &format!("{error:#}\n"),
                json!({"event": "error", "message": format!("{error:#}")}),
            ),
        }
    }

    /// Checks `name`; if it is the exercise being worked on and it passes, moves on
    /// to the next one not done and checks that too.
    fn check_and_move_on(&mut self, name: &str, changed_at: Option<Instant>) {
        let mut name = name.to_string();
        let mut changed_at = changed_at;
        loop {
            let verdict = self.check(&name, changed_at.take());
            let was_current = name == self.current;
            if verdict.passed() {
                self.passed.insert(name.clone());
            } else {
                self.passed.remove(&name);
            }
            if !verdict.passed() {
                self.current = name.clone();
            }
            let moved_to = if verdict.passed() && was_current { self.next_to_do() } else { None };
            let footer = self.footer();
            match &moved_to {
                Some(next) => self.screen.moving_on(
                    &verdict,
                    &footer,
                    &format!(
                        "✓ {name} passed; on to {next}: its task is in exercises/{next}/README.md"
                    ),
                    json!({"event": "moved_on", "from": name, "to": next}),
                ),
                None => self.screen.verdict(&verdict, &footer),
            }
            if verdict.passed() && was_current && moved_to.is_none() {
                self.screen.after(
                    "Every exercise you are watching passes. Well done! Keep editing, or q to quit.",
                    json!({"event": "all_done"}),
                );
            }
            match moved_to {
                Some(next) => {
                    self.current = next.clone();
                    name = next;
                }
                None => break,
            }
        }
    }

    /// The first watched exercise not done: neither recorded as passed nor passed in
    /// this session (a program standing in for an exercise is not recorded).
    fn next_to_do(&self) -> Option<String> {
        let progress = Progress::load(&self.paths.progress).unwrap_or_default();
        self.selection
            .iter()
            .find(|exercise| {
                progress.standing(&exercise.name) != state::Standing::Done
                    && !self.passed.contains(&exercise.name)
            })
            .map(|exercise| exercise.name.clone())
    }

    fn footer(&mut self) -> Footer {
        let progress = Progress::load(&self.paths.progress).unwrap_or_default();
        let dir = self
            .watched
            .dirs
            .iter()
            .find(|(_, name)| *name == self.current)
            .map(|(dir, _)| dir.strip_prefix(&self.root).unwrap_or(dir).display().to_string())
            .unwrap_or_default();
        Footer {
            done: (progress.done_count(&self.course), self.course.exercises.len()),
            current: (self.current.clone(), dir),
            server: self.server_words(),
        }
    }

    /// Builds and checks one exercise.
    fn check(&mut self, name: &str, changed_at: Option<Instant>) -> Verdict {
        let seed = self.options.seed.unwrap_or_else(plan::random_seed);
        let plan = self.options.plan.only(name, seed).expect("a watched exercise");
        self.screen.working(&format!("building {name}…"));
        let build_started = Instant::now();
        let build = compile::build(
            &self.root,
            &plan.packages_to_build(),
            false,
            &|_| {},
            &compile::Stopper::default(),
        );
        let build_time = build_started.elapsed();
        let verdict = |outcome, check: Duration| Verdict {
            exercise: name.to_string(),
            outcome,
            build: build_time,
            check,
            since_change: changed_at.map(|at| at.elapsed()),
            seed,
        };
        let build = match build {
            Ok(build) => build,
            Err(error) => {
                return verdict(Outcome::BuildFailed(format!("{error:#}")), Duration::ZERO)
            }
        };
        self.screen.working(&format!("checking {name}…"));
        let check_started = Instant::now();
        let mut result = self.check_once(&build, &plan);
        if result.as_ref().is_ok_and(|r| r.status == Status::Error) && !self.server_answers() {
            self.restart_server("it stopped answering during the check");
            result = self.check_once(&build, &plan);
        }
        let check_time = check_started.elapsed();
        match result {
            Ok(result) => {
                if plan.is_learners_own(name) {
                    if let Err(error) =
                        state::record(&self.paths.progress, std::slice::from_ref(&result))
                    {
                        self.screen.note(
                            format!("{error:#}"),
                            json!({"event": "error", "message": format!("{error:#}")}),
                        );
                    }
                }
                verdict(Outcome::Checked(result), check_time)
            }
            Err(error) => verdict(Outcome::NoServer(format!("{error:#}")), check_time),
        }
    }

    /// One check of `plan` on the session's server, started again first if it
    /// stopped answering.
    fn check_once(&mut self, build: &compile::Build, plan: &Plan) -> Result<grade::ExerciseResult> {
        if !self.server_answers() {
            let reason = match &self.server {
                ServerSlot::Ready(_) => "it stopped answering",
                _ => "none was running",
            };
            self.restart_server(reason);
        }
        let ServerSlot::Ready(server) = &self.server else {
            let ServerSlot::Missing(error) = &self.server else {
                unreachable!("the slot was settled")
            };
            anyhow::bail!("{error}");
        };
        Ok(grade::check_all(server, build, plan, &|_| {}).remove(0))
    }

    /// Waits for a server being started, then asks the server for `SELECT 1`.
    fn server_answers(&mut self) -> bool {
        if let ServerSlot::Starting(_) = &self.server {
            let ServerSlot::Starting(handle) =
                std::mem::replace(&mut self.server, ServerSlot::Missing(String::new()))
            else {
                unreachable!("checked above")
            };
            self.screen.working("waiting for the server…");
            self.server = match handle.join() {
                Ok(Ok(server)) => {
                    let event = json!({"event": "server", "backend": server.backend, "version": server.version});
                    self.screen.note_quietly(event);
                    ServerSlot::Ready(server)
                }
                Ok(Err(error)) => ServerSlot::Missing(format!("{error:#}")),
                Err(_) => ServerSlot::Missing("the server's start panicked".into()),
            };
        }
        match &self.server {
            ServerSlot::Ready(server) => {
                server.admin_conn().and_then(|mut conn| Ok(conn.query_drop("SELECT 1")?)).is_ok()
            }
            _ => false,
        }
    }

    /// Replaces the session's server with a new one (the persistent one if it is up
    /// or can be started again), and says so.
    fn restart_server(&mut self, reason: &str) {
        let had_one = matches!(self.server, ServerSlot::Ready(_));
        // The old server goes first: a throwaway one is killed and its folder removed.
        self.server = ServerSlot::Missing(String::new());
        let started = Instant::now();
        self.screen.working("starting a server…");
        let restarted =
            persistent::server_for(&self.options.settings, &self.paths.server_dir, &Notices);
        self.server = match restarted {
            Ok(server) => {
                if had_one {
                    let words = format!(
                        "The server had stopped ({reason}); started a new {} server in {:.1} s.",
                        server.backend,
                        started.elapsed().as_secs_f64()
                    );
                    let event = json!({"event": "server_restarted", "backend": server.backend, "reason": reason});
                    self.screen.note(words.yellow().bold().to_string(), event);
                }
                ServerSlot::Ready(server)
            }
            Err(error) => {
                let message = format!("{error:#}");
                self.screen.note(
                    format!("cannot start a server: {message}; the next save tries again"),
                    json!({"event": "server_failed", "message": message}),
                );
                ServerSlot::Missing(message)
            }
        };
    }

    /// "local 10.11.6-MariaDB (persistent)".
    fn server_words(&mut self) -> String {
        self.server_answers();
        match &self.server {
            ServerSlot::Ready(server) => {
                let persistent = Record::load(&self.paths.server_dir)
                    .ok()
                    .flatten()
                    .is_some_and(|record| record.endpoint() == server.admin);
                let kind = if persistent { " (persistent)" } else { "" };
                format!("{} {}{kind}", server.backend, server.version)
            }
            _ => "no".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify_debouncer_full::notify::event::{AccessKind, CreateKind, DataChange, MetadataKind};

    #[test]
    fn only_writes_creations_renames_and_removals_count() {
        assert!(is_change(EventKind::Modify(ModifyKind::Data(DataChange::Content))));
        assert!(is_change(EventKind::Create(CreateKind::File)));
        assert!(!is_change(EventKind::Access(AccessKind::Read)), "cargo reads sources");
        assert!(!is_change(EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))));
    }
}
