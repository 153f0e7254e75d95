//! The guard on the real workspace and on temporary copies with a piece removed, and
//! the generator on a temporary copy.

use std::fs;
use std::path::{Path, PathBuf};

use grader::course::Course;
use xtask::guard::problems;
use xtask::new_exercise::{create, NewExercise};

fn real_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A temporary copy of what the guard and the generator read and write: course.toml,
/// the exercises' and solutions' manifests, the book's summary, introduction and
/// exercise chapters, and the checks' module.
fn copy_of_the_course() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let real = real_root();
    let mut files = vec![
        PathBuf::from("exercises/course.toml"),
        PathBuf::from("book/src/SUMMARY.md"),
        PathBuf::from("book/src/introduction.md"),
        PathBuf::from("grader/src/checks/mod.rs"),
    ];
    for exercise in Course::load(&real).unwrap().exercises {
        for top in ["exercises", "solutions"] {
            files.push(Path::new(top).join(&exercise.name).join("Cargo.toml"));
        }
        files.push(PathBuf::from(format!("book/src/exercises/{}.md", exercise.name)));
    }
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
    let cases: [Removal<'_>; 5] = [
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
