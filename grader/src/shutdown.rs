//! Leaves nothing behind. Servers, containers and learners' processes clean up in
//! their `Drop` on a normal exit, a failed check or a panic; for Ctrl-C and SIGTERM,
//! which skip `Drop`, each of them registers a cleanup task here, and the handler
//! installed by [`install_handler`] runs every task before the grader exits.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use anyhow::{Context as _, Result};

type Task = Box<dyn FnOnce() + Send>;

/// Cleanup tasks waiting for an interruption.
struct Registry {
    tasks: Mutex<BTreeMap<u64, Task>>,
    next_id: AtomicU64,
}

impl Registry {
    const fn new() -> Self {
        Registry {
            tasks: Mutex::new(BTreeMap::new()),
            next_id: AtomicU64::new(0),
        }
    }

    fn register(&'static self, task: Task) -> CleanupGuard {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, task);
        CleanupGuard { registry: self, id }
    }

    fn run_all(&self) {
        let pending =
            std::mem::take(&mut *self.tasks.lock().unwrap_or_else(PoisonError::into_inner));
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
        self.registry
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.id);
    }
}

impl std::fmt::Debug for CleanupGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CleanupGuard").field(&self.id).finish()
    }
}

/// Registers `task` to run if the grader is interrupted while the guard lives.
pub fn on_interrupt(task: impl FnOnce() + Send + 'static) -> CleanupGuard {
    REGISTRY.register(Box::new(task))
}

/// Installs the Ctrl-C / SIGTERM handler: run every task, newest first (a learner's
/// process before its server), then exit with 130.
pub fn install_handler() -> Result<()> {
    ctrlc::set_handler(|| {
        eprintln!("\ninterrupted: stopping the server and any running program…");
        REGISTRY.run_all();
        #[allow(
            clippy::exit,
            reason = "the signal handler ends the process once all is cleaned up"
        )]
        std::process::exit(130);
    })
    .context("cannot install the Ctrl-C handler")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn runs_live_tasks_newest_first_and_forgets_dropped_ones() {
        let registry: &'static Registry = Box::leak(Box::new(Registry::new()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let task = |name: &'static str| {
            let log = log.clone();
            Box::new(move || log.lock().unwrap().push(name)) as Task
        };
        let _first = registry.register(task("first"));
        let _second = registry.register(task("second"));
        drop(registry.register(task("forgotten")));
        registry.run_all();
        assert_eq!(*log.lock().unwrap(), ["second", "first"]);
        registry.run_all();
        assert_eq!(log.lock().unwrap().len(), 2, "tasks run once");
    }
}
