//! Leaves nothing behind. Servers, containers and learners' processes clean up in
//! their `Drop` on a normal exit, a failed check or a panic; for Ctrl-C and SIGTERM,
//! which skip `Drop`, each of them registers a cleanup task here, and the handler
//! installed by [`install_handler`] runs every task before the grader exits.
//!
//! Once interrupted, a task registered later runs at once (the grader is not to start
//! anything new), and [`finish`] keeps the main thread from ending the process while
//! the handler is still cleaning up.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

use anyhow::{Context as _, Result};

type Task = Box<dyn FnOnce() + Send>;

/// The exit code of an interrupted grader.
pub const INTERRUPTED: u8 = 130;

/// Cleanup tasks waiting for an interruption.
struct Registry {
    state: Mutex<State>,
    /// Held while the handler cleans up, and by the main thread as it ends.
    exiting: Mutex<()>,
}

struct State {
    tasks: BTreeMap<u64, Task>,
    next_id: u64,
    interrupted: bool,
}

impl Registry {
    const fn new() -> Self {
        Registry {
            state: Mutex::new(State { tasks: BTreeMap::new(), next_id: 0, interrupted: false }),
            exiting: Mutex::new(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn register(&'static self, task: Task) -> CleanupGuard {
        let mut state = self.state();
        let id = state.next_id;
        state.next_id += 1;
        if state.interrupted {
            drop(state);
            task();
        } else {
            state.tasks.insert(id, task);
        }
        CleanupGuard { registry: self, id }
    }

    /// Marks the registry interrupted and runs every task, newest first (a learner's
    /// process before its server).
    fn interrupt(&self) {
        let pending = {
            let mut state = self.state();
            state.interrupted = true;
            std::mem::take(&mut state.tasks)
        };
        for (_, task) in pending.into_iter().rev() {
            task();
        }
    }
}

static REGISTRY: Registry = Registry::new();

/// A registered cleanup task; dropping the guard forgets the task without running it
/// (its owner has cleaned up by then).
#[must_use = "dropping the guard forgets the cleanup task at once"]
pub struct CleanupGuard {
    registry: &'static Registry,
    id: u64,
}

impl Drop for CleanupGuard {
    fn drop(&mut self) {
        self.registry.state().tasks.remove(&self.id);
    }
}

impl std::fmt::Debug for CleanupGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CleanupGuard").field(&self.id).finish()
    }
}

/// Registers `task` to run if the grader is interrupted while the guard lives (at
/// once if it already has been).
pub fn on_interrupt(task: impl FnOnce() + Send + 'static) -> CleanupGuard {
    REGISTRY.register(Box::new(task))
}

/// Installs the Ctrl-C / SIGTERM handler: run every task, then exit with
/// [`INTERRUPTED`].
pub fn install_handler() -> Result<()> {
    ctrlc::set_handler(|| {
        let _exiting = REGISTRY.exiting.lock().unwrap_or_else(PoisonError::into_inner);
        // Not eprintln!: after SIGHUP the terminal may be gone, and a panic here would
        // leave every later signal unhandled.
        let _ = writeln!(
            std::io::stderr(),
            "\ninterrupted: stopping the server and any running program…"
        );
        REGISTRY.interrupt();
        #[allow(
            clippy::exit,
            reason = "the signal handler ends the process once all is cleaned up"
        )]
        std::process::exit(i32::from(INTERRUPTED));
    })
    .context("cannot install the Ctrl-C handler")
}

/// The code the process should end with: `code`, or [`INTERRUPTED`] after an
/// interruption. Waits for the handler to finish cleaning up if it has started.
pub fn finish(code: ExitCode) -> ExitCode {
    let _exiting = REGISTRY.exiting.lock().unwrap_or_else(PoisonError::into_inner);
    if REGISTRY.state().interrupted {
        ExitCode::from(INTERRUPTED)
    } else {
        code
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn recorder() -> (Arc<Mutex<Vec<&'static str>>>, impl Fn(&'static str) -> Task) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let for_tasks = log.clone();
        let task = move |name: &'static str| {
            let log = for_tasks.clone();
            Box::new(move || log.lock().unwrap().push(name)) as Task
        };
        (log, task)
    }

    #[test]
    fn runs_live_tasks_newest_first_and_forgets_dropped_ones() {
        let registry: &'static Registry = Box::leak(Box::new(Registry::new()));
        let (log, task) = recorder();
        let _first = registry.register(task("first"));
        let _second = registry.register(task("second"));
        drop(registry.register(task("forgotten")));
        registry.interrupt();
        assert_eq!(*log.lock().unwrap(), ["second", "first"]);
        registry.interrupt();
        assert_eq!(log.lock().unwrap().len(), 2, "tasks run once");
    }

    #[test]
    fn after_an_interruption_new_tasks_run_at_once() {
        let registry: &'static Registry = Box::leak(Box::new(Registry::new()));
        let (log, task) = recorder();
        registry.interrupt();
        let _late = registry.register(task("late"));
        assert_eq!(*log.lock().unwrap(), ["late"]);
    }
}
