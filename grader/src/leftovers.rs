//! What graders may leave behind when they are killed (`kill -9`, a closed laptop):
//! throwaway local servers and their temporary folders, containers, and persistent
//! servers whose record is gone. Each is found by a mark the grader puts on it:
//!
//! - a throwaway local server's folder is `$TMPDIR/grader-mysql-<grader pid>-<random>`,
//!   and its process names that folder on its command line;
//! - a throwaway container carries the label `org.mysql-course.grader=<grader pid>`;
//! - the network namespaces of exercise 10's lab as root are named
//!   `grader-lab-<grader pid>-<random>-<host>` ([`crate::netns`]);
//! - a persistent server's data folder is `<server folder>/grader-mysql-persistent`
//!   and its container is labelled `org.mysql-course.grader=persistent` with
//!   `org.mysql-course.grader.state=<server folder>`; it is a leftover when the
//!   folder's record does not name it.
//!
//! A throwaway one is a leftover once its grader's process is gone. `grader doctor`
//! reports them and `grader doctor --fix` removes them.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{bail, Result};

use crate::netns;
use crate::process::{is_alive, kill_and_wait, processes, Process};
use crate::server::local::TEMP_PREFIX;
use crate::server::persistent::{self, Record, Runs, LOCAL_DIR, PERSISTENT_OWNER, STATE_LABEL};
use crate::server::{containers, docker};

/// A temporary folder of an old grader (without a process id in its name) counts as
/// a leftover only when nothing uses it and it is older than this.
const OLD_FOLDER_AGE: Duration = Duration::from_secs(3_600);

/// How to remove a leftover.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fix {
    /// Kill this process and its group.
    Kill(u32),
    /// Delete this network namespace (with its interfaces and firewall rules).
    DeleteNamespace(String),
    /// Remove this container.
    RemoveContainer(String),
    /// Remove this folder.
    RemoveDir(PathBuf),
    /// Stop the persistent server of this folder and remove its record.
    StopPersistent(PathBuf),
}

impl Fix {
    /// The shell command that does the same by hand.
    pub fn command(&self) -> String {
        match self {
            Fix::Kill(pid) => format!("kill -9 {pid}"),
            Fix::DeleteNamespace(name) => format!("ip netns del {name}"),
            Fix::RemoveContainer(name) => format!("docker rm -f {name}"),
            Fix::RemoveDir(dir) => format!("rm -r {}", dir.display()),
            Fix::StopPersistent(_) => "cargo grader server stop".into(),
        }
    }

    /// Does it.
    pub fn apply(&self) -> Result<()> {
        match self {
            Fix::Kill(pid) => kill_and_wait(*pid),
            Fix::DeleteNamespace(name) => netns::delete_one(name),
            Fix::RemoveContainer(name) => containers::remove(name).map(drop),
            Fix::RemoveDir(dir) => match fs::remove_dir_all(dir) {
                Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                    bail!("cannot remove {}: {error}", dir.display())
                }
                _ => Ok(()),
            },
            Fix::StopPersistent(dir) => persistent::stop(dir).map(drop),
        }
    }
}

/// Something a grader left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// What it is, in words.
    pub what: String,
    /// How to remove it.
    pub fix: Fix,
}

/// Every leftover on this machine, and the persistent server of `server_dir` if it
/// no longer answers. Containers are looked for when `docker` (its daemon answers).
pub fn find(server_dir: &Path, docker: bool) -> Vec<Leftover> {
    let processes = processes();
    let mut found = throwaway_servers(&processes);
    found.extend(throwaway_folders(&processes));
    found.extend(persistent_processes(&processes));
    found.extend(persistent_pieces(server_dir, &processes));
    found.extend(lab_namespaces());
    if docker {
        found.extend(containers_left());
    }
    found.sort_by(|a, b| a.fix.cmp(&b.fix));
    found.dedup_by(|a, b| a.fix == b.fix);
    found
}

/// Network namespaces of a lab whose grader is gone.
fn lab_namespaces() -> Vec<Leftover> {
    netns::lab_namespaces()
        .into_iter()
        .filter(|(_, owner)| !is_alive(*owner))
        .map(|(name, owner)| Leftover {
            what: format!("a network namespace of exercise 10's lab, {name}, of a grader that is gone (process {owner})"),
            fix: Fix::DeleteNamespace(name),
        })
        .collect()
}

/// The throwaway folder an argument names, if any: `/tmp/grader-mysql-12-x` for
/// `--datadir=/tmp/grader-mysql-12-x/data`.
fn throwaway_folder(arg: &str) -> Option<PathBuf> {
    let value = arg.split_once('=').map_or(arg, |(_, value)| value);
    let path = Path::new(value);
    path.ancestors()
        .find(|dir| {
            dir.file_name().and_then(|name| name.to_str()).is_some_and(|name| {
                name.starts_with(TEMP_PREFIX) && name != LOCAL_DIR && owner_of(name).is_some()
            })
        })
        .map(Path::to_path_buf)
}

/// The grader's process id in a throwaway folder's name `grader-mysql-<pid>-<random>`.
fn owner_of(folder_name: &str) -> Option<u32> {
    let rest = folder_name.strip_prefix(TEMP_PREFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty()).then_some(())?;
    pid.parse().ok()
}

fn throwaway_servers(processes: &[Process]) -> Vec<Leftover> {
    processes
        .iter()
        .filter_map(|process| {
            let folder = process.args.iter().find_map(|arg| throwaway_folder(arg))?;
            let owner = owner_of(&folder.file_name()?.to_string_lossy())?;
            (!is_alive(owner)).then(|| Leftover {
                what: format!(
                    "a throwaway local server (process {}) of a grader that is gone (process {owner}), data in {}",
                    process.pid,
                    folder.display()
                ),
                fix: Fix::Kill(process.pid),
            })
        })
        .collect()
}

fn throwaway_folders(processes: &[Process]) -> Vec<Leftover> {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(TEMP_PREFIX) || !entry.path().is_dir() {
                return None;
            }
            let path = entry.path();
            let left = match owner_of(&name) {
                Some(owner) => !is_alive(owner),
                None => {
                    let unused = !processes
                        .iter()
                        .any(|p| p.args.iter().any(|arg| arg.contains(&*path.to_string_lossy())));
                    unused && older_than(&path, OLD_FOLDER_AGE)
                }
            };
            left.then(|| Leftover {
                what: format!("the temporary folder {} of a throwaway server", path.display()),
                fix: Fix::RemoveDir(path),
            })
        })
        .collect()
}

fn older_than(path: &Path, age: Duration) -> bool {
    fs::metadata(path)
        .and_then(|meta| meta.modified())
        .is_ok_and(|modified| SystemTime::now().duration_since(modified).unwrap_or_default() > age)
}

/// The server folder a persistent server's argument names: the parent of its
/// `grader-mysql-persistent` data folder.
fn persistent_folder(arg: &str) -> Option<PathBuf> {
    let value = arg.split_once('=').map_or(arg, |(_, value)| value);
    Path::new(value)
        .ancestors()
        .find(|dir| dir.file_name().is_some_and(|name| name == LOCAL_DIR))
        .and_then(Path::parent)
        .map(Path::to_path_buf)
}

fn persistent_processes(processes: &[Process]) -> Vec<Leftover> {
    processes
        .iter()
        .filter_map(|process| {
            let dir = process.args.iter().find_map(|arg| persistent_folder(arg))?;
            if persistent::busy(&dir) {
                return None;
            }
            let record = Record::load(&dir).ok().flatten();
            let recorded = record.is_some_and(
                |record| matches!(record.runs, Runs::Local { pid, .. } if pid == process.pid),
            );
            (!recorded).then(|| Leftover {
                what: format!(
                    "a persistent local server (process {}) that no record names, data in {}",
                    process.pid,
                    dir.join(LOCAL_DIR).display()
                ),
                fix: Fix::Kill(process.pid),
            })
        })
        .collect()
}

/// The persistent server of `dir`: a record of a server that no longer answers, or
/// a data folder without a record.
fn persistent_pieces(dir: &Path, processes: &[Process]) -> Vec<Leftover> {
    if persistent::busy(dir) {
        return Vec::new();
    }
    match Record::load(dir) {
        Ok(Some(record)) if record.answers() => Vec::new(),
        Ok(Some(record)) => vec![Leftover {
            what: format!(
                "the persistent {} server recorded in {} does not answer at {}:{}",
                record.kind().backend(),
                dir.join(persistent::RECORD_FILE).display(),
                record.host,
                record.port
            ),
            fix: Fix::StopPersistent(dir.to_path_buf()),
        }],
        Err(error) => vec![Leftover {
            what: format!("{error:#}"),
            fix: Fix::StopPersistent(dir.to_path_buf()),
        }],
        Ok(None) => {
            let data = dir.join(LOCAL_DIR);
            let used = processes
                .iter()
                .any(|p| p.args.iter().any(|arg| persistent_folder(arg).is_some_and(|d| d == dir)));
            (data.exists() && !used)
                .then(|| Leftover {
                    what: format!(
                        "the data folder {} of a persistent server that is gone",
                        data.display()
                    ),
                    fix: Fix::RemoveDir(data),
                })
                .into_iter()
                .collect()
        }
    }
}

fn containers_left() -> Vec<Leftover> {
    let Ok(labelled) = containers::labelled() else {
        return Vec::new();
    };
    labelled
        .into_iter()
        .filter_map(|container| {
            let what = if container.owner == PERSISTENT_OWNER {
                let dir = PathBuf::from(container.labels.get(STATE_LABEL)?);
                if persistent::busy(&dir) {
                    return None;
                }
                let record = Record::load(&dir).ok().flatten();
                if record.is_some_and(|record| {
                    matches!(&record.runs, Runs::Docker { container: name, .. } if *name == container.name)
                })
                {
                    return None;
                }
                format!(
                    "the persistent container {} that no record names (it was started for {})",
                    container.name,
                    dir.display()
                )
            } else {
                let owner: u32 = container.owner.parse().ok()?;
                if is_alive(owner) {
                    return None;
                }
                format!(
                    "the container {} of a grader that is gone (process {owner}, label {}={owner})",
                    container.name,
                    docker::LABEL
                )
            };
            Some(Leftover { what, fix: Fix::RemoveContainer(container.name) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_owner_from_a_throwaway_folder() {
        assert_eq!(owner_of("grader-mysql-1234-Ab3dEf"), Some(1234));
        assert_eq!(owner_of("grader-mysql-Ab3dEf"), None);
        assert_eq!(owner_of("grader-mysql-persistent"), None);
        assert_eq!(
            throwaway_folder("--datadir=/tmp/grader-mysql-77-xyz/data"),
            Some(PathBuf::from("/tmp/grader-mysql-77-xyz"))
        );
        assert_eq!(throwaway_folder("--port=3306"), None);
    }

    #[test]
    fn finds_the_server_folder_of_a_persistent_server() {
        assert_eq!(
            persistent_folder("--datadir=/w/target/grader/server/grader-mysql-persistent/data"),
            Some(PathBuf::from("/w/target/grader/server"))
        );
        assert_eq!(persistent_folder("--datadir=/tmp/grader-mysql-5-x/data"), None);
    }

    #[test]
    fn fixes_say_their_command() {
        assert_eq!(Fix::Kill(5).command(), "kill -9 5");
        assert_eq!(Fix::RemoveContainer("c".into()).command(), "docker rm -f c");
        assert!(Fix::Kill(1) < Fix::RemoveDir("/x".into()), "processes go before their folders");
    }
}
