//! What one run of the grader checks: the exercises picked from the course, the
//! package that stands for each, the seed of the checks' data and the time limit.
//! `check` and `watch` make it the same way, from the same options.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{bail, Result};

use crate::course::{Course, Exercise, Track};

/// Seeds are drawn below this, so that a seed is short enough to type again.
const SEED_RANGE: u64 = 1_000_000;

/// What the grader will check: which exercises, which package stands for each, and
/// the settings every check shares.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The exercises, in course order, each with the package to build and run for it.
    pub items: Vec<(Exercise, String)>,
    /// The package of every exercise of the course, on the same track: what is built
    /// whichever exercises are checked (see [`Plan::packages_to_build`]).
    course_packages: Vec<String>,
    /// The seed every check draws its random data from.
    pub seed: u64,
    /// A time limit for every run, instead of each exercise's own.
    pub timeout: Option<Duration>,
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
}

impl Plan {
    /// The plan `request` asks for in `course`. An unknown exercise, or a stand-in
    /// that is not `EXERCISE=PACKAGE`, is an error that says what is valid.
    pub fn new(course: &Course, request: &Request<'_>) -> Result<Plan> {
        let stand_ins = parse_stand_ins(request.stand_ins, course)?;
        let track = if request.solutions { Track::Solutions } else { Track::Exercises };
        let package_of = |exercise: &Exercise| {
            stand_ins.get(&exercise.name).cloned().unwrap_or_else(|| exercise.package(track))
        };
        let items = course
            .select(request.exercises)?
            .into_iter()
            .map(|exercise| {
                let package = package_of(&exercise);
                (exercise, package)
            })
            .collect();
        Ok(Plan {
            items,
            course_packages: course.exercises.iter().map(package_of).collect(),
            seed: request.seed.unwrap_or_else(random_seed),
            timeout: request.timeout.map(Duration::from_secs),
        })
    }

    /// The same plan for the one exercise `name`, with `seed`.
    pub fn only(&self, name: &str, seed: u64) -> Option<Plan> {
        let item = self.items.iter().find(|(exercise, _)| exercise.name == name)?;
        Some(Plan {
            items: vec![item.clone()],
            course_packages: self.course_packages.clone(),
            seed,
            timeout: self.timeout,
        })
    }

    /// The same plan for the exercises `keep` accepts.
    pub fn subset(&self, keep: impl Fn(&Exercise) -> bool) -> Plan {
        Plan {
            items: self.items.iter().filter(|(exercise, _)| keep(exercise)).cloned().collect(),
            ..self.clone()
        }
    }

    /// The package that stands for the exercise `name`.
    pub fn package_of(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|(exercise, _)| exercise.name == name)
            .map(|(_, package)| package.as_str())
    }

    /// The packages checked, in course order.
    pub fn packages(&self) -> Vec<String> {
        self.items.iter().map(|(_, package)| package.clone()).collect()
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
        self.items.iter().any(|(exercise, package)| {
            exercise.name == name && *package == exercise.package(Track::Exercises)
        })
    }
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
}
