//! `cargo bench -p grader --bench wire`: what the wire recorder costs, printed as a
//! table, on a throwaway local server (and on docker when its daemon answers):
//! - a round trip (`SELECT 1` on an open connection) directly and through a
//!   recorder: medians, and the difference against the target of 1 ms;
//! - opening a connection (connect, log in, one query, quit), both ways;
//! - the whole course's checks (every solution, server up, programs built), which go
//!   through the recorder, against the round trips and connections they made: the
//!   recorder's share of the checks' time, estimated from the two medians above,
//!   against the target of 5 %.

use std::path::Path;
use std::time::{Duration, Instant};

use grader::compile::{self, Stopper};
use grader::course::Course;
use grader::grade;
use grader::plan::{Plan, Request};
use grader::server::{docker, BackendChoice, Endpoint, Notices, Server, ServerSettings};
use grader::wire::Recorder;
use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};

/// Round trips per sample set.
const ROUND_TRIPS: usize = 2000;
/// Connections opened per sample set.
const CONNECTIONS: usize = 100;
/// Samples of the whole course's checks.
const SAMPLES: usize = 3;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();
    let course = Course::load(&root).expect("the course file");
    let request = Request { solutions: true, seed: Some(1), ..Request::default() };
    let plan = Plan::new(&course, &request).expect("the plan of every solution");
    let build =
        compile::build(&root, &plan.packages_to_build(), false, &|_| {}, &Stopper::default())
            .expect("the solutions build");

    let mut backends = vec![settings(BackendChoice::Local, "")];
    if docker::daemon_answers() {
        let image =
            std::env::var(docker::IMAGE_ENV).unwrap_or_else(|_| docker::OFFLINE_IMAGE.into());
        backends.push(settings(BackendChoice::Docker, &image));
    }
    println!("| backend | round trip, direct | through the recorder | added (target ≤ 1 ms) | connection, direct | through the recorder | course checks | round trips, connections | recorder's share (target ≤ 5 %) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for settings in backends {
        let server = Server::start(&settings, &Notices).expect("the server starts");
        let admin = &server.admin;
        let recorder = Recorder::start(&admin.host, admin.port, None).expect("the recorder starts");
        let through = Endpoint { host: "127.0.0.1".into(), port: recorder.port(), ..admin.clone() };

        let direct_trip = round_trip(admin);
        let recorded_trip = round_trip(&through);
        let direct_open = connection(admin);
        let recorded_open = connection(&through);
        drop(recorder);

        let mut checks = Vec::new();
        let (mut trips, mut opened) = (0usize, 0usize);
        for _ in 0..SAMPLES {
            let started = Instant::now();
            let results = grade::check_all(&server, &build, &plan, &|_| {});
            checks.push(started.elapsed());
            assert!(
                results.iter().all(|r| r.status == grade::Status::Passed),
                "every solution passes"
            );
            let recordings = results.iter().flat_map(|r| r.wire.iter().map(|run| &run.recording));
            (trips, opened) = recordings.fold((0, 0), |(t, o), recording| {
                (t + recording.commands().count(), o + recording.opened())
            });
        }
        let checks = median(checks);
        let added_trip = recorded_trip.saturating_sub(direct_trip);
        let added_open = recorded_open.saturating_sub(direct_open);
        let cost = added_trip * u32::try_from(trips).unwrap_or(u32::MAX)
            + added_open * u32::try_from(opened).unwrap_or(u32::MAX);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {trips}, {opened} | {:.1} % |",
            server.backend,
            micros(direct_trip),
            micros(recorded_trip),
            micros(added_trip),
            micros(direct_open),
            micros(recorded_open),
            format_args!("{:.2} s", checks.as_secs_f64()),
            100.0 * cost.as_secs_f64() / checks.as_secs_f64(),
        );
    }
}

fn settings(backend: BackendChoice, image: &str) -> ServerSettings {
    ServerSettings { backend, server_url: None, image: image.to_string(), image_chosen: true }
}

/// The median time of one `SELECT 1` on an open connection.
fn round_trip(endpoint: &Endpoint) -> Duration {
    let mut conn = Conn::new(endpoint.opts(None)).expect("a connection");
    let samples = (0..ROUND_TRIPS)
        .map(|_| {
            let started = Instant::now();
            let one: Option<u8> = conn.query_first("SELECT 1").expect("SELECT 1");
            assert_eq!(one, Some(1));
            started.elapsed()
        })
        .collect();
    median(samples)
}

/// The median time to connect, log in, ask one thing and quit.
fn connection(endpoint: &Endpoint) -> Duration {
    let samples = (0..CONNECTIONS)
        .map(|_| {
            let started = Instant::now();
            let opts = OptsBuilder::from_opts(endpoint.opts(None));
            let mut conn = Conn::new(opts).expect("a connection");
            let _: Option<u8> = conn.query_first("SELECT 1").expect("SELECT 1");
            drop(conn);
            started.elapsed()
        })
        .collect();
    median(samples)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(duration: Duration) -> String {
    format!("{} µs", duration.as_micros())
}
