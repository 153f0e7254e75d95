//! The Python track's programs. An exercise's given `main.py` is run by the
//! interpreter of the track's virtual environment (`FOLDER/.venv`, made by
//! `scripts/setup-python.sh`), with the learner's `lib.py`, or the solution's, first
//! on its path: one `main.py`, two libraries, as the Rust track's solutions include
//! the exercise's `main.rs`.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::course::{Exercise, Track};
use crate::runner::Program;

/// The virtual environment's folder, in the track's folder.
pub const VENV: &str = ".venv";

/// The command that makes the virtual environment, as README.md shows it.
pub const SETUP_COMMAND: &str = "scripts/setup-python.sh";

/// The interpreter of the virtual environment of the track in `track_folder`
/// (relative to `root`), or an error that says how to make it.
pub fn interpreter(root: &Path, track_folder: &Path) -> Result<PathBuf> {
    let venv = track_folder.join(VENV);
    let python = root.join(&venv).join("bin").join("python");
    if !python.is_file() {
        bail!(
            "the Python track runs in its virtual environment, {}, and there is none: run \
             `{SETUP_COMMAND}` once (it installs the drivers pinned in {}), then check again",
            venv.display(),
            track_folder.join("requirements.txt").display()
        );
    }
    Ok(python)
}

/// The program for `exercise` of a Python track on `track` (the learner's or the
/// solution's), run from `root`: `python -P EXERCISE/main.py` with `PYTHONPATH` the
/// folder whose `lib.py` it imports. `-P` keeps `main.py`'s own folder off the path,
/// so the solution's `lib.py` is found before the exercise's.
pub fn program(root: &Path, exercise: &Exercise, track: Track) -> Result<Program> {
    let Some(track_folder) = &exercise.track_folder else {
        bail!("{} is not on a Python track", exercise.name);
    };
    let main = exercise.dir(Track::Exercises).join("main.py");
    let library = root.join(exercise.dir(track));
    Ok(Program {
        path: interpreter(root, track_folder)?,
        leading_args: vec!["-P".into(), main.display().to_string()],
        env: vec![
            ("PYTHONPATH".into(), library.display().to_string()),
            // No __pycache__ in the learner's folder: watch would see it as a save.
            ("PYTHONDONTWRITEBYTECODE".into(), "1".into()),
            ("PYTHONUTF8".into(), "1".into()),
        ],
        dir: Some(root.to_path_buf()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_its_environment_the_track_says_how_to_make_it() {
        let root = tempfile::tempdir().unwrap();
        let error = interpreter(root.path(), Path::new("tracks/python")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the Python track runs in its virtual environment, tracks/python/.venv, and there is \
             none: run `scripts/setup-python.sh` once (it installs the drivers pinned in \
             tracks/python/requirements.txt), then check again"
        );
    }
}
