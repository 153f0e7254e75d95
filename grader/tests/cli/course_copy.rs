//! A temporary course for `watch` to work on, so that no tracked file is ever
//! written. The cli tests and the workflow benchmark (which includes this file by
//! `#[path]`) share it.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// The workspace this file belongs to.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the grader is in the workspace")
        .to_path_buf()
}

/// A temporary course for `watch` to work on, so that no tracked file is ever written:
/// the workspace's Cargo.toml with one member, a copy named `package` of the test
/// package `watch_subject` (a right answer to exercise 02, split so that a test can
/// break `src/answer.rs`), the workspace's Cargo.lock, so that the same versions
/// resolve, and exercise 02's entry of course.toml (without the other tracks).
pub struct CourseCopy {
    dir: TempDir,
    package: String,
}

impl CourseCopy {
    pub fn new(package: &str) -> CourseCopy {
        let root = workspace_root();
        let dir = tempfile::Builder::new().prefix("grader-course-").tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
        let table = |path: &str| read(path).parse::<toml::Table>().unwrap();

        let mut manifest = table("Cargo.toml");
        let members = toml::Value::Array(vec![format!("programs/{package}").into()]);
        manifest["workspace"].as_table_mut().unwrap().insert("members".into(), members);
        write("Cargo.toml", &toml::to_string(&manifest).unwrap());
        write("Cargo.lock", &read("Cargo.lock"));

        let mut course = table("exercises/course.toml");
        let exercises = course["exercise"].as_array_mut().unwrap();
        exercises.retain(|exercise| exercise["name"].as_str() == Some("02_show_databases"));
        assert_eq!(exercises.len(), 1, "course.toml has exercise 02");
        // The other tracks name exercises the copy does not have.
        course.remove("track");
        write("exercises/course.toml", &toml::to_string(&course).unwrap());

        let subject = "grader/tests/programs/watch_subject";
        let mut package_manifest = table(&format!("{subject}/Cargo.toml"));
        package_manifest["package"].as_table_mut().unwrap().insert("name".into(), package.into());
        let to = format!("programs/{package}");
        write(&format!("{to}/Cargo.toml"), &toml::to_string(&package_manifest).unwrap());
        for file in ["src/main.rs", "src/answer.rs"] {
            write(&format!("{to}/{file}"), &read(&format!("{subject}/{file}")));
        }
        CourseCopy { dir, package: package.into() }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The file the test breaks, deletes and puts back.
    pub fn answer(&self) -> PathBuf {
        self.path().join(format!("programs/{}/src/answer.rs", self.package))
    }

    /// The file as copied.
    pub fn original_answer() -> String {
        let path = workspace_root().join("grader/tests/programs/watch_subject/src/answer.rs");
        std::fs::read_to_string(path).unwrap()
    }

    /// The grader's cargo builds in the real workspace's target folder, where the
    /// dependencies are built already, instead of building them afresh in the copy.
    /// The copy's package has a name of its own, so its program is never mistaken
    /// for one of the workspace's.
    pub fn env() -> Vec<(&'static str, String)> {
        let target = workspace_root().join("target");
        vec![("CARGO_TARGET_DIR", target.to_string_lossy().into_owned())]
    }
}
