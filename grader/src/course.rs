//! The course as `exercises/course.toml` describes it, and where the workspace is.
//! The course's exercises are the Rust track's; a `[[track]]` (Python's) takes some
//! of them, in its own folder, with its own hints where its task differs.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;

/// How long one run of an exercise's program may take when course.toml says nothing.
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// What an exercise is worth in a gradebook when course.toml says nothing.
pub const DEFAULT_POINTS: u32 = 1;

/// Every exercise of the course, in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// The exercises, in the order a learner does them.
    #[serde(rename = "exercise")]
    pub exercises: Vec<Exercise>,
    /// The tracks in other languages.
    #[serde(default, rename = "track")]
    pub tracks: Vec<TrackSpec>,
}

/// The name of the course's own track, the Rust one of `exercises/`.
pub const RUST_TRACK: &str = "rust";

/// A track in another language: some of the course's exercises, in a folder of
/// their own (`FOLDER/exercises/NN_slug`, `FOLDER/solutions/NN_slug`), checked by
/// the same checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackSpec {
    /// The name `--track` takes (`python`).
    pub name: String,
    /// One line that says what the track is.
    pub title: String,
    /// Its folder, relative to the workspace root.
    pub folder: PathBuf,
    /// Its exercises, each one of the course's, in course order.
    #[serde(rename = "exercise")]
    pub exercises: Vec<TrackExercise>,
}

/// One exercise of a track: the course's exercise of the same name, with what
/// differs in this language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackExercise {
    /// `NN_slug`, the name of the course's exercise.
    pub name: String,
    /// A title of its own, if the course's names another language's library.
    #[serde(default)]
    pub title: Option<String>,
    /// The hints in this language (the course's are Rust's).
    pub hints: Vec<String>,
    /// As the course's `untouched`, for this track's stub.
    #[serde(default)]
    pub untouched: Option<String>,
}

/// One exercise: its folder, crate names, title, limits and hints.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `NN_slug`: the folder under `exercises/` and `solutions/`, the check and the book chapter.
    pub name: String,
    /// One line that says what the exercise is about.
    pub title: String,
    /// Seconds one run of the program may take before it is stopped.
    #[serde(default = "default_timeout")]
    pub timeout: u64,
    /// What the exercise is worth when graded (`grade`, `--format junit|gradescope`,
    /// the classroom workflow): all of it when its check passes, none otherwise.
    #[serde(default = "default_points")]
    pub points: u32,
    /// Hints, from a nudge to nearly the answer.
    pub hints: Vec<String>,
    /// Words the check's failure holds when the exercise is run as shipped, for an
    /// exercise whose given code runs instead of stopping at a `todo!()` (06 ships
    /// working but injectable code). `None`: the untouched exercise is "not
    /// implemented yet".
    #[serde(default)]
    pub untouched: Option<String>,
    /// The folder of the track this exercise is on, relative to the workspace root;
    /// `None` for the course's own Rust exercises.
    #[serde(skip)]
    pub track_folder: Option<PathBuf>,
}

fn default_timeout() -> u64 {
    DEFAULT_TIMEOUT_SECS
}

fn default_points() -> u32 {
    DEFAULT_POINTS
}

/// Which of the two crates of an exercise to build and check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    /// The learner's crate, `exercises/NN_slug` (package `exNN_slug`).
    Exercises,
    /// The reference solution, `solutions/NN_slug` (package `solNN_slug`).
    Solutions,
}

impl Exercise {
    /// The two-digit number, `"01"` for `01_connect`.
    pub fn number(&self) -> &str {
        self.name.split_once('_').map_or(&*self.name, |(number, _)| number)
    }

    /// The part after the number, `"connect"` for `01_connect`.
    pub fn slug(&self) -> &str {
        self.name.split_once('_').map_or(&*self.name, |(_, slug)| slug)
    }

    /// The cargo package that holds this exercise on `track`.
    pub fn package(&self, track: Track) -> String {
        let prefix = match track {
            Track::Exercises => "ex",
            Track::Solutions => "sol",
        };
        format!("{prefix}{}", self.name)
    }

    /// The folder of this exercise on `track`, relative to the workspace root.
    pub fn dir(&self, track: Track) -> PathBuf {
        let top = match track {
            Track::Exercises => "exercises",
            Track::Solutions => "solutions",
        };
        let base = self.track_folder.as_deref().unwrap_or(Path::new(""));
        base.join(top).join(&self.name)
    }

    /// Whether this exercise is on a Python track rather than the Rust one.
    pub fn is_python(&self) -> bool {
        self.track_folder.is_some()
    }

    /// The option that names this exercise's track in a command, with a space after
    /// it: `"--track python "`, or nothing on the Rust track.
    pub fn track_option(&self) -> &'static str {
        if self.is_python() {
            "--track python "
        } else {
            ""
        }
    }

    /// What the learner replaces in the stub: `todo!()`, or Python's
    /// `raise NotImplementedError`.
    pub fn stub_marker(&self) -> &'static str {
        if self.is_python() {
            "`raise NotImplementedError`"
        } else {
            "todo!()"
        }
    }

    /// Whether `query` names this exercise: `02`, `2`, `02_show_databases` or `show_databases`.
    pub fn matches(&self, query: &str) -> bool {
        let same_number = || query.parse::<u32>().ok() == self.number().parse::<u32>().ok();
        query == self.name || query == self.slug() || (!query.is_empty() && same_number())
    }
}

impl Course {
    /// Reads and validates `exercises/course.toml` under `root`.
    pub fn load(root: &Path) -> Result<Course> {
        let path = root.join("exercises").join("course.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the course file {}", path.display()))?;
        Course::parse(&text)
            .with_context(|| format!("{} is not a valid course file", path.display()))
    }

    /// The course on the track named `name`: the course itself for `rust` (or
    /// none), else that track's exercises with their own hints. An unknown name is
    /// an error that lists the tracks.
    pub fn on_track(&self, name: Option<&str>) -> Result<Course> {
        let name = name.unwrap_or(RUST_TRACK);
        if name == RUST_TRACK {
            return Ok(self.clone());
        }
        let Some(track) = self.tracks.iter().find(|track| track.name == name) else {
            let names: Vec<&str> = std::iter::once(RUST_TRACK)
                .chain(self.tracks.iter().map(|track| track.name.as_str()))
                .collect();
            bail!("there is no track {name:?}; the tracks are: {}", names.join(", "));
        };
        let exercises = self
            .exercises
            .iter()
            .filter_map(|exercise| {
                let own = track.exercises.iter().find(|own| own.name == exercise.name)?;
                Some(Exercise {
                    title: own.title.clone().unwrap_or_else(|| exercise.title.clone()),
                    hints: own.hints.clone(),
                    untouched: own.untouched.clone(),
                    track_folder: Some(track.folder.clone()),
                    ..exercise.clone()
                })
            })
            .collect();
        Ok(Course { exercises, tracks: Vec::new() })
    }

    /// Parses and validates the text of a course file.
    pub fn parse(text: &str) -> Result<Course> {
        let course: Course = toml::from_str(text)?;
        course.validate()?;
        Ok(course)
    }

    fn validate(&self) -> Result<()> {
        for (index, exercise) in self.exercises.iter().enumerate() {
            let (number, slug) = exercise.name.split_once('_').unwrap_or(("", ""));
            if number.len() != 2 || !number.bytes().all(|b| b.is_ascii_digit()) || slug.is_empty() {
                bail!("exercise name {:?} is not of the form NN_slug", exercise.name);
            }
            if self.exercises[..index].iter().any(|other| other.number() == number) {
                bail!("two exercises are numbered {number}");
            }
            if exercise.hints.is_empty() || exercise.hints.iter().any(|hint| hint.trim().is_empty())
            {
                bail!("exercise {} needs at least one hint, and no empty ones", exercise.name);
            }
            if exercise.untouched.as_ref().is_some_and(|words| words.trim().is_empty()) {
                bail!("exercise {} has an empty `untouched`: give the words its failure holds, or leave it out", exercise.name);
            }
            if exercise.timeout == 0 {
                bail!("exercise {} has a timeout of 0 seconds", exercise.name);
            }
            if exercise.points == 0 {
                bail!(
                    "exercise {} is worth 0 points: give it a positive whole number, or leave \
                     `points` out for {DEFAULT_POINTS}",
                    exercise.name
                );
            }
        }
        for track in &self.tracks {
            if track.name != "python" {
                bail!("track {:?}: the grader runs only a Python track beside Rust's", track.name);
            }
            let mut last = None;
            for own in &track.exercises {
                let Some(at) = self.exercises.iter().position(|e| e.name == own.name) else {
                    bail!("track {}: the course has no exercise {}", track.name, own.name);
                };
                if last.is_some_and(|last| at <= last) {
                    bail!(
                        "track {}: {} is out of course order, or named twice",
                        track.name,
                        own.name
                    );
                }
                last = Some(at);
                if own.hints.is_empty() || own.hints.iter().any(|hint| hint.trim().is_empty()) {
                    bail!(
                        "track {}: exercise {} needs at least one hint, and no empty ones",
                        track.name,
                        own.name
                    );
                }
            }
        }
        Ok(())
    }

    /// The exercises that `queries` name, in course order; all of them when `queries` is empty.
    ///
    /// An unknown name is an error that lists the valid ones.
    pub fn select(&self, queries: &[String]) -> Result<Vec<Exercise>> {
        if let Some(unknown) = queries
            .iter()
            .find(|query| !self.exercises.iter().any(|exercise| exercise.matches(query)))
        {
            let names: Vec<&str> = self.exercises.iter().map(|e| e.name.as_str()).collect();
            bail!("there is no exercise {unknown:?}; the exercises are: {}", names.join(", "));
        }
        Ok(self
            .exercises
            .iter()
            .filter(|exercise| queries.is_empty() || queries.iter().any(|q| exercise.matches(q)))
            .cloned()
            .collect())
    }
}

/// Finds the course's workspace: the nearest folder at or above the current one that
/// holds `exercises/course.toml`, else the workspace this grader was built from.
pub fn find_root() -> Result<PathBuf> {
    let here = std::env::current_dir().context("cannot read the current directory")?;
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf);
    here.ancestors()
        .map(Path::to_path_buf)
        .chain(built_from)
        .find(|dir| dir.join("exercises").join("course.toml").is_file())
        .context("cannot find exercises/course.toml here or in any folder above; run the grader from inside the course's folder")
}

#[cfg(test)]
mod tests {
    use super::*;

    const COURSE: &str = r#"
        [[exercise]]
        name = "01_connect"
        title = "Connect"
        hints = ["one"]

        [[exercise]]
        name = "02_show_databases"
        title = "Show"
        timeout = 3
        points = 4
        hints = ["one", "two"]
    "#;

    #[test]
    fn parses_names_packages_and_limits() {
        let course = Course::parse(COURSE).unwrap();
        let [first, second] = &course.exercises[..] else { panic!("two exercises") };
        assert_eq!(first.package(Track::Exercises), "ex01_connect");
        assert_eq!(second.package(Track::Solutions), "sol02_show_databases");
        assert_eq!(second.dir(Track::Exercises), Path::new("exercises/02_show_databases"));
        assert_eq!((first.timeout, second.timeout), (DEFAULT_TIMEOUT_SECS, 3));
        assert_eq!((first.points, second.points), (DEFAULT_POINTS, 4));
    }

    #[test]
    fn selects_by_number_slug_or_name_in_course_order() {
        let course = Course::parse(COURSE).unwrap();
        for query in ["02", "2", "show_databases", "02_show_databases"] {
            let picked = course.select(&[query.to_string()]).unwrap();
            assert_eq!(picked.len(), 1, "{query}");
            assert_eq!(picked[0].name, "02_show_databases", "{query}");
        }
        let both = course.select(&["02".into(), "01".into()]).unwrap();
        assert_eq!(both[0].name, "01_connect");
        assert_eq!(course.select(&[]).unwrap().len(), 2);
    }

    #[test]
    fn an_unknown_exercise_lists_the_valid_ones() {
        let course = Course::parse(COURSE).unwrap();
        let error = course.select(&["7".into()]).unwrap_err().to_string();
        assert!(error.contains("no exercise \"7\""), "{error}");
        assert!(error.contains("01_connect, 02_show_databases"), "{error}");
    }

    #[test]
    fn rejects_bad_names_duplicates_and_missing_hints() {
        let bad = [
            ("connect", r#"name = "connect""#),
            ("numbered 01", r#"name = "01_again""#),
            (
                "hint",
                r#"name = "03_x"
                hints = []"#,
            ),
            (
                "is worth 0 points",
                r#"name = "03_x"
                points = 0"#,
            ),
            (
                "has an empty `untouched`",
                r#"name = "03_x"
                untouched = " ""#,
            ),
        ];
        for (expected, entry) in bad {
            let text = format!(
                "{COURSE}\n[[exercise]]\n{entry}\ntitle = \"t\"\n{}",
                if entry.contains("hints") { "" } else { "hints = [\"h\"]" }
            );
            let error = format!("{:#}", Course::parse(&text).unwrap_err());
            assert!(error.contains(expected), "{expected}: {error}");
        }
    }

    #[test]
    fn a_track_takes_its_exercises_with_its_own_hints() {
        let text = format!(
            "{COURSE}\n[[track]]\nname = \"python\"\ntitle = \"Python\"\nfolder = \"tracks/python\"\n\
             [[track.exercise]]\nname = \"02_show_databases\"\nhints = [\"cursor.fetchall()\"]\n"
        );
        let course = Course::parse(&text).unwrap();
        let python = course.on_track(Some("python")).unwrap();
        let [only] = &python.exercises[..] else { panic!("one exercise") };
        assert_eq!((only.title.as_str(), only.hints.len(), only.timeout), ("Show", 1, 3));
        assert_eq!(
            only.dir(Track::Solutions),
            Path::new("tracks/python/solutions/02_show_databases")
        );
        assert_eq!(course.on_track(None).unwrap().exercises.len(), 2);
        let error = course.on_track(Some("go")).unwrap_err().to_string();
        assert_eq!(error, "there is no track \"go\"; the tracks are: rust, python");
        let unknown = text.replace("name = \"02_show_databases\"\nhints", "name = \"07_x\"\nhints");
        let error = format!("{:#}", Course::parse(&unknown).unwrap_err());
        assert!(error.contains("the course has no exercise 07_x"), "{error}");
    }

    #[test]
    fn the_shipped_course_is_valid() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let course = Course::load(root).unwrap();
        for exercise in &course.exercises {
            for track in [Track::Exercises, Track::Solutions] {
                let manifest = root.join(exercise.dir(track)).join("Cargo.toml");
                let text = std::fs::read_to_string(&manifest).unwrap();
                let package = format!("name = \"{}\"", exercise.package(track));
                assert!(text.contains(&package), "{} names {package}", manifest.display());
            }
        }
    }
}
