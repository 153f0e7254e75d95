//! The guard on the real workspace and on temporary copies with a piece removed, the
//! generator on a temporary copy, and the book's copies of exercise files in a temporary
//! copy with and without git.

use std::fs;
use std::path::{Path, PathBuf};

use book_check::include;
use grader::course::{Course, Track};
use xtask::guard::problems;
use xtask::new_exercise::{create, NewExercise};
use xtask::sync_book::{self, Source};

fn real_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A temporary copy of what the guard and the generator read and write: course.toml,
/// the exercises' and solutions' manifests and sources, the book's summary,
/// introduction and exercise chapters, the book's copies of exercise files, the
/// checks' module and the classroom workflow. It is not a git checkout.
fn copy_of_the_course() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let real = real_root();
    let mut files = vec![
        PathBuf::from("exercises/course.toml"),
        PathBuf::from("book/src/SUMMARY.md"),
        PathBuf::from("book/src/introduction.md"),
        PathBuf::from("grader/src/checks/mod.rs"),
        PathBuf::from(xtask::classroom::PATH),
    ];
    let course = Course::load(&real).unwrap();
    for spec in &course.tracks {
        for exercise in course.on_track(Some(&spec.name)).unwrap().exercises {
            let stub = exercise.dir(Track::Exercises);
            files.extend(["lib.py", "main.py", "README.md"].map(|file| stub.join(file)));
            files.push(exercise.dir(Track::Solutions).join("lib.py"));
        }
    }
    for exercise in course.exercises {
        for top in ["exercises", "solutions"] {
            files.push(Path::new(top).join(&exercise.name).join("Cargo.toml"));
            for file in ["src/lib.rs", "src/main.rs"] {
                files.push(Path::new(top).join(&exercise.name).join(file));
            }
        }
        files.push(PathBuf::from(format!("book/src/exercises/{}.md", exercise.name)));
    }
    files.push(sync_book::copies_dir().join("README.md"));
    files.extend(sync_book::copies(&real).unwrap());
    for file in files {
        let to = copy.path().join(&file);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(real.join(&file), to).unwrap();
    }
    copy
}

/// A piece of a copy removed: what it is, how to remove it, and the problem the
/// guard must name for it.
type Removal<'a> = (&'a str, &'a dyn Fn(&Path), &'a str);

/// The registry as the copy's checks module spells it.
fn registered_in(root: &Path) -> impl Fn(&str) -> bool {
    let text = fs::read_to_string(root.join("grader/src/checks/mod.rs")).unwrap();
    move |name: &str| text.contains(&format!("(\"{name}\", &"))
}

#[test]
fn every_exercise_of_the_real_course_is_in_all_its_places() {
    let found =
        problems(&real_root(), &|name| grader::checks::for_exercise(name).is_some()).unwrap();
    assert_eq!(found, Vec::<String>::new());
    let course = Course::load(&real_root()).unwrap();
    let checked: Vec<&str> = grader::checks::exercises().collect();
    let listed: Vec<&str> = course.exercises.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(checked, listed, "the registry and course.toml list the same exercises, in order");
}

#[test]
fn each_missing_piece_is_named() {
    let cases: [Removal<'_>; 6] = [
        (
            "a Python solution",
            &|root| fs::remove_dir_all(root.join("tracks/python/solutions/02_show_databases")).unwrap(),
            "02_show_databases: tracks/python/solutions/02_show_databases/lib.py is missing (track python)",
        ),
        (
            "a solution",
            &|root| fs::remove_dir_all(root.join("solutions/03_create_schema")).unwrap(),
            "03_create_schema: solutions/03_create_schema/Cargo.toml is missing",
        ),
        (
            "a summary line",
            &|root| {
                let path = root.join("book/src/SUMMARY.md");
                let text = fs::read_to_string(&path).unwrap();
                let kept: Vec<&str> =
                    text.lines().filter(|l| !l.contains("07_transactions")).collect();
                fs::write(path, kept.join("\n")).unwrap();
            },
            "07_transactions: book/src/SUMMARY.md lists no chapter exercises/07_transactions.md",
        ),
        (
            "a row of the introduction",
            &|root| {
                let path = root.join("book/src/introduction.md");
                let text = fs::read_to_string(&path).unwrap();
                let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("| 11 |")).collect();
                fs::write(path, kept.join("\n")).unwrap();
            },
            "11_web_tier: the table of exercises in book/src/introduction.md has no row for it",
        ),
        (
            "a check",
            &|root| {
                let path = root.join("grader/src/checks/mod.rs");
                let text = fs::read_to_string(&path)
                    .unwrap()
                    .replace("(\"09_errors\", &errors::Errors),", "");
                fs::write(path, text).unwrap();
            },
            "09_errors: the grader has no check for it (grader/src/checks/mod.rs, `CHECKS`)",
        ),
        (
            "a course entry, leaving its folder behind",
            &|root| {
                let path = root.join("exercises/course.toml");
                let text = fs::read_to_string(&path).unwrap();
                let cut = text.find("[[exercise]]\nname = \"12_second_client\"").unwrap();
                fs::write(path, &text[..cut]).unwrap();
            },
            "12_second_client: exercises/12_second_client/ is not in exercises/course.toml",
        ),
    ];
    for (what, remove, expected) in cases {
        let copy = copy_of_the_course();
        assert_eq!(
            problems(copy.path(), &registered_in(copy.path())).unwrap(),
            Vec::<String>::new()
        );
        remove(copy.path());
        let found = problems(copy.path(), &registered_in(copy.path())).unwrap();
        assert!(found.iter().any(|line| line == expected), "without {what}: {found:#?}");
    }
}

#[test]
fn a_new_exercise_is_in_all_its_places_and_a_second_one_with_its_number_is_refused() {
    let copy = copy_of_the_course();
    let new = NewExercise::parse("13_stored_procedures", "Call a stored procedure").unwrap();
    let written = create(copy.path(), &new).unwrap();
    for file in [
        "exercises/13_stored_procedures/src/lib.rs",
        "solutions/13_stored_procedures/src/main.rs",
        "grader/src/checks/stored_procedures.rs",
        "book/src/exercises/13_stored_procedures.md",
        "book/shipped/exercises/13_stored_procedures/src/lib.rs",
        "book/shipped/exercises/13_stored_procedures/src/main.rs",
    ] {
        assert!(copy.path().join(file).is_file(), "{file} was not made");
        assert!(written.contains(&PathBuf::from(file)), "{file} is not in {written:?}");
    }
    let course = Course::load(copy.path()).unwrap();
    let last = course.exercises.last().unwrap();
    assert_eq!(
        (last.name.as_str(), last.title.as_str()),
        ("13_stored_procedures", "Call a stored procedure")
    );
    assert_eq!(problems(copy.path(), &registered_in(copy.path())).unwrap(), Vec::<String>::new());
    let lib =
        fs::read_to_string(copy.path().join("exercises/13_stored_procedures/src/lib.rs")).unwrap();
    assert!(lib.contains("todo!("), "the learner's part starts as a todo!()");
    let copied = fs::read_to_string(
        copy.path().join("book/shipped/exercises/13_stored_procedures/src/lib.rs"),
    )
    .unwrap();
    assert_eq!(copied, lib, "the book's copy is the stub as made");
    let chapter = copy.path().join("book/src/exercises");
    let text = fs::read_to_string(chapter.join("13_stored_procedures.md")).unwrap();
    for include in include::includes(&text) {
        let shown = include::resolve(&chapter, &include).unwrap();
        assert!(!shown.trim().is_empty(), "{}", include.written);
    }

    let before = fs::read_to_string(copy.path().join("exercises/course.toml")).unwrap();
    let again = NewExercise::parse("13_other", "Other").unwrap();
    let error = create(copy.path(), &again).unwrap_err().to_string();
    assert!(
        error.starts_with("the number is taken by the exercise 13_stored_procedures"),
        "{error}"
    );
    let same_slug = NewExercise::parse("14_stored_procedures", "Again").unwrap();
    assert!(create(copy.path(), &same_slug)
        .unwrap_err()
        .to_string()
        .starts_with("the slug is taken"));
    assert_eq!(fs::read_to_string(copy.path().join("exercises/course.toml")).unwrap(), before);
}

#[test]
fn outside_the_workspace_it_says_where_to_run() {
    let elsewhere = tempfile::tempdir().unwrap();
    let error = xtask::workspace_root(elsewhere.path()).unwrap_err().to_string();
    assert!(error.ends_with("run cargo xtask from the course's folder"), "{error}");
}

/// `file` (relative to `root`) with `from` replaced by `to`, which must be there.
fn replace_in(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const CONNECT: &str = "exercises/01_connect/src/lib.rs";
const CONNECT_COPY: &str = "book/shipped/exercises/01_connect/src/lib.rs";
const CONNECT_CHAPTER: &str = "book/src/exercises/01_connect.md";

/// `expected` with each `[CHAPTER:anchor]` made `book/src/exercises/01_connect.md:N`,
/// N being the line where the chapter includes that anchor of the exercise's
/// `lib.rs`, so that the tests follow the chapter's edits.
fn placed(expected: &str) -> String {
    let chapter = fs::read_to_string(real_root().join(CONNECT_CHAPTER)).unwrap();
    ["stub", "server_info"].iter().fold(expected.to_string(), |text, anchor| {
        let include = format!("01_connect/src/lib.rs:{anchor}}}}}");
        let Some(line) = chapter.lines().position(|line| line.contains(&include)) else {
            return text;
        };
        text.replace(&format!("[CHAPTER:{anchor}]"), &format!("{CONNECT_CHAPTER}:{}", line + 1))
    })
}

#[test]
fn each_disagreement_between_the_book_and_its_copies_is_named_with_the_fix() {
    let cases: [Removal<'_>; 5] = [
        (
            "an include of the exercise file itself",
            &|root| {
                replace_in(
                    root,
                    CONNECT_CHAPTER,
                    "../../shipped/exercises/01_connect/src/lib.rs:stub",
                    "../../../exercises/01_connect/src/lib.rs:stub",
                )
            },
            "[CHAPTER:stub]: {{#include ../../../exercises/01_connect/src/lib.rs:stub}} includes exercises/01_connect/src/lib.rs, which learners edit, so the book would show their code: include its copy book/shipped/exercises/01_connect/src/lib.rs instead (run `cargo xtask sync-book`)",
        ),
        (
            "a copy that differs from its exercise file",
            &|root| replace_in(root, CONNECT_COPY, "todo!(", "unimplemented!("),
            "book/shipped/exercises/01_connect/src/lib.rs is not exercises/01_connect/src/lib.rs as it is in the working tree, so the book shows other code than the exercise has: run `cargo xtask sync-book`",
        ),
        (
            "a copy with no exercise file behind it",
            &|root| {
                let stale = root.join("book/shipped/exercises/00_gone/src/lib.rs");
                fs::create_dir_all(stale.parent().unwrap()).unwrap();
                fs::write(stale, "// ANCHOR: stub\n// ANCHOR_END: stub\n").unwrap();
            },
            "book/shipped/exercises/00_gone/src/lib.rs is a copy of exercises/00_gone/src/lib.rs, which is not there: run `cargo xtask sync-book`, which removes the copy",
        ),
        (
            "a copy no chapter includes",
            &|root| {
                fs::write(root.join("book/shipped/exercises/01_connect/Cargo.toml"), "").unwrap();
                fs::copy(
                    root.join("exercises/01_connect/Cargo.toml"),
                    root.join("book/shipped/exercises/01_connect/Cargo.toml"),
                )
                .unwrap();
            },
            "book/shipped/exercises/01_connect/Cargo.toml is included by no chapter: run `cargo xtask sync-book`, which removes it",
        ),
        (
            "a copy a chapter includes",
            &|root| fs::remove_file(root.join(CONNECT_COPY)).unwrap(),
            "[CHAPTER:server_info]: {{#include ../../shipped/exercises/01_connect/src/lib.rs:server_info}} includes book/shipped/exercises/01_connect/src/lib.rs, which is missing: run `cargo xtask sync-book`",
        ),
    ];
    for (what, change, expected) in cases {
        let copy = copy_of_the_course();
        let root = copy.path();
        assert_eq!(problems(root, &registered_in(root)).unwrap(), Vec::<String>::new());
        change(root);
        let found = problems(root, &registered_in(root)).unwrap();
        let expected = placed(expected);
        assert!(found.contains(&expected), "with {what}: {found:#?}");
        sync_book::sync(root, Source::Committed).unwrap();
        let after = problems(root, &registered_in(root)).unwrap();
        assert_eq!(after, Vec::<String>::new(), "after sync-book, with {what}");
    }
}

#[test]
fn sync_book_points_includes_at_copies_and_changes_nothing_twice() {
    let copy = copy_of_the_course();
    let root = copy.path();
    replace_in(
        root,
        "book/src/exercises/04_insert_rows.md",
        "../../shipped/exercises/04_insert_rows/src/main.rs:main",
        "../../../exercises/04_insert_rows/src/main.rs:main",
    );
    fs::remove_dir_all(root.join("book/shipped/exercises/04_insert_rows")).unwrap();
    let synced = sync_book::sync(root, Source::Committed).unwrap();
    assert_eq!(synced.chapters, [PathBuf::from("book/src/exercises/04_insert_rows.md")]);
    assert_eq!(
        synced.written,
        [
            PathBuf::from("book/shipped/exercises/04_insert_rows/src/lib.rs"),
            PathBuf::from("book/shipped/exercises/04_insert_rows/src/main.rs"),
        ]
    );
    let chapter = fs::read_to_string(root.join("book/src/exercises/04_insert_rows.md")).unwrap();
    assert!(
        chapter.contains("{{#include ../../shipped/exercises/04_insert_rows/src/main.rs:main}}")
    );
    assert!(!chapter.contains("../../../exercises/"), "{chapter}");
    let again = sync_book::sync(root, Source::Committed).unwrap();
    assert!(again.chapters.is_empty() && again.written.is_empty() && again.removed.is_empty());
    assert_eq!(again.unchanged, synced.written.len() + synced.unchanged);
}

#[test]
fn an_include_of_a_file_that_is_nowhere_changes_nothing() {
    let copy = copy_of_the_course();
    let root = copy.path();
    replace_in(
        root,
        CONNECT_CHAPTER,
        "../../shipped/exercises/01_connect/src/lib.rs:stub",
        "../../../exercises/01_connect/src/gone.rs:stub",
    );
    let before = fs::read_to_string(root.join(CONNECT_CHAPTER)).unwrap();
    let error = format!("{:#}", sync_book::sync(root, Source::Committed).unwrap_err());
    assert_eq!(
        error,
        placed("nothing was changed:\n  exercises/01_connect/src/gone.rs is included by [CHAPTER:stub], but it is not in the working tree: fix the include, or add the file")
    );
    assert_eq!(fs::read_to_string(root.join(CONNECT_CHAPTER)).unwrap(), before);
}

fn git(root: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=Course", "-c", "user.email=course@example.org"])
        .args(["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?} failed");
}

/// What the chapter of 01 shows for its `stub` include, as mdBook would include it.
fn stub_shown(root: &Path) -> String {
    let dir = root.join("book/src/exercises");
    let text = fs::read_to_string(root.join(CONNECT_CHAPTER)).unwrap();
    let stub = include::includes(&text).into_iter().find(|i| i.anchor() == Some("stub")).unwrap();
    include::resolve(&dir, &stub).unwrap()
}

#[test]
fn in_git_a_learners_edit_never_reaches_the_book_and_a_committed_change_must_be_synced() {
    if book_check::require_tool(&["git"], "install git").is_none() {
        return;
    }
    let copy = copy_of_the_course();
    let root = copy.path();
    git(root, &["init", "--quiet"]);
    git(root, &["add", "--all"]);
    git(root, &["commit", "--quiet", "--message", "The course as shipped"]);
    let shipped = stub_shown(root);
    assert!(shipped.contains("todo!("), "{shipped}");

    // A learner solves the exercise and deletes its anchors: the book still shows the
    // stub, the guard has nothing to say, and sync-book (run by mistake) keeps the stub.
    let solved = "pub fn connect() -> String {\n    \"my own answer\".to_string()\n}\n";
    fs::write(root.join(CONNECT), solved).unwrap();
    assert_eq!(stub_shown(root), shipped);
    assert_eq!(problems(root, &registered_in(root)).unwrap(), Vec::<String>::new());
    let synced = sync_book::sync(root, Source::Committed).unwrap();
    assert!(synced.written.is_empty(), "{:?}", synced.written);
    assert_eq!(
        synced.notes,
        ["exercises/01_connect/src/lib.rs has changes that are not committed; its copy is the version at git HEAD (commit them and run `cargo xtask sync-book` again, or run `cargo xtask sync-book --working-tree`)"]
    );
    assert_eq!(stub_shown(root), shipped);

    // A contributor changes the stub and commits it without its copy: the guard says so
    // (as CI, on a clean clone, would), and sync-book brings the copy along.
    let changed =
        fs::read_to_string(root.join(CONNECT_COPY)).unwrap().replace("todo!(", "todo!(/* new */");
    fs::write(root.join(CONNECT), &changed).unwrap();
    git(root, &["commit", "--quiet", "--all", "--message", "A new stub"]);
    let found = problems(root, &registered_in(root)).unwrap();
    assert_eq!(
        found,
        ["book/shipped/exercises/01_connect/src/lib.rs is not exercises/01_connect/src/lib.rs as it is at git HEAD or in the working tree, so the book shows other code than the exercise has: run `cargo xtask sync-book`"]
    );
    let synced = sync_book::sync(root, Source::Committed).unwrap();
    assert_eq!(synced.written, [PathBuf::from(CONNECT_COPY)]);
    assert_eq!(problems(root, &registered_in(root)).unwrap(), Vec::<String>::new());
    assert!(stub_shown(root).contains("todo!(/* new */"));

    // Changing a stub and its copy in one commit: --working-tree copies the edit, and
    // the guard accepts it before the commit and after.
    let third = changed.replace("/* new */", "/* third */");
    fs::write(root.join(CONNECT), &third).unwrap();
    sync_book::sync(root, Source::WorkingTree).unwrap();
    assert_eq!(fs::read_to_string(root.join(CONNECT_COPY)).unwrap(), third);
    assert_eq!(problems(root, &registered_in(root)).unwrap(), Vec::<String>::new());
    git(root, &["commit", "--quiet", "--all", "--message", "A third stub, with its copy"]);
    assert_eq!(problems(root, &registered_in(root)).unwrap(), Vec::<String>::new());
}
