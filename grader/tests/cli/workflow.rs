//! The learner's workflow: progress and `list`, `hint`, `reset`, the persistent
//! server (`server start|status|stop`, reused by `check`, started again when it
//! died), `watch` (edit a file, read the verdict), `doctor` (what a killed grader
//! left behind) and shell completions.
//!
//! Every test points `GRADER_STATE_DIR` at a temporary folder of its own, so that
//! tests side by side never share a progress file or a persistent server, and never
//! touch the developer's.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use snapbox::str;
use tempfile::TempDir;

use crate::course_copy::CourseCopy;
use crate::support::{
    assert_text_with, containers_of, descendants, docker_available, docker_image, fixture_course,
    grader_command, is_alive, processes_matching, redactions, said, workspace_root, Run,
    THREE_EXERCISES,
};

/// How long a step that builds or starts something may take on a busy machine.
const PATIENCE: Duration = Duration::from_secs(180);

/// A temporary state folder for one test.
struct State {
    dir: TempDir,
}

impl State {
    fn new() -> State {
        State { dir: tempfile::Builder::new().prefix("grader-state-").tempdir().unwrap() }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The grader with `args`, this state folder, in `cwd` (the workspace if `None`).
    fn command(&self, args: &[&str], cwd: Option<&Path>) -> Command {
        let mut command = grader_command(args);
        command.env("GRADER_STATE_DIR", self.path()).env_remove("CARGO_TARGET_DIR");
        if let Some(cwd) = cwd {
            command.current_dir(cwd);
        }
        command
    }

    /// Runs the grader with `args` to the end.
    fn run(&self, args: &[&str]) -> Run {
        self.run_in(args, None, &[])
    }

    fn run_in(&self, args: &[&str], cwd: Option<&Path>, env: &[(&str, &str)]) -> Run {
        let child = self
            .command(args, cwd)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the grader runs");
        let pid = child.id();
        let output = child.wait_with_output().expect("the grader runs");
        Run {
            pid,
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn progress(&self) -> Value {
        let text = std::fs::read_to_string(self.path().join("progress.json")).unwrap_or_default();
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    fn write_progress(&self, progress: &Value) {
        std::fs::write(self.path().join("progress.json"), progress.to_string()).unwrap();
    }

    /// The usual redactions, and `[STATE]` for this state folder.
    fn redactions(&self) -> snapbox::Redactions {
        let mut redactions = redactions();
        redactions.insert("[STATE]", self.path().to_path_buf()).unwrap();
        redactions
    }
}

/// Stops the state folder's persistent server when the test ends, even on failure.
struct StopsServer<'s>(&'s State);

impl Drop for StopsServer<'_> {
    fn drop(&mut self) {
        let run = self.0.run(&["server", "stop"]);
        if run.code != 0 && !thread::panicking() {
            panic!("server stop failed: {run:?}");
        }
    }
}

#[test]
fn checks_record_progress_and_list_shows_it_without_a_server() {
    let state = State::new();
    let run = state.run(&["check", "01", "--backend", "local", "--format", "json"]);
    run.assert_code(1);
    let lib = std::fs::read_to_string(workspace_root().join("exercises/01_connect/src/lib.rs"));
    let todo =
        lib.unwrap().lines().position(|line| line.trim_start().starts_with("todo!(")).unwrap() + 1;
    assert_text_with(
        state.redactions(),
        &said(&run.exercise("01_connect")),
        format!(
            "not_implemented: not implemented yet (exercises/01_connect/src/lib.rs:{todo})\n\
             → replace the todo!() with your code; the task is in exercises/01_connect/README.md\n"
        ),
    );
    let progress = state.progress();
    assert_eq!(progress["version"], 1, "{progress:#}");
    assert_eq!(progress["exercises"]["01_connect"]["status"], "not_implemented", "{progress:#}");
    assert!(progress["exercises"]["01_connect"]["checked_at"].as_u64().unwrap() > 1_600_000_000);

    // A wrong program standing in for an exercise, or the solutions, leave progress alone.
    state.run(&["check", "02", "--program", "02=wrong02_hardcoded_list", "--backend", "local"]);
    state.run(&["check", "02", "--solutions", "--backend", "local"]);
    assert!(
        state.progress()["exercises"].get("02_show_databases").is_none(),
        "{:#}",
        state.progress()
    );

    // What list makes of progress, on a course whose titles stay put. 02 was changed
    // and fails; 03 failed too but is as shipped (as 06 fails before it is touched),
    // so it is still to do.
    let course = fixture_course(THREE_EXERCISES);
    let lib = course.path().join("exercises/02_show_databases/src/lib.rs");
    std::fs::write(&lib, "pub fn f() { my_try() }\n").unwrap();
    let then = grader::state::now() - 150;
    state.write_progress(&serde_json::json!({
        "version": 1,
        "exercises": {
            "01_connect": {"status": "passed", "checked_at": then, "passed_at": then},
            "02_show_databases": {"status": "failed", "checked_at": then},
            "03_create_schema": {"status": "failed", "checked_at": then},
        }
    }));
    let list = state.run_in(&["list"], Some(course.path()), &[]);
    list.assert_code(0);
    assert_text_with(
        state.redactions(),
        &list.stdout,
        str![[r#"
Progress [██████████░░░░░░░░░░░░░░░░░░░░] 1 of 3 done (33%)

  ✓ done     01_connect         Connect  · passed 2 min ago
→ ✗ failing  02_show_databases  Show the databases  · failed 2 min ago
  · to do    03_create_schema   Create the schema  · as shipped

Next: 02_show_databases — the task is in exercises/02_show_databases/README.md
Check it as you save with `cargo grader watch`; stuck? `cargo grader hint 02`

"#]],
    );

    let json = state.run_in(&["list", "--format", "json"], Some(course.path()), &[]);
    let value: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["next"], "02_show_databases");
    assert_eq!(value["done"], 1);
    assert_eq!(value["exercises"][0]["standing"], "done");
    assert_eq!(value["exercises"][2]["standing"], "not_tried");
    assert_eq!(value["exercises"][2]["last_status"], "failed");
    assert_eq!(value["exercises"][2]["as_shipped"], true);
}

#[test]
fn hints_come_one_at_a_time_and_unknown_exercises_are_refused() {
    let state = State::new();
    let course = fixture_course(THREE_EXERCISES);
    let hint = |args: &[&str], code: i32| {
        let run = state.run_in(args, Some(course.path()), &[]);
        run.assert_code(code);
        format!("{}{}", run.stdout, run.stderr)
    };
    let first = hint(&["hint", "02"], 0);
    assert_text_with(
        state.redactions(),
        &first,
        str![[r#"
Hints for 02_show_databases — Show the databases

  1. SHOW DATABASES is a query. (new)

1 of 3 hints shown. Check your work again and `cargo grader hint 02` shows the next one (or `cargo grader hint 02 --more` now).

"#]],
    );
    assert_text_with(
        state.redactions(),
        &hint(&["hint", "02"], 0),
        str![[r#"
Hints for 02_show_databases — Show the databases

  1. SHOW DATABASES is a query.

1 of 3 hints shown. Check your work again and `cargo grader hint 02` shows the next one (or `cargo grader hint 02 --more` now).

"#]],
    );
    hint(&["hint", "show_databases", "--more"], 0);
    assert_eq!(state.progress()["exercises"]["02_show_databases"]["hints_seen"], 2);
    assert_text_with(
        state.redactions(),
        &hint(&["hint"], 0),
        str![[r#"
Hints for 01_connect — Connect

  1. Open a connection. (new)

1 of 2 hints shown. Check your work again and `cargo grader hint 01` shows the next one (or `cargo grader hint 01 --more` now).

"#]],
    );
    assert_text_with(
        state.redactions(),
        &hint(&["hint", "99"], 2),
        str![[r#"
error: there is no exercise "99"; the exercises are: 01_connect, 02_show_databases, 03_create_schema

"#]],
    );
}

#[test]
fn reset_restores_the_shipped_files_after_confirmation() {
    let state = State::new();
    let course = fixture_course(THREE_EXERCISES);
    let mut redactions = state.redactions();
    redactions.insert("[COURSE]", course.path().to_path_buf()).unwrap();
    let lib = course.path().join("exercises/01_connect/src/lib.rs");
    std::fs::write(&lib, "pub fn f() { my_work() }\n").unwrap();
    std::fs::remove_file(course.path().join("exercises/01_connect/README.md")).unwrap();
    std::fs::write(course.path().join("exercises/01_connect/src/notes.rs"), "// mine\n").unwrap();
    state.write_progress(&serde_json::json!({"version": 1, "exercises": {"01_connect": {"status": "failed", "hints_seen": 1}}}));

    let unconfirmed = state.run_in(&["reset", "01"], Some(course.path()), &[]);
    unconfirmed.assert_code(2);
    assert_eq!(unconfirmed.stdout, "");
    assert_text_with(
        redactions.clone(),
        &unconfirmed.stderr,
        str![[r#"
[COURSE]/exercises/01_connect differs from its shipped version (git HEAD):
  restore   src/lib.rs  (your changes are lost)
  recreate  README.md
  keep      src/notes.rs  (not part of the exercise as shipped)
error: Reset 01_connect needs your confirmation, and there is no terminal to ask on: pass --yes to go ahead

"#]],
    );
    assert_eq!(
        std::fs::read_to_string(&lib).unwrap(),
        "pub fn f() { my_work() }\n",
        "nothing changed yet"
    );

    let reset = state.run_in(&["reset", "01", "--yes"], Some(course.path()), &[]);
    reset.assert_code(0);
    assert_text_with(
        redactions.clone(),
        &reset.stdout,
        str![[r#"
Reset 01_connect is back as shipped (git HEAD):
  restored  src/lib.rs  (your changes are gone)
  recreated README.md
  kept      src/notes.rs  (not part of the exercise as shipped)
Its progress and hints are forgotten.

"#]],
    );
    assert_eq!(std::fs::read_to_string(&lib).unwrap(), "pub fn f() { todo!() }\n");
    assert!(
        course.path().join("exercises/01_connect/README.md").exists(),
        "a deleted file comes back"
    );
    assert!(
        course.path().join("exercises/01_connect/src/notes.rs").exists(),
        "the learner's own file stays"
    );
    assert!(
        state.progress()["exercises"].get("01_connect").is_none(),
        "progress forgotten: {:#}",
        state.progress()
    );

    let again = state.run_in(&["reset", "01"], Some(course.path()), &[]);
    again.assert_code(0);
    assert_text_with(
        redactions.clone(),
        &again.stdout,
        str![[r#"
01_connect was as shipped already (git HEAD).
Its progress and hints are forgotten.

"#]],
    );
    let bad = state.run_in(
        &["reset", "01", "--yes", "--from", "no-such-branch"],
        Some(course.path()),
        &[],
    );
    bad.assert_code(2);
    assert_text_with(
        redactions,
        &format!("{}{}", bad.stdout, bad.stderr),
        str![[r#"
error: git knows no revision "no-such-branch"; name a branch, tag or commit with --from

"#]],
    );
}

/// `server status --format json --show-password` of `state`.
fn status(state: &State) -> Value {
    let run = state.run(&["server", "status", "--format", "json", "--show-password"]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|error| panic!("{error}: {run:?}"))
}

fn admin_conn(status: &Value) -> mysql::Conn {
    let opts = mysql::OptsBuilder::new()
        .ip_or_hostname(status["host"].as_str())
        .tcp_port(status["port"].as_u64().unwrap() as u16)
        .user(status["user"].as_str())
        .pass(status["password"].as_str())
        .prefer_socket(false);
    mysql::Conn::new(opts).expect("the persistent server answers")
}

#[test]
fn a_persistent_local_server_is_reused_restarted_and_stopped_without_a_trace() {
    use mysql::prelude::Queryable as _;
    let state = State::new();
    let none = state.run(&["server", "status"]);
    none.assert_code(1);
    assert_text_with(
        state.redactions(),
        &none.stdout,
        str![[r#"
No persistent server. `cargo grader server start` starts one; until then each check starts its own.

"#]],
    );

    let _stop = StopsServer(&state);
    let started = state.run(&["server", "start", "--backend", "local"]);
    started.assert_code(0);
    assert_text_with(
        state.redactions(),
        &started.stdout,
        str![[r#"
Started a persistent local server at 127.0.0.1:[PORT] ([VERSION]) in [DURATION].
`cargo grader check` and `cargo grader watch` use it until `cargo grader server stop`.
Saved backend = "local" in [STATE]/config.toml: checks use this kind of server after `server stop` too (`cargo grader config show` explains).

"#]],
    );
    let first = status(&state);
    assert_eq!(
        (first["running"].as_bool(), first["backend"].as_str()),
        (Some(true), Some("local")),
        "{first:#}"
    );
    let masked = state.run(&["server", "status"]);
    masked.assert_code(0);
    let password = first["password"].as_str().unwrap();
    assert!(!masked.stdout.contains(password), "{}", masked.stdout);
    assert_text_with(
        state.redactions(),
        &masked.stdout,
        str![[r#"
Persistent server: up
  backend   local
  address   127.0.0.1:[PORT]
  account   grader / ******** (--show-password shows it)
  version   [VERSION]
  uptime    [..]
  process   [PID], data in [STATE]/server/grader-mysql-persistent
  connect   mysql -h 127.0.0.1 -P [PORT] -u grader -p

"#]],
    );
    let again = state.run(&["server", "start"]);
    assert_text_with(
        state.redactions(),
        &again.stdout,
        str![[r#"
A persistent local server is up already at 127.0.0.1:[PORT] ([VERSION]), up [..].

"#]],
    );

    // check uses it: the server it names is the persistent one, and it starts none of its own.
    let port = first["port"].to_string();
    let check = state.run(&["check", "02", "--solutions", "--format", "json", "-v"]);
    check.assert_code(0);
    assert!(check.stderr.contains(&format!("127.0.0.1:{port}")), "{}", check.stderr);
    assert_eq!(check.json()["backend"], "local");

    // reset drops what the exercise's checks left on it.
    let mut conn = admin_conn(&first);
    conn.query_drop("CREATE DATABASE gr01_leftover1").unwrap();
    conn.query_drop("CREATE USER 'gr01_leftover1'@'%' IDENTIFIED BY 'x'").unwrap();
    let course = fixture_course(THREE_EXERCISES);
    let reset = state.run_in(&["reset", "01", "--yes"], Some(course.path()), &[]);
    reset.assert_code(0);
    assert_text_with(
        state.redactions(),
        &reset.stdout,
        str![[r#"
01_connect was as shipped already (git HEAD).
Its progress and hints are forgotten. The persistent server had 2 leftovers of its checks; they are dropped.

"#]],
    );
    let left: Vec<String> = conn.query("SHOW DATABASES LIKE 'gr01%'").unwrap();
    assert_eq!(left, Vec::<String>::new());
    drop(conn);

    // A server that died is started again, and the check says so.
    let pid = first["pid"].as_u64().unwrap() as u32;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    wait_until(|| !is_alive(pid), "the killed server is gone");
    let after = state.run(&["check", "02", "--solutions", "--format", "json"]);
    after.assert_code(0);
    assert_text_with(
        state.redactions(),
        &after.stderr,
        str![[r#"
the persistent local server had stopped answering; started it again in [DURATION]

"#]],
    );
    let second = status(&state);
    assert_ne!(second["pid"], first["pid"]);

    let stop = state.run(&["server", "stop"]);
    stop.assert_code(0);
    assert_text_with(
        state.redactions(),
        &stop.stdout,
        str![[r#"
Stopped the persistent server. Removed:
  the local server (process [PID])
  its data folder [STATE]/server/grader-mysql-persistent
  its record [STATE]/server/server.json

"#]],
    );
    let dir = state.path().to_string_lossy().into_owned();
    assert_eq!(processes_matching(&dir), Vec::<String>::new(), "a server process outlived stop");
    assert!(!state.path().join("server").exists(), "stop leaves no folder");
    state.run(&["server", "status"]).assert_code(1);
    assert_no_leftover_naming(&state, &dir);
}

/// The `DATABASE_URL` in the line `sandbox` prints first.
fn sandbox_url(run: &Run) -> String {
    let line = run.stdout.lines().next().unwrap_or_default();
    let url = line.strip_prefix("export DATABASE_URL=").and_then(|rest| rest.split(' ').next());
    url.unwrap_or_else(|| panic!("no export line: {run:?}")).to_string()
}

/// How many customers the sandbox at `url` holds, and its tables.
fn sandbox_shop(url: &str) -> (usize, Vec<String>) {
    use mysql::prelude::Queryable as _;
    let tcp_only = format!("{url}?prefer_socket=false");
    let mut conn =
        mysql::Conn::new(mysql::Opts::from_url(&tcp_only).unwrap()).expect("the URL connects");
    let tables: Vec<String> = conn.query("SHOW TABLES").unwrap();
    let count: usize = conn.query_first("SELECT COUNT(*) FROM customers").unwrap().unwrap();
    (count, tables)
}

#[test]
fn a_sandbox_stands_on_the_persistent_server_until_replaced_or_dropped() {
    use mysql::prelude::Queryable as _;
    let state = State::new();
    let mut redactions = state.redactions();
    let password = regex::Regex::new(r"gr\d{2}_sandbox:(?<redacted>[0-9A-Za-z]{24})@").unwrap();
    redactions.insert("[PASSWORD]", password).unwrap();

    let none = state.run(&["sandbox", "06"]);
    none.assert_code(2);
    assert_text_with(
        redactions.clone(),
        &none.stderr,
        str![[r#"
error: a sandbox needs the persistent server, and none is running: run `cargo grader server start` first, then `cargo grader sandbox 06` again

"#]],
    );
    let refused = state.run(&["sandbox", "10"]);
    refused.assert_code(2);
    assert_text_with(
        redactions.clone(),
        &refused.stderr,
        str![[r#"
error: 10_remote_access has no sandbox to run it by hand: its check builds a lab of its own for each run (a server started with your mysqld.cnf, a client host and an intruder), which a standing sandbox on the persistent server cannot be; run `cargo grader check 10`, and follow the chapter's lab to try it by hand

"#]],
    );

    let _stop = StopsServer(&state);
    state.run(&["server", "start", "--backend", "local"]).assert_code(0);
    let first = state.run(&["sandbox", "06"]);
    first.assert_code(0);
    assert_text_with(
        redactions.clone(),
        &first.stdout,
        str![[r#"
export DATABASE_URL=mysql://gr06_sandbox:[PASSWORD]@127.0.0.1:[PORT]/gr06_sandbox MYSQL_HOST=127.0.0.1 MYSQL_PORT=[..] MYSQL_USER=gr06_sandbox MYSQL_PASSWORD=[..] MYSQL_DATABASE=gr06_sandbox
# Then run the program by hand with it, as the check does:
#   cargo run -p ex06_sql_injection -- [..]    (customers with this name, some in other cases or with a trailing space: it prints those the server's = matches, by id)
#   cargo run -p ex06_sql_injection -- "' OR '1'='1"    (1 customer has this name; a search that pastes it into its SQL prints all 20)
#   cargo run -p ex06_sql_injection -- [..]    (a real name with an apostrophe: a pasted search fails with a syntax error)
# `cargo grader sandbox 06` again starts afresh; `cargo grader sandbox 06 --drop` removes it.

"#]],
    );
    assert_text_with(
        redactions.clone(),
        &first.stderr,
        str![[r#"
Created the sandbox gr06_sandbox of 06_sql_injection on the persistent local server: the shop's table customers (20 customers, some named like attacks) and a table canary that no search may change.

"#]],
    );

    // The printed URL reaches the shop, planted as the check plants it.
    let url = sandbox_url(&first);
    assert_eq!(
        sandbox_shop(&url),
        (20, ["canary", "customers", "orders", "products"].map(String::from).to_vec())
    );
    let mut conn =
        mysql::Conn::new(mysql::Opts::from_url(&format!("{url}?prefer_socket=false")).unwrap())
            .unwrap();
    let always_true: usize = conn
        .exec_first("SELECT COUNT(*) FROM customers WHERE name = ?", ("' OR '1'='1",))
        .unwrap()
        .unwrap();
    assert_eq!(always_true, 1);
    conn.query_drop("DELETE FROM customers").unwrap();
    drop(conn);

    // A second sandbox replaces the first: planted afresh, the old password gone.
    let second = state.run(&["sandbox", "06"]);
    second.assert_code(0);
    assert_text_with(
        redactions.clone(),
        &second.stderr,
        str![[r#"
Replaced the sandbox gr06_sandbox of 06_sql_injection on the persistent local server with freshly planted data: the shop's table customers (20 customers, some named like attacks) and a table canary that no search may change.

"#]],
    );
    let new_url = sandbox_url(&second);
    assert_ne!(new_url, url);
    assert!(
        mysql::Conn::new(mysql::Opts::from_url(&format!("{url}?prefer_socket=false")).unwrap())
            .is_err(),
        "the old account lives"
    );
    assert_eq!(sandbox_shop(&new_url).0, 20);

    // --drop removes it all; a second --drop finds nothing.
    let dropped = state.run(&["sandbox", "06", "--drop"]);
    dropped.assert_code(0);
    assert_text_with(
        redactions.clone(),
        &dropped.stdout,
        str![[r#"
Removed the sandbox gr06_sandbox of 06_sql_injection (its database and account).

"#]],
    );
    let mut admin = admin_conn(&status(&state));
    let left: Vec<String> = admin.query("SHOW DATABASES LIKE 'gr06%'").unwrap();
    assert_eq!(left, Vec::<String>::new());
    let accounts: Vec<String> =
        admin.query("SELECT User FROM mysql.user WHERE User LIKE 'gr06%'").unwrap();
    assert_eq!(accounts, Vec::<String>::new());
    let again = state.run(&["sandbox", "06", "--drop"]);
    again.assert_code(0);
    assert_text_with(
        redactions.clone(),
        &again.stdout,
        str![[r#"
06_sql_injection had no sandbox on the persistent server: nothing to remove.

"#]],
    );

    // reset drops a sandbox with the rest of what the exercise left (02 adds databases).
    let course = fixture_course(THREE_EXERCISES);
    state.run_in(&["sandbox", "02"], Some(course.path()), &[]).assert_code(0);
    let planted: Vec<String> = admin.query("SHOW DATABASES LIKE 'gr02%'").unwrap();
    assert!(planted.len() >= 3, "{planted:?}");
    let reset = state.run_in(&["reset", "02", "--yes"], Some(course.path()), &[]);
    reset.assert_code(0);
    assert!(reset.stdout.contains(&format!("had {} leftovers", planted.len() + 1)), "{reset:?}");
    let left: Vec<String> = admin.query("SHOW DATABASES LIKE 'gr02%'").unwrap();
    assert_eq!(left, Vec::<String>::new());
}

#[test]
fn a_persistent_docker_server_is_a_reusable_container() {
    if !docker_available() {
        return;
    }
    let state = State::new();
    let image = docker_image();
    let _stop = StopsServer(&state);
    let started = state.run(&["server", "start", "--backend", "docker", "--image", &image]);
    started.assert_code(0);
    let first = status(&state);
    assert_eq!(first["backend"], "docker", "{first:#}");
    let name = first["container"].as_str().unwrap().to_string();
    assert!(name.starts_with("mysql-course-grader-"), "{name}");
    assert_text_with(
        state.redactions(),
        &started.stdout,
        str![[r#"
Started a persistent docker server at 127.0.0.1:[PORT] ([VERSION]) in [DURATION].
`cargo grader check` and `cargo grader watch` use it until `cargo grader server stop`.
Saved image = "mysql-course/server:offline" in [STATE]/config.toml: checks use this kind of server after `server stop` too (`cargo grader config show` explains).

"#]],
    );

    let check = state.run(&[
        "check",
        "02",
        "--solutions",
        "--format",
        "json",
        "--backend",
        "docker",
        "--image",
        &image,
    ]);
    check.assert_code(0);
    assert_eq!(check.json()["backend"], "docker");
    assert!(
        check.json()["timings"]["server_start_ms"].as_u64().unwrap() < 1_000,
        "{}",
        check.stdout
    );
    assert_eq!(
        containers_of(check.pid),
        Vec::<String>::new(),
        "check started a container of its own"
    );

    // A stopped container is started again (testcontainers' reuse), with its password.
    let stopped = Command::new("docker").args(["stop", "-t", "0", &name]).output().unwrap();
    assert!(stopped.status.success());
    let after = state.run(&["check", "02", "--solutions", "--format", "json"]);
    after.assert_code(0);
    assert_text_with(
        state.redactions(),
        &after.stderr,
        str![[r#"
the persistent docker server had stopped answering; started it again in [DURATION]

"#]],
    );
    assert_eq!(status(&state)["container"], name.as_str());

    state.run(&["server", "stop"]).assert_code(0);
    let left = Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("name={name}")])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&left.stdout).trim(), "", "the container outlived stop");
}

/// A running `grader watch --format json`, its events read line by line.
struct Watch {
    child: Child,
    events: Receiver<Value>,
    seen: Vec<Value>,
}

impl Watch {
    /// Starts `watch --format json` with `args` in `cwd` (the workspace if `None`).
    fn start(state: &State, args: &[&str], cwd: Option<&Path>, env: &[(&str, String)]) -> Watch {
        let mut all = vec!["watch", "--format", "json"];
        all.extend(args);
        let mut child = state
            .command(&all, cwd)
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("watch starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, events) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let event = serde_json::from_str(&line).unwrap_or(Value::String(line));
                if sender.send(event).is_err() {
                    break;
                }
            }
        });
        Watch { child, events, seen: Vec::new() }
    }

    /// Waits for the next event for which `wanted` holds, and returns it.
    fn until(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    self.seen.push(event.clone());
                    if wanted(&event) {
                        return event;
                    }
                }
                Err(_) => panic!("no {what} from watch; it said:\n{:#?}", self.seen),
            }
        }
    }

    fn verdict(&mut self) -> Value {
        self.until("verdict", |event| event["event"] == "verdict")
    }

    /// The throwaway server processes of this watch.
    fn servers(&self) -> Vec<u32> {
        descendants(self.child.id())
            .into_iter()
            .filter(|process| process.command().contains("grader-mysql-"))
            .map(|process| process.pid)
            .collect()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
            let _ = self.child.wait();
        }
    }
}

fn wait_until(condition: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_checks_each_save_survives_errors_and_a_dead_server_and_quits_cleanly() {
    let state = State::new();
    let course = CourseCopy::new("watch_copy_saves");
    let mut redactions = state.redactions();
    redactions.insert("[COURSE]", course.path().to_path_buf()).unwrap();
    let args = ["02", "--program", "02=watch_copy_saves", "--backend", "local"];
    let mut watch = Watch::start(&state, &args, Some(course.path()), &CourseCopy::env());
    let first = watch.verdict();
    assert_eq!(first["status"], "passed", "{first:#}");
    eprintln!("the copy's first build took {} ms", first["build_ms"]);
    watch.until("all_done", |event| event["event"] == "all_done");

    let answer = course.answer();
    std::fs::write(&answer, "pub fn database_names(conn: &mut mysql::Conn) -> Result<Vec<String>, mysql::Error> { conn }\n").unwrap();
    let broken = watch.verdict();
    assert!(broken["since_change_ms"].as_u64().is_some(), "{broken:#}");
    assert_text_with(
        redactions.clone(),
        &said(&broken),
        str![[r#"
compile_error: it does not compile:
error[E0308]: mismatched types
 --> programs/watch_copy_saves/src/answer.rs:1:86
  |
1 | pub fn database_names(conn: &mut mysql::Conn) -> Result<Vec<String>, mysql::Error> { conn }
  |                                                  ---------------------------------   ^^^^ expected `Result<Vec<String>, Error>`, found `&mut Conn`
  |                                                  |
  |                                                  expected `Result<Vec<std::string::String>, mysql::Error>` because of return type
  |
  = note:           expected enum `Result<Vec<std::string::String>, mysql::Error>`
          found mutable reference `&mut Conn`
→ fix it and check again; `cargo build -p watch_copy_saves` shows every error in full

"#]],
    );

    // The server dies; the learner deletes the file.
    let servers = watch.servers();
    assert!(!servers.is_empty(), "watch runs a server of its own");
    for pid in &servers {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(*pid as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    std::fs::remove_file(&answer).unwrap();
    let deleted = watch.verdict();
    assert_text_with(
        redactions.clone(),
        &said(&deleted),
        str![[r#"
compile_error: it does not compile:
error[E0583]: file not found for module `answer`
 --> programs/watch_copy_saves/src/main.rs:4:1
  |
4 | mod answer;
  | ^^^^^^^^^^^
  |
  = help: to create the module `answer`, create file "programs/watch_copy_saves/src/answer.rs" or "programs/watch_copy_saves/src/answer/mod.rs"
  = note: if there is a `mod answer` elsewhere in the crate already, import it with `use crate::...` instead
→ fix it and check again; `cargo build -p watch_copy_saves` shows every error in full

"#]],
    );

    std::fs::write(&answer, CourseCopy::original_answer()).unwrap();
    let fixed = watch.verdict();
    assert_text_with(
        redactions.clone(),
        &said(&fixed),
        str![[r#"
passed

"#]],
    );
    let restarted = watch.seen.iter().find(|event| event["event"] == "server_restarted");
    let restarted = restarted
        .unwrap_or_else(|| panic!("watch said nothing of the new server: {:#?}", watch.seen));
    assert_text_with(
        redactions,
        &restarted.to_string(),
        str![[r#"{"backend":"local","event":"server_restarted","reason":"it stopped answering"}"#]],
    );

    let new_servers = watch.servers();
    watch.child.stdin.as_mut().unwrap().write_all(b"h\nq\n").unwrap();
    watch.until("hint", |event| event["event"] == "hint");
    let code = watch.child.wait().unwrap().code();
    assert_eq!(code, Some(0), "q quits");
    for pid in servers.iter().chain(&new_servers) {
        assert!(!is_alive(*pid), "server {pid} outlived watch");
    }
    assert_no_leftover_naming(&state, &format!("grader-mysql-{}-", watch.child.id()));
}

#[test]
fn ctrl_c_in_watch_leaves_nothing_behind() {
    let state = State::new();
    let args = ["02", "--program", "02=watch_subject", "--backend", "local"];
    let mut watch = Watch::start(&state, &args, None, &[]);
    watch.verdict();
    let servers = watch.servers();
    assert!(!servers.is_empty());
    let pid = watch.child.id();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    assert_eq!(watch.child.wait().unwrap().code(), Some(130));
    for server in &servers {
        assert!(!is_alive(*server), "server {server} outlived Ctrl-C");
    }
    assert_no_leftover_naming(&state, &format!("grader-mysql-{pid}-"));
}

/// Asserts that `grader doctor` reports no leftover whose description holds `text`.
fn assert_no_leftover_naming(state: &State, text: &str) {
    let image = docker_image();
    let doctor = state.run_in(&["doctor", "--format", "json"], None, &[("GRADER_IMAGE", &image)]);
    let report: Value =
        serde_json::from_str(&doctor.stdout).unwrap_or_else(|e| panic!("{e}: {doctor:?}"));
    let naming: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|finding| {
            finding["topic"] == "leftover" && finding["message"].as_str().unwrap().contains(text)
        })
        .collect();
    assert!(naming.is_empty(), "doctor found leftovers: {naming:#?}");
}

/// Starts `check 01` with the looping program on `backend_args`, waits until the
/// program runs, and kills the grader with SIGKILL (no cleanup can run). Returns the
/// grader's process id.
fn kill_a_check(state: &State, backend_args: &[&str], mark: &str) -> u32 {
    let mut args = vec!["check", "01", "--program", "01=wrong_loops_forever", "--timeout", "120"];
    args.extend(backend_args);
    let mut child = state
        .command(&args, None)
        .env("LOOPER_MARK", mark)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let deadline = Instant::now() + PATIENCE;
    while !descendants(pid).iter().any(|process| process.command().contains(mark)) {
        assert!(Instant::now() < deadline, "the check never got under way");
        assert!(child.try_wait().unwrap().is_none(), "the grader ended before it was killed");
        thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    pid
}

/// Kills the looping program's processes (a killed grader cannot).
fn kill_looper(mark: &str) {
    for process in crate::support::processes().into_iter().filter(|p| p.command().contains(mark)) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(process.pid as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
}

/// The name Docker gave the container `id`.
fn container_name(id: &str) -> String {
    let output = Command::new("docker")
        .args(["inspect", "--format", "{{.Name}}", id])
        .output()
        .expect("docker runs");
    String::from_utf8_lossy(&output.stdout).trim().trim_start_matches('/').to_string()
}

/// The findings of a human `doctor` report that mention `text`, each whole: its
/// line and the indented ones under it.
fn findings_naming(report: &str, text: &str) -> String {
    let mut findings: Vec<String> = Vec::new();
    for line in report.lines() {
        match findings.last_mut() {
            Some(finding) if line.starts_with(' ') => {
                finding.push_str(line);
                finding.push('\n');
            }
            _ => findings.push(format!("{line}\n")),
        }
    }
    findings.into_iter().filter(|finding| finding.contains(text)).collect()
}

fn leftovers_naming(report: &Value, text: &str) -> usize {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["topic"] == "leftover" && f["message"].as_str().unwrap().contains(text))
        .count()
}

#[test]
fn doctor_finds_and_removes_what_a_killed_grader_left() {
    let state = State::new();
    let image = docker_image();
    let env = [("GRADER_IMAGE", image.as_str())];
    let mark = "597.51";
    let pid = kill_a_check(&state, &["--backend", "local"], mark);
    kill_looper(mark);
    let doctor = state.run_in(&["doctor"], None, &env);
    doctor.assert_code(1);
    let folder = format!("grader-mysql-{pid}-");
    let server = crate::support::processes().into_iter().find(|p| p.command().contains(&folder));
    let server = server.expect("the killed grader's server is running").pid;
    assert_text_with(
        state.redactions(),
        &findings_naming(&doctor.stdout, &folder),
        str![[r#"
✗ leftover  a throwaway local server (process [PID]) of a grader that is gone (process [PID]), data in [TMP]/grader-mysql-[PID]-[RANDOM]
            → cargo grader doctor --fix (or kill -9 [PID])
✗ leftover  the temporary folder [TMP]/grader-mysql-[PID]-[RANDOM] of a throwaway server
            → cargo grader doctor --fix (or rm -r [TMP]/grader-mysql-[PID]-[RANDOM])

"#]],
    );
    let fixed = state.run_in(&["doctor", "--fix"], None, &env);
    let done: String = fixed
        .stdout
        .lines()
        .filter(|line| line.contains(&folder) || line == &format!("done: kill -9 {server}"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_text_with(
        state.redactions(),
        &done,
        str![[r#"
done: kill -9 [PID]
done: rm -r [TMP]/grader-mysql-[PID]-[RANDOM]

"#]],
    );
    let after = state.run_in(&["doctor", "--format", "json"], None, &env);
    let after: Value = serde_json::from_str(&after.stdout).unwrap();
    assert_eq!(leftovers_naming(&after, &folder), 0, "{after:#}");
    // A killed server may take a moment to leave the process table on a busy machine.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_matching(&folder).is_empty() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(processes_matching(&folder), Vec::<String>::new(), "after doctor --fix: {after:#}");
    let temp = std::env::temp_dir();
    let folders = std::fs::read_dir(&temp).unwrap().flatten();
    assert!(!folders
        .into_iter()
        .any(|entry| entry.file_name().to_string_lossy().starts_with(&folder)));

    if docker_available() {
        let mark = "597.52";
        let pid = kill_a_check(&state, &["--backend", "docker", "--image", &image], mark);
        kill_looper(mark);
        let containers = containers_of(pid);
        assert_eq!(containers.len(), 1, "the killed grader's container is there");
        let doctor = state.run_in(&["doctor"], None, &env);
        let mut redactions = state.redactions();
        redactions.insert("[CONTAINER]", container_name(&containers[0])).unwrap();
        let said = findings_naming(&doctor.stdout, &format!("process {pid},"));
        assert_text_with(
            redactions,
            &said,
            str![[r#"
✗ leftover  the container [CONTAINER] of a grader that is gone (process [PID], label org.mysql-course.grader=[PID])
            → cargo grader doctor --fix (or docker rm -f [CONTAINER])

"#]],
        );
        state.run_in(&["doctor", "--fix"], None, &env);
        assert_eq!(containers_of(pid), Vec::<String>::new(), "doctor --fix removes the container");
    }
}

#[test]
fn doctor_reports_the_tools_and_each_problem_with_its_fix() {
    let state = State::new();
    std::fs::write(state.path().join("progress.json"), "{ damaged").unwrap();
    let run = state.run_in(&["doctor"], None, &[("GRADER_IMAGE", &docker_image())]);
    run.assert_code(1);
    for topic in ["cargo", "course", "progress", "local", "mdbook", "ports", "server"] {
        assert!(
            run.stdout.lines().any(|line| line.contains(&format!(" {topic} "))),
            "{topic}:\n{}",
            run.stdout
        );
    }
    let progress = findings_naming(&run.stdout, "progress.json");
    assert_text_with(
        state.redactions(),
        &progress,
        str![[r#"
✗ progress  the progress file [STATE]/progress.json is damaged; `cargo grader doctor --fix` sets it aside and starts afresh: it is not valid JSON: key must be a string at line 1 column 3
            → cargo grader doctor --fix (or mv [STATE]/progress.json [STATE]/progress.json.old)

"#]],
    );
    let fixed = state.run_in(&["doctor", "--fix"], None, &[("GRADER_IMAGE", &docker_image())]);
    let progress = findings_naming(&fixed.stdout, "progress.json");
    assert_text_with(
        state.redactions(),
        &progress,
        str![[r#"
done: moved the damaged progress file to [STATE]/progress.json.damaged-[..]
· progress  no progress yet; the first check writes [STATE]/progress.json

"#]],
    );
    assert!(!state.path().join("progress.json").exists());
}

#[test]
fn completions_and_every_help_have_what_they_promise() {
    let state = State::new();
    for shell in ["bash", "zsh", "fish"] {
        let run = state.run(&["completions", shell]);
        run.assert_code(0);
        assert!(
            run.stdout.contains("grader") && run.stdout.contains("watch"),
            "{shell}: {}",
            run.stdout
        );
    }
    let commands: &[&[&str]] = &[
        &["check"],
        &["watch"],
        &["list"],
        &["hint"],
        &["reset"],
        &["server"],
        &["server", "start"],
        &["server", "stop"],
        &["server", "status"],
        &["doctor"],
        &["completions"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let run = state.run(&args);
        run.assert_code(0);
        assert!(
            run.stdout.contains("Example"),
            "{command:?} --help has no example:\n{}",
            run.stdout
        );
    }
}

#[test]
fn watch_checks_a_command_again_when_a_file_of_its_folder_changes() {
    let state = State::new();
    let folder = tempfile::tempdir().unwrap();
    let shell = crate::support::workspace_root().join("grader/tests/shell");
    let script = folder.path().join("show.sh");
    std::fs::copy(shell.join("hardcoded_list.sh"), &script).unwrap();
    let args = ["02", "--cmd", "sh show.sh", "--backend", "local"];
    let mut watch = Watch::start(&state, &args, Some(folder.path()), &[]);
    let started = watch.until("started", |event| event["event"] == "started");
    assert_eq!(started["watching"][0], folder.path().display().to_string(), "{started:#}");
    let first = watch.verdict();
    assert_eq!(first["status"], "failed", "{first:#}");
    std::fs::copy(shell.join("show_databases.sh"), &script).unwrap();
    let second = watch.verdict();
    assert_eq!(second["status"], "passed", "{second:#}");
    watch.until("all_done", |event| event["event"] == "all_done");
}
