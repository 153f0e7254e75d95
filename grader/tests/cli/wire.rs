//! `grader wire`: what the book shows of it is its real output (the untouched
//! exercise 06 and its solution on the local backend, with a fixed seed), and its
//! JSON has the documented shape.

use std::path::PathBuf;

use regex::Regex;
use serde_json::Value;

use crate::support::{docker_available, grader, mysql_image, workspace_root, Backend};

/// `grader wire 06` as a learner runs it, with what varies from run to run made
/// fixed: times, the sandbox's random name and the server's version.
fn wire_06(extra: &[&str]) -> String {
    let mut args = vec!["wire", "06", "--backend", "local", "--seed", "7", "--color", "never"];
    args.extend_from_slice(extra);
    let run = grader(&args);
    assert!(run.code == 0 || run.code == 1, "grader wire ended with {}: {}", run.code, run.stderr);
    let fixed = [
        (r"\bgr06_[a-z]{8}\b", "gr06_kqzvtmwa"),
        (r"opened at \d+ ms, closed at \d+ ms", "opened at 2 ms, closed at 9 ms"),
        (r"server \S+, login", "server 10.11.14-MariaDB-0+deb12u1, login"),
        (r"\b\d+\.\d+ s\b", "0.31 s"),
    ];
    fixed.iter().fold(run.stdout, |text, (pattern, with)| {
        Regex::new(pattern).unwrap().replace_all(&text, *with).into_owned()
    })
}

/// Compares `text` with the book's file `name`, or writes it there when
/// `SNAPSHOTS=overwrite` (or the file does not exist yet).
fn same_as_the_book(name: &str, text: &str) {
    let path: PathBuf = workspace_root().join("book/src/generated").join(name);
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") || !path.exists() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
    }
    let book = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        book, text,
        "the book's {name} is not what `grader wire` prints now: run SNAPSHOTS=overwrite cargo test -p grader --test cli wire"
    );
}

#[test]
fn the_book_shows_the_untouched_exercise_06_as_wire_prints_it() {
    let text = wire_06(&[]);
    assert!(
        text.contains(
            "→ COM_QUERY  SELECT id, name, email FROM customers WHERE name = '' OR '1'='1'"
        ),
        "{text}"
    );
    assert!(text.contains("✗ 06_sql_injection"), "{text}");
    same_as_the_book("wire-06-untouched.txt", &text);
}

#[test]
fn the_book_shows_the_solution_of_06_as_wire_prints_it() {
    let text = wire_06(&["--solutions"]);
    assert!(
        text.contains("→ COM_STMT_PREPARE  SELECT id, name, email FROM customers WHERE name = ?"),
        "{text}"
    );
    assert!(text.contains(r#"→ COM_STMT_EXECUTE  ["' OR '1'='1"]"#), "{text}");
    assert!(text.contains("✓ 06_sql_injection"), "{text}");
    // The book shows the heading, the run that tries the injection, and the verdict.
    let blocks: Vec<&str> = text.split("\n\n").collect();
    let injection = blocks.iter().find(|block| block.contains("Run 2: ")).unwrap();
    let excerpt = format!("{}\n\n{injection}\n\n{}", blocks[0], blocks[blocks.len() - 1]);
    same_as_the_book("wire-06-solution.txt", &excerpt);
}

#[test]
fn wire_json_has_the_documented_shape() {
    let run = grader(&["wire", "04", "--backend", "local", "--solutions", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["schema_version"], 1);
    assert_eq!(document["exercise"], "04_insert_rows");
    assert_eq!(document["status"], "passed");
    let connection = &document["runs"][0]["connections"][0];
    assert!(connection["user"].as_str().unwrap().starts_with("gr04_"));
    assert_eq!(connection["login"]["outcome"], "ok");
    let commands = connection["commands"].as_array().unwrap();
    let names: Vec<&str> = commands.iter().map(|c| c["command"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"COM_STMT_PREPARE") && names.contains(&"COM_STMT_EXECUTE"),
        "{names:?}"
    );
    let execute = commands.iter().find(|c| c["command"] == "COM_STMT_EXECUTE").unwrap();
    assert_eq!(execute["params"].as_array().unwrap().len(), 3);
    assert_eq!(execute["outcomes"][0]["outcome"], "ok");
    assert_eq!(execute["outcomes"][0]["affected_rows"], 1);
}

#[test]
fn wire_names_one_exercise() {
    let run = grader(&["wire", "04", "05"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "error: wire shows one exercise at a time, and 2 were named: name one, such as `cargo grader wire 06`"
    );
}

/// The recording of `grader wire EXERCISE --solutions` on `backend`, as JSON.
fn solution_wire(backend: &Backend, exercise: &str) -> Value {
    let run = backend.run("wire", &[exercise, "--solutions", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

/// Every connection of every run logged in and was read to its end, and the
/// prepared statements carried `params` parameters each.
fn prepared_all_the_way(document: &Value, params: usize) -> usize {
    let mut executes = 0;
    for run in document["runs"].as_array().unwrap() {
        for connection in run["connections"].as_array().unwrap() {
            assert_eq!(connection["login"]["outcome"], "ok", "{connection}");
            assert!(connection["undecoded"].is_null(), "{connection}");
            for command in connection["commands"].as_array().unwrap() {
                if command["command"] == "COM_STMT_EXECUTE" {
                    assert_eq!(command["params"].as_array().unwrap().len(), params, "{command}");
                    assert!(command["sql"].as_str().unwrap().contains('?'), "{command}");
                    executes += 1;
                }
            }
        }
    }
    executes
}

#[test]
fn the_recorder_follows_sqlx_as_well_as_the_mysql_crate() {
    let sqlx = solution_wire(&Backend::Local, "12");
    assert!(prepared_all_the_way(&sqlx, 4) >= 2, "{sqlx}");
    let mysql = solution_wire(&Backend::Local, "05");
    assert!(prepared_all_the_way(&mysql, 4) >= 2, "{mysql}");
}

#[test]
fn the_recorder_hides_mysqls_tls_offer_and_follows_its_login() {
    if !docker_available() {
        return;
    }
    let Some(image) = mysql_image() else { return };
    let document = solution_wire(&Backend::Docker(image), "12");
    let connection = &document["runs"][0]["connections"][0];
    assert_eq!(connection["tls_hidden"], true, "{connection}");
    assert_eq!(connection["auth_plugin"], "caching_sha2_password", "{connection}");
    assert!(prepared_all_the_way(&document, 4) >= 2, "{document}");
}
