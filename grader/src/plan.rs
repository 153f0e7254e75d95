//! What one run of the grader checks: the exercises picked from the course, what
//! runs for each (a package cargo builds, a Python track's program, or a learner's
//! `--cmd`), the seed of the checks' data and the time limit. `check` and `watch`
//! make it the same way, from the same options.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};

use crate::course::{Course, Exercise, Track};
use crate::isolate::Isolation;
use crate::python;
use crate::runner::Program;
use crate::state::StatePaths;

/// What runs for an exercise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A package of the workspace, which cargo builds.
    Package(String),
    /// A program that needs no build: a Python track's, or a `--cmd` command line.
    Program(Program),
}

/// Seeds are drawn below this, so that a seed is short enough to type again.
const SEED_RANGE: u64 = 1_000_000;

/// What the grader will check: which exercises, which package stands for each, and
/// the settings every check shares.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The exercises, in course order, each with what runs for it.
    pub items: Vec<(Exercise, Subject)>,
    /// The package of every exercise of the course, on the same track: what is built
    /// whichever exercises are checked (see [`Plan::packages_to_build`]).
    course_packages: Vec<String>,
    /// The exercises whose results are the learner's own work, and so go into the
    /// progress file.
    own: Vec<String>,
    /// Whether a `--cmd` command line runs in the exercise's place.
    pub command: bool,
    /// The seed every check draws its random data from.
    pub seed: u64,
    /// A time limit for every run, instead of each exercise's own.
    pub timeout: Option<Duration>,
    /// How programs run isolated (`--sandbox`), if they do.
    pub isolation: Option<Isolation>,
}

/// What to put in a plan, as the command line says it.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// Exercises by number, name or slug; every exercise if empty.
    pub exercises: &'a [String],
    /// Whose crates: the learner's or the reference solutions.
    pub solutions: bool,
    /// `EXERCISE=PACKAGE`: another workspace package in an exercise's place (the
    /// hidden `--program`, which the kit's own tests use).
    pub stand_ins: &'a [String],
    /// The seed to replay; a new one is drawn if none.
    pub seed: Option<u64>,
    /// A time limit for every run, in seconds.
    pub timeout: Option<u64>,
    /// `--cmd`: a command line to run in the one exercise's place, from `cwd`.
    pub command: Option<&'a str>,
    /// The workspace's root, where a Python track's programs run from.
    pub root: Option<&'a Path>,
    /// `--sandbox`: run programs isolated from the grader's files, processes and
    /// network.
    pub sandbox: bool,
}

impl Plan {
    /// The plan `request` asks for in `course`. An unknown exercise, or a stand-in
    /// that is not `EXERCISE=PACKAGE`, is an error that says what is valid.
    pub fn new(course: &Course, request: &Request<'_>) -> Result<Plan> {
        let stand_ins = parse_stand_ins(request.stand_ins, course)?;
        let track = if request.solutions { Track::Solutions } else { Track::Exercises };
        let selected = course.select(request.exercises)?;
        if let Some(line) = request.command {
            return Plan::for_command(line, selected, request);
        }
        let package_of = |exercise: &Exercise| {
            stand_ins.get(&exercise.name).cloned().unwrap_or_else(|| exercise.package(track))
        };
        let subject_of = |exercise: &Exercise| -> Result<Subject> {
            if exercise.is_python() && !stand_ins.contains_key(&exercise.name) {
                let root =
                    request.root.context("a Python track's programs need the course's root")?;
                Ok(Subject::Program(python::program(root, exercise, track)?))
            } else {
                Ok(Subject::Package(package_of(exercise)))
            }
        };
        let items = selected
            .into_iter()
            .map(|exercise| Ok((subject_of(&exercise)?, exercise)))
            .map(|item| item.map(|(subject, exercise)| (exercise, subject)))
            .collect::<Result<Vec<_>>>()?;
        let own = items
            .iter()
            .filter(|(exercise, _)| !request.solutions && !stand_ins.contains_key(&exercise.name))
            .map(|(exercise, _)| exercise.name.clone())
            .collect();
        let course_packages = course
            .exercises
            .iter()
            .filter(|exercise| !exercise.is_python() || stand_ins.contains_key(&exercise.name))
            .map(package_of)
            .collect();
        Ok(Plan {
            items,
            course_packages,
            own,
            command: false,
            seed: request.seed.unwrap_or_else(random_seed),
            timeout: request.timeout.map(Duration::from_secs),
            isolation: isolation(request)?,
        })
    }

    /// The plan for `--cmd`: the command line `line` runs, from the current folder,
    /// in the place of the one exercise in `selected`; nothing is built.
    fn for_command(line: &str, selected: Vec<Exercise>, request: &Request<'_>) -> Result<Plan> {
        if line.trim().is_empty() {
            bail!("--cmd is empty: give the command that runs your program, as in --cmd \"python3 my02.py\"");
        }
        if request.solutions || !request.stand_ins.is_empty() {
            bail!("--cmd runs your own program: it goes without --solutions and --program");
        }
        let [exercise] = &selected[..] else {
            let asked = match request.exercises.len() {
                0 => "no exercise was named".to_string(),
                _ => format!("{} exercises were named", selected.len()),
            };
            bail!(
                "--cmd runs one program in one exercise's place, and {asked}: name the exercise \
                 it answers, as in `grader check 02 --cmd \"python3 my02.py\"`"
            );
        };
        let here = std::env::current_dir().context("cannot read the current directory")?;
        Ok(Plan {
            items: vec![(exercise.clone(), Subject::Program(Program::command_line(line, here)))],
            course_packages: Vec::new(),
            own: vec![exercise.name.clone()],
            command: true,
            seed: request.seed.unwrap_or_else(random_seed),
            timeout: request.timeout.map(Duration::from_secs),
            isolation: isolation(request)?,
        })
    }

    /// The same plan for the one exercise `name`, with `seed`.
    pub fn only(&self, name: &str, seed: u64) -> Option<Plan> {
        let item = self.items.iter().find(|(exercise, _)| exercise.name == name)?;
        Some(Plan { items: vec![item.clone()], seed, ..self.clone() })
    }

    /// The same plan for the exercises `keep` accepts.
    pub fn subset(&self, keep: impl Fn(&Exercise) -> bool) -> Plan {
        Plan {
            items: self.items.iter().filter(|(exercise, _)| keep(exercise)).cloned().collect(),
            ..self.clone()
        }
    }

    /// The package that stands for the exercise `name`, if cargo builds it.
    pub fn package_of(&self, name: &str) -> Option<&str> {
        self.items.iter().find(|(exercise, _)| exercise.name == name).and_then(|(_, subject)| {
            match subject {
                Subject::Package(package) => Some(package.as_str()),
                Subject::Program(_) => None,
            }
        })
    }

    /// The packages checked, in course order.
    pub fn packages(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|(exercise, _)| self.package_of(&exercise.name))
            .map(String::from)
            .collect()
    }

    /// The packages to build: those of every exercise of the course, whichever are
    /// checked. Cargo unifies the features of shared dependencies over the packages
    /// it builds together, so building a different subset each time would compile
    /// `mysql`, `serde` and the rest again with other features; one set for every
    /// run compiles them once. (The packages not checked cost a look at their
    /// fingerprints once built; their compile errors are not reported.)
    pub fn packages_to_build(&self) -> Vec<String> {
        self.course_packages.clone()
    }

    /// Whether the result for `name` is the learner's own work, and so goes into the
    /// progress file: not a reference solution, not a stand-in.
    pub fn is_learners_own(&self, name: &str) -> bool {
        self.own.iter().any(|own| own == name)
    }
}

/// The isolation `--sandbox` asks for, hiding the grader's folders of the workspace
/// (refused, saying why, where programs cannot be isolated).
fn isolation(request: &Request<'_>) -> Result<Option<Isolation>> {
    if !request.sandbox {
        return Ok(None);
    }
    let root = request.root.context("--sandbox needs the course's root")?;
    Ok(Some(Isolation::new(StatePaths::for_workspace(root).private_folders(root))?))
}

/// A new seed for a run's random data.
pub fn random_seed() -> u64 {
    fastrand::u64(..SEED_RANGE)
}

/// Reads `EXERCISE=PACKAGE` options into the package for each exercise's name.
fn parse_stand_ins(specs: &[String], course: &Course) -> Result<HashMap<String, String>> {
    specs
        .iter()
        .map(|spec| {
            let Some((exercise, package)) = spec.split_once('=') else {
                bail!("--program {spec:?} is not EXERCISE=PACKAGE");
            };
            let [exercise] = &course.select(&[exercise.to_string()])?[..] else {
                bail!("--program {spec:?} names more than one exercise");
            };
            Ok((exercise.name.clone(), package.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        Course::parse(
            r#"
            [[exercise]]
            name = "01_connect"
            title = "Connect"
            hints = ["one"]

            [[exercise]]
            name = "02_show_databases"
            title = "Show"
            hints = ["one"]
            "#,
        )
        .unwrap()
    }

    #[test]
    fn picks_packages_by_track_and_stand_in() {
        let stand_ins = ["2=wrong02_x".to_string()];
        let request = Request { stand_ins: &stand_ins, seed: Some(7), ..Request::default() };
        let plan = Plan::new(&course(), &request).unwrap();
        assert_eq!(plan.packages(), ["ex01_connect", "wrong02_x"]);
        assert_eq!(plan.seed, 7);
        assert!(plan.is_learners_own("01_connect"));
        assert!(!plan.is_learners_own("02_show_databases"), "a stand-in is not recorded");
        let solutions = Request { solutions: true, ..Request::default() };
        let plan = Plan::new(&course(), &solutions).unwrap();
        assert_eq!(plan.package_of("01_connect"), Some("sol01_connect"));
        assert!(!plan.is_learners_own("01_connect"), "a solution is not recorded");
        let one = plan.only("02_show_databases", 9).unwrap();
        assert_eq!((one.packages(), one.seed), (vec!["sol02_show_databases".to_string()], 9));
        assert_eq!(one.packages_to_build(), ["sol01_connect", "sol02_show_databases"]);
    }

    #[test]
    fn every_exercise_is_built_whichever_are_checked() {
        let exercises = ["2".to_string()];
        let stand_ins = ["2=wrong02_x".to_string()];
        let request =
            Request { exercises: &exercises, stand_ins: &stand_ins, ..Request::default() };
        let plan = Plan::new(&course(), &request).unwrap();
        assert_eq!(plan.packages(), ["wrong02_x"]);
        assert_eq!(plan.packages_to_build(), ["ex01_connect", "wrong02_x"]);
    }

    #[test]
    fn a_malformed_stand_in_says_its_shape() {
        let stand_ins = ["02".to_string()];
        let request = Request { stand_ins: &stand_ins, ..Request::default() };
        let error = Plan::new(&course(), &request).unwrap_err().to_string();
        assert_eq!(error, "--program \"02\" is not EXERCISE=PACKAGE");
    }

    #[test]
    fn a_command_stands_for_one_exercise_and_builds_nothing() {
        let exercises = ["2".to_string()];
        let request = Request {
            exercises: &exercises,
            command: Some("python3 my02.py"),
            ..Request::default()
        };
        let plan = Plan::new(&course(), &request).unwrap();
        let here = std::env::current_dir().unwrap();
        let program = Program::command_line("python3 my02.py", here);
        assert_eq!(plan.items[0].1, Subject::Program(program));
        assert!(plan.packages_to_build().is_empty() && plan.command);
        assert!(plan.is_learners_own("02_show_databases"));
        let every = Request { command: Some("python3 my02.py"), ..Request::default() };
        let error = Plan::new(&course(), &every).unwrap_err().to_string();
        assert_eq!(
            error,
            "--cmd runs one program in one exercise's place, and no exercise was named: name the \
             exercise it answers, as in `grader check 02 --cmd \"python3 my02.py\"`"
        );
    }
}
