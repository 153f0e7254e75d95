//! The external backend, as the lab chapters use it: a full `check --server` ends
//! with exit code 0 when every exercise it can check passes, and reports exercise 10,
//! which needs a lab of its own, as skipped with its reason; `--backend local` typed
//! on the command line wins over a server named in `GRADER_SERVER`.

use snapbox::str;

use crate::support::{assert_text, check_with_env, said, Backend};

/// A throwaway local server, reached as an external one by its URL.
fn server() -> (grader::server::local::LocalServer, String) {
    let server = grader::server::local::LocalServer::start().expect("a local server starts");
    let admin = &server.admin;
    let url = format!("mysql://{}:{}@{}:{}", admin.user, admin.password, admin.host, admin.port);
    (server, url)
}

#[test]
fn a_full_run_on_an_external_server_skips_exercise_10_and_exits_0() {
    let (_server, url) = server();
    let run =
        crate::support::grader(&["check", "--format", "json", "--solutions", "--server", &url]);
    run.assert_code(0);
    assert_eq!(run.json()["backend"], "external");
    assert_text(
        &said(&run.exercise("10_remote_access")),
        str![[r#"
skipped: not checked on this backend: exercise 10 builds a lab of its own (a server started with your mysqld.cnf, a client host and an intruder), which a server you name cannot be
→ check this exercise with `cargo grader check 10 --backend docker` (or --backend local)

"#]],
    );
    let statuses: Vec<String> = run.json()["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["name"] != "10_remote_access")
        .map(|entry| format!("{} {}", entry["name"], entry["status"]))
        .filter(|line| !line.ends_with("\"passed\""))
        .collect();
    assert!(statuses.is_empty(), "every other exercise passes: {statuses:?}");
}

#[test]
fn an_explicit_backend_wins_over_grader_server_in_the_environment() {
    let run = check_with_env(
        &Backend::Local,
        &["01", "--solutions"],
        &[("GRADER_SERVER", "mysql://grader:pw@192.0.2.1:3306")],
    );
    run.assert_code(0);
    assert_eq!(run.json()["backend"], "local");
}
