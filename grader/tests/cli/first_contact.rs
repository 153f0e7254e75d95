//! A learner's first run: a server that cannot be had stops the build at once, `auto`
//! takes a way that works when the default image cannot be pulled, and a choice saved
//! in the course's config is used, shown and refused when it makes no sense.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use grader::compile::{self, Stopper};
use tempfile::TempDir;

use grader::process::processes_using;

use crate::support::{assert_text, docker_available, grader_with_env, workspace_root, Run};

/// A folder of the test's own under cargo's temporary folder.
fn scratch(prefix: &str) -> TempDir {
    tempfile::Builder::new().prefix(prefix).tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()
}

/// Runs the grader with its state (config included) and cargo's target in `dirs`.
fn grader_in(dirs: &Dirs, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec![
        ("GRADER_STATE_DIR", dirs.state.path().to_str().unwrap()),
        ("CARGO_TARGET_DIR", dirs.target.to_str().unwrap()),
    ];
    all.extend_from_slice(env);
    grader_with_env(args, &all)
}

/// A state folder of a test's own, and a target folder: a fresh one (nothing is built
/// there) or the workspace's.
struct Dirs {
    state: TempDir,
    target: PathBuf,
    _fresh: Option<TempDir>,
}

impl Dirs {
    fn fresh_target() -> Dirs {
        let fresh = scratch("grader-cold-target-");
        Dirs {
            state: scratch("grader-state-"),
            target: fresh.path().to_path_buf(),
            _fresh: Some(fresh),
        }
    }

    fn workspace_target() -> Dirs {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| workspace_root().join("target"), PathBuf::from);
        Dirs { state: scratch("grader-state-"), target, _fresh: None }
    }
}

/// Nothing was built in `target`, and no cargo or rustc still works there.
fn assert_the_build_was_stopped(target: &Path, run: &Run) {
    let binary = target.join("debug").join("ex01_connect");
    assert!(!binary.exists(), "the build went on to the end:\n{}", run.stderr);
    let left: Vec<String> = processes_using(target).iter().map(|p| p.command()).collect();
    assert!(left.is_empty(), "still building after the grader ended: {left:#?}");
}

#[test]
fn an_unreachable_server_stops_a_cold_build_at_once() {
    let dirs = Dirs::fresh_target();
    let run = grader_in(&dirs, &["check", "01", "--server", "mysql://root:pw@127.0.0.1:1"], &[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("cannot connect to the MySQL server at 127.0.0.1:1"),
        "{}",
        run.stderr
    );
    assert_the_build_was_stopped(&dirs.target, &run);
}

#[test]
fn a_chosen_image_that_cannot_be_had_stops_a_cold_build_at_once() {
    if !docker_available() {
        return;
    }
    let dirs = Dirs::fresh_target();
    let image = "mysql-course/no-such-image:1";
    let run = grader_in(&dirs, &["check", "01", "--backend", "docker", "--image", image], &[]);
    run.assert_code(2);
    let expected = format!("{image} is not here and cannot be pulled");
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    assert!(run.stderr.contains("build the offline image"), "{}", run.stderr);
    assert_the_build_was_stopped(&dirs.target, &run);
}

#[test]
fn a_stopped_build_leaves_no_compiler_behind() {
    // A workspace of its own, so that its target folder is fresh: one package whose
    // dependency takes seconds to compile, resolved as the course's Cargo.lock says.
    let dir = scratch("grader-stopped-build-");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("Cargo.toml", "[workspace]\nmembers = [\"slow\"]\nresolver = \"2\"\n");
    write("slow/Cargo.toml", "[package]\nname = \"slow\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde_json = \"1\"\n");
    write("slow/src/main.rs", "fn main() { println!(\"{}\", serde_json::json!({})); }\n");
    write("Cargo.lock", &std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap());

    let stopper = Stopper::default();
    let (compiled, first) = mpsc::channel();
    std::thread::scope(|scope| {
        let build = scope.spawn(|| {
            let progress = |count: usize| {
                let _ = compiled.send(count);
            };
            compile::build(dir.path(), &["slow".to_string()], false, &progress, &stopper)
        });
        first.recv().expect("cargo compiles a first crate in a fresh target folder");
        stopper.stop();
        let error = build.join().unwrap().unwrap_err();
        assert_eq!(error.to_string(), "the build was stopped");
    });
    let target = dir.path().join("target");
    assert!(!target.join("debug").join("slow").exists(), "the build went on to the end");
    let left: Vec<String> = processes_using(&target).iter().map(|p| p.command()).collect();
    assert!(left.is_empty(), "compilers outlived the stop: {left:#?}");
}

#[test]
fn auto_takes_the_offline_image_when_the_default_cannot_be_pulled() {
    if !docker_available() {
        return;
    }
    let inspect = |image: &str| {
        std::process::Command::new("docker")
            .args(["image", "inspect", image])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    let offline = grader::server::docker::OFFLINE_IMAGE;
    let registry = grader::server::containers::registry_answers("mysql");
    if inspect(grader::server::DEFAULT_IMAGE) || registry || !inspect(offline) {
        eprintln!("skipped: this machine has mysql:8.4 or a registry, or no offline image");
        return;
    }
    let dirs = Dirs::workspace_target();
    let run = grader_in(&dirs, &["check", "01", "--solutions", "--format", "json"], &[]);
    run.assert_code(0);
    let note = format!(
        "mysql:8.4 is not here and cannot be pulled: [..]; using the offline image {offline} instead \
         (`cargo grader config set image {offline}` makes that the choice)\n"
    );
    assert_text(&run.stderr, note);
    assert_eq!(run.json()["backend"], "docker");
}

#[test]
fn a_saved_backend_is_used_shown_and_overridden() {
    let dirs = Dirs::workspace_target();
    grader_in(&dirs, &["config", "set", "backend", "local"], &[]).assert_code(0);
    let config = std::fs::read_to_string(dirs.state.path().join("config.toml")).unwrap();
    assert!(config.contains("[server]\nbackend = \"local\"\n"), "{config}");

    let run = grader_in(&dirs, &["check", "01", "--solutions", "--format", "json"], &[]);
    run.assert_code(0);
    assert_eq!(run.json()["backend"], "local", "the file's backend is used");

    let shown = grader_in(&dirs, &["config", "show"], &[]);
    shown.assert_code(0);
    assert!(shown.stdout.contains("  backend  local"), "{}", shown.stdout);
    assert!(shown.stdout.contains("config.toml"), "{}", shown.stdout);
    let from_env = grader_in(&dirs, &["config", "show"], &[("GRADER_BACKEND", "docker")]);
    assert!(
        from_env.stdout.contains("from the environment (GRADER_BACKEND)"),
        "{}",
        from_env.stdout
    );

    let doctor = grader_in(&dirs, &["doctor", "--format", "json"], &[]);
    let findings = doctor.json()["findings"].to_string();
    assert!(findings.contains("backend local (from "), "{findings}");

    let unset = grader_in(&dirs, &["config", "unset", "backend"], &[]);
    unset.assert_code(0);
    assert!(unset.stdout.starts_with("Removed backend from "), "{}", unset.stdout);
    assert!(!dirs.state.path().join("config.toml").exists(), "an empty config is removed");
}

#[test]
fn a_saved_value_that_makes_no_sense_is_refused() {
    let dirs = Dirs::workspace_target();
    let run = grader_in(&dirs, &["config", "set", "backend", "dokcer"], &[]);
    run.assert_code(2);
    assert_eq!(run.stderr, "error: backend \"dokcer\" is not auto, docker or local\n");
    std::fs::write(dirs.state.path().join("config.toml"), "[server]\nbackend = \"dokcer\"\n")
        .unwrap();
    let run = grader_in(&dirs, &["check", "01"], &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("config.toml") && run.stderr.contains("dokcer"), "{}", run.stderr);
}
