//! `cargo bench -p grader --bench isolation`: what `--sandbox` costs, printed as a
//! table:
//! - one run of `/bin/true`, directly and isolated (as root: another user; and with
//!   user namespaces): medians over many runs, and what isolation adds;
//! - the whole course's checks (every solution, on a throwaway local server, programs
//!   built) without and with `--sandbox`: medians of a few samples.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use grader::compile::{self, Stopper};
use grader::course::Course;
use grader::grade;
use grader::isolate::{Isolation, MODE_ENV};
use grader::plan::{Plan, Request};
use grader::runner::{self, Limits, Place, Program};
use grader::server::{BackendChoice, Notices, Server, ServerSettings};

/// Runs of `/bin/true` per way.
const RUNS: usize = 40;
/// Samples of the whole course's checks.
const SAMPLES: usize = 3;

fn main() {
    let supervisor = PathBuf::from(env!("CARGO_BIN_EXE_grader"));
    let limits = Limits { timeout: Duration::from_secs(10), output_cap: 1024 };
    let program = Program::binary("/bin/true");
    let direct = median(RUNS, || {
        runner::run(&program, &[], &[], limits).expect("/bin/true runs");
    });
    println!("| one run of /bin/true | median | added |");
    println!("|---|---:|---:|");
    println!("| directly | {} | |", ms(direct));
    let mut ways = vec![("isolated, user namespaces", Some("userns"))];
    if nix::unistd::geteuid().is_root() {
        ways.insert(0, ("isolated, as another user", None));
    }
    for (name, mode) in ways {
        match mode {
            Some(mode) => std::env::set_var(MODE_ENV, mode),
            None => std::env::remove_var(MODE_ENV),
        }
        let isolation = Isolation::with_supervisor(supervisor.clone(), Vec::new())
            .expect("programs can be isolated here");
        let place = Place::Isolated { isolation: &isolation, reach: &[], share: &[] };
        let isolated = median(RUNS, || {
            let output = runner::run_in(place, &program, &[], &[], limits).expect("it runs");
            assert!(output.succeeded(), "{output:?}");
        });
        println!("| {name} | {} | {} |", ms(isolated), ms(isolated.saturating_sub(direct)));
    }
    std::env::remove_var(MODE_ENV);

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();
    let course = Course::load(&root).expect("the course file");
    let request = Request { solutions: true, seed: Some(1), ..Request::default() };
    let plan = Plan::new(&course, &request).expect("the plan of every solution");
    let build =
        compile::build(&root, &plan.packages_to_build(), false, &|_| {}, &Stopper::default())
            .expect("the solutions build");
    let settings = ServerSettings {
        backend: BackendChoice::Local,
        server_url: None,
        image: String::new(),
        image_chosen: false,
    };
    let server = Server::start(&settings, &Notices).expect("the server starts");
    let isolation = Isolation::with_supervisor(supervisor, Vec::new()).expect("isolation");
    let mut isolated_plan = plan.clone();
    isolated_plan.isolation = Some(isolation);
    println!();
    println!("| every solution's check (local) | median of {SAMPLES} | added |");
    println!("|---|---:|---:|");
    let mut plain = Duration::ZERO;
    for (name, plan) in [("without --sandbox", &plan), ("with --sandbox", &isolated_plan)] {
        let took = median(SAMPLES, || {
            let results = grade::check_all(&server, &build, plan, &|_| {});
            let failed: Vec<_> = results
                .iter()
                .filter(|r| r.status != grade::Status::Passed && r.status != grade::Status::Skipped)
                .map(|r| &r.name)
                .collect();
            assert!(failed.is_empty(), "{name}: {failed:?}");
        });
        if plain.is_zero() {
            plain = took;
            println!("| {name} | {} | |", secs(took));
        } else {
            let share = took.saturating_sub(plain).as_secs_f64() / plain.as_secs_f64() * 100.0;
            println!(
                "| {name} | {} | {} ({share:.0} %) |",
                secs(took),
                secs(took.saturating_sub(plain))
            );
        }
    }
}

fn median(times: usize, mut work: impl FnMut()) -> Duration {
    let mut took: Vec<Duration> = (0..times)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    took.sort();
    took[took.len() / 2]
}

fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}

fn secs(time: Duration) -> String {
    format!("{:.2} s", time.as_secs_f64())
}
