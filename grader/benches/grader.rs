//! `cargo bench -p grader`: how fast the grader gets a server and checks the course,
//! per backend, printed as a table.
//!
//! For each backend (local always, and again with Oracle MySQL's `mysqld` when
//! `GRADER_TEST_MYSQLD` names one; docker when its daemon answers, with `GRADER_IMAGE`
//! or else the offline image if present, else `mysql:8.4`, and then the offline image's
//! mysql flavour if present):
//! - server start: from asking for a server to its first successful query (median);
//! - for docker, the same for a plain `docker run` of the image, polled the same way;
//! - checking the whole track (every solution) with the server already up and the
//!   binaries built (median), against the target of 5 s;
//! - each exercise's check on its own (median), and the time spent in its program;
//! - for exercises 01 and 02, whose programs take no input, the same programs run
//!   directly, and the grader's overhead: their checks' time minus the direct runs';
//! - Oracle MySQL's time for all the checks against MariaDB's, on each backend that has
//!   both (target: at most 1.5×).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use grader::compile::{self, Stopper};
use grader::course::Course;
use grader::grade::{self, Status};
use grader::plan::{Plan, Request};
use grader::sandbox::{Hosts, Sandbox};
use grader::server::{docker, BackendChoice, Endpoint, Notices, Server, ServerSettings};

/// Samples per measurement; the median is reported.
const SAMPLES: usize = 5;

/// The whole track must check within this, with the server up and the programs built.
const TRACK_TARGET: Duration = Duration::from_secs(5);

/// Exercises whose programs can be run directly, without input, to measure overhead.
const DIRECT: [&str; 2] = ["01_connect", "02_show_databases"];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();
    let course = Course::load(&root).expect("the course file");
    // As `check` does: local servers copy a data folder initialised once per program.
    grader::server::template::keep_in(&grader::state::StatePaths::for_workspace(&root).templates);
    let request = Request { solutions: true, seed: Some(1), ..Request::default() };
    let plan = Plan::new(&course, &request).expect("the plan of every solution");
    let build =
        compile::build(&root, &plan.packages_to_build(), false, &|_| {}, &Stopper::default())
            .expect("the solutions build");

    let mut rows = Vec::new();
    rows.push(measure(&settings(BackendChoice::Local, ""), &build, &plan, &root, None));
    if let Some(mysqld) = std::env::var_os("GRADER_TEST_MYSQLD") {
        // Oracle MySQL's mysqld (scripts/mysqld-from-image.sh), as the local backend's.
        std::env::set_var("GRADER_MYSQLD", mysqld);
        rows.push(measure(&settings(BackendChoice::Local, ""), &build, &plan, &root, None));
        std::env::remove_var("GRADER_MYSQLD");
    }
    if docker::daemon_answers() {
        let mut images = vec![std::env::var(docker::IMAGE_ENV).unwrap_or_else(|_| default_image())];
        let mysql = std::env::var("GRADER_MYSQL_IMAGE").unwrap_or_else(|_| MYSQL_IMAGE.into());
        if image_here(&mysql) && !images.contains(&mysql) {
            images.push(mysql);
        }
        for image in images {
            let baseline =
                median((0..SAMPLES).map(|_| docker_run_to_first_query(&image)).collect());
            rows.push(measure(
                &settings(BackendChoice::Docker, &image),
                &build,
                &plan,
                &root,
                Some(baseline),
            ));
        }
    } else {
        eprintln!("docker: the daemon does not answer; only the local backend is measured");
    }
    print_tables(&rows, &plan);
    print_server_ratios(&rows);
}

/// The mysql flavour of the offline image (`scripts/build-offline-image.sh --flavour mysql`).
const MYSQL_IMAGE: &str = "mysql-course/server:mysql";
/// Oracle MySQL may take this much longer than MariaDB for all the checks.
const MYSQL_RATIO_TARGET: f64 = 1.5;

/// For each backend measured on both servers: Oracle MySQL's time for all the checks
/// against MariaDB's, with its target.
fn print_server_ratios(rows: &[Row]) {
    let mut printed = false;
    for backend in ["local", "docker"] {
        let on = |mariadb: bool| {
            rows.iter()
                .find(|row| row.backend == backend && row.version.contains("MariaDB") == mariadb)
        };
        let (Some(mariadb), Some(mysql)) = (on(true), on(false)) else {
            continue;
        };
        if !printed {
            println!(
                "
Oracle MySQL against MariaDB, all checks with the server up:
"
            );
            println!("| backend | MariaDB | MySQL | ratio | target |");
            println!("|---|---|---|---|---|");
            printed = true;
        }
        let ratio = mysql.track.as_secs_f64() / mariadb.track.as_secs_f64();
        let verdict = if ratio <= MYSQL_RATIO_TARGET { "met" } else { "MISSED" };
        println!(
            "| {backend} | {} | {} | {ratio:.2}× | ≤ {MYSQL_RATIO_TARGET}×: {verdict} |",
            ms(mariadb.track),
            ms(mysql.track)
        );
    }
}

/// Whether the daemon has `image`.
fn image_here(image: &str) -> bool {
    Command::new("docker")
        .args(["image", "inspect", image])
        .output()
        .is_ok_and(|output| output.status.success())
}

struct Row {
    backend: String,
    version: String,
    start: Duration,
    docker_run: Option<Duration>,
    track: Duration,
    per_exercise: Vec<(String, Duration, Duration)>,
    first_two: Duration,
    direct: Duration,
}

fn settings(backend: BackendChoice, image: &str) -> ServerSettings {
    ServerSettings { backend, server_url: None, image: image.to_string(), image_chosen: true }
}

fn default_image() -> String {
    let offline = docker::OFFLINE_IMAGE;
    if image_here(offline) {
        offline.into()
    } else {
        grader::server::DEFAULT_IMAGE.into()
    }
}

fn measure(
    settings: &ServerSettings,
    build: &compile::Build,
    plan: &Plan,
    root: &Path,
    docker_run: Option<Duration>,
) -> Row {
    let start = median(
        (0..SAMPLES)
            .map(|_| Server::start(settings, &Notices).expect("the server starts").start_time)
            .collect(),
    );
    let server = Server::start(settings, &Notices).expect("the server starts");
    let track = median((0..SAMPLES).map(|_| check_timed(&server, build, plan).0).collect());
    let per_exercise = plan
        .items
        .iter()
        .map(|item| {
            let one = plan.only(&item.0.name, plan.seed).expect("an exercise of the plan");
            let mut in_program = Vec::new();
            let took = median(
                (0..SAMPLES)
                    .map(|_| {
                        let (took, results) = check_timed(&server, build, &one);
                        in_program.push(results[0].program_time);
                        took
                    })
                    .collect(),
            );
            (item.0.name.clone(), took, median(in_program))
        })
        .collect();
    let first_two = plan.subset(|exercise| DIRECT.contains(&exercise.name.as_str()));
    let first_two_time =
        median((0..SAMPLES).map(|_| check_timed(&server, build, &first_two).0).collect());
    let direct =
        median((0..SAMPLES).map(|_| run_directly(&server, build, &first_two, root)).collect());
    Row {
        backend: server.backend.to_string(),
        version: server.version.clone(),
        start,
        docker_run,
        track,
        per_exercise,
        first_two: first_two_time,
        direct,
    }
}

/// Checks `plan` once, asserting every solution passes; returns the time it took.
fn check_timed(
    server: &Server,
    build: &compile::Build,
    plan: &Plan,
) -> (Duration, Vec<grade::ExerciseResult>) {
    let started = Instant::now();
    let results = grade::check_all(server, build, plan, &|_| {});
    let elapsed = started.elapsed();
    for result in &results {
        assert_eq!(result.status, Status::Passed, "{result:?}");
    }
    (elapsed, results)
}

/// Runs each program of `plan` as its check does (01 twice: right and wrong password),
/// in sequence, straight from the shell's point of view; returns the total time.
fn run_directly(server: &Server, build: &compile::Build, plan: &Plan, root: &Path) -> Duration {
    // For any host: these programs connect from 127.0.0.1, not through the recorder.
    let sandbox =
        Sandbox::create_named(server, &format!("gr99_direct{}", std::process::id()), Hosts::Any)
            .expect("a sandbox");
    let url = sandbox.url();
    let wrong =
        sandbox.endpoint().with_account(&sandbox.user, "wrong-password").url(&sandbox.database);
    let mut total = Duration::ZERO;
    for (exercise, _) in &plan.items {
        let package = plan.package_of(&exercise.name).expect("the Rust track's solutions build");
        let binary: &PathBuf = &build.binaries[package];
        let urls: &[&str] = if exercise.name == "01_connect" { &[&url, &wrong] } else { &[&url] };
        for url in urls {
            let started = Instant::now();
            Command::new(binary)
                .current_dir(root)
                .env("DATABASE_URL", url)
                .output()
                .expect("the solution runs");
            total += started.elapsed();
        }
    }
    sandbox.remove().expect("the sandbox goes");
    total
}

/// `docker run` of `image` until a `SELECT 1` through the published port succeeds.
fn docker_run_to_first_query(image: &str) -> Duration {
    let password = "bench-password";
    let started = Instant::now();
    let output = Command::new("docker")
        .args(["run", "-d", "--rm", "-p", "127.0.0.1::3306", "-e"])
        .arg(format!("MYSQL_ROOT_PASSWORD={password}"))
        .arg(image)
        .output()
        .expect("docker runs");
    assert!(output.status.success(), "docker run: {}", String::from_utf8_lossy(&output.stderr));
    let id = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let port =
        Command::new("docker").args(["port", &id, "3306/tcp"]).output().expect("docker port");
    let port = String::from_utf8_lossy(&port.stdout);
    let port: u16 = port
        .lines()
        .next()
        .and_then(|line| line.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .expect("a published port");
    let endpoint = Endpoint {
        host: "127.0.0.1".into(),
        port,
        user: "root".into(),
        password: password.into(),
        source: None,
    };
    let opts = mysql::OptsBuilder::from_opts(endpoint.opts(None));
    while mysql::Conn::new(opts.clone())
        .and_then(|mut conn| mysql::prelude::Queryable::query_drop(&mut conn, "SELECT 1"))
        .is_err()
    {
        assert!(started.elapsed() < Duration::from_secs(120), "the container never answered");
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed();
    Command::new("docker").args(["rm", "-f", &id]).output().expect("docker rm");
    elapsed
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

fn print_tables(rows: &[Row], plan: &Plan) {
    let exercises = plan.items.len();
    println!("\nMedians of {SAMPLES} runs, with the server up and the programs built.\n");
    println!(
        "| backend | server | start to first query | `docker run` to first query | all {exercises} checks | target |"
    );
    println!("|---|---|---|---|---|---|");
    for row in rows {
        let baseline = row.docker_run.map_or("—".to_string(), |run| {
            format!("{} ({:.2}×)", ms(run), row.start.as_secs_f64() / run.as_secs_f64())
        });
        let verdict = if row.track <= TRACK_TARGET { "met" } else { "MISSED" };
        println!(
            "| {} | {} | {} | {} | {} | ≤ {} s: {verdict} |",
            row.backend,
            row.version,
            ms(row.start),
            baseline,
            ms(row.track),
            TRACK_TARGET.as_secs(),
        );
    }

    println!("\nEach check alone (time in the learner's program in brackets):\n");
    let header: Vec<&str> = rows.iter().map(|row| row.backend.as_str()).collect();
    println!("| exercise | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(rows.len()));
    for (index, (exercise, _)) in plan.items.iter().enumerate() {
        let cells: Vec<String> = rows
            .iter()
            .map(|row| {
                let (_, took, in_program) = &row.per_exercise[index];
                format!("{} ({})", ms(*took), ms(*in_program))
            })
            .collect();
        println!("| {} | {} |", exercise.name, cells.join(" | "));
    }

    println!("\nThe grader's overhead on {}:\n", DIRECT.join(" and "));
    println!("| backend | checks | programs run directly | overhead |");
    println!("|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} |",
            row.backend,
            ms(row.first_two),
            ms(row.direct),
            ms(row.first_two.saturating_sub(row.direct))
        );
    }
}
