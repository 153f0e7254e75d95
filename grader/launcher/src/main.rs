//! What `cargo grader` runs (see `.cargo/config.toml`). The alias cannot show cargo's
//! progress for the grader's own build and stay quiet once it is built: `cargo run`
//! prints two status lines on every warm run, `cargo run --quiet` prints nothing even
//! while it compiles for minutes. So the alias quietly runs this tiny program, which
//! builds the grader with cargo's own progress on stderr (one `Finished` line once it is
//! built) and then becomes the grader, with the same arguments.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let status = Command::new(&cargo)
        .arg("build")
        .arg("--manifest-path")
        .arg(grader_manifest())
        .args(["--package", "grader", "--bin", "grader"])
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => {
            eprintln!(
                "error: cargo could not build the grader (above is what it said); \
                 run `cargo build -p grader` to see it again"
            );
            return ExitCode::from(u8::try_from(status.code().unwrap_or(2)).unwrap_or(2));
        }
        Err(error) => {
            eprintln!(
                "error: cannot run {} to build the grader ({error}); is Rust installed (https://rustup.rs)?",
                cargo.to_string_lossy()
            );
            return ExitCode::from(2);
        }
    }
    let grader = match grader_binary() {
        Ok(path) => path,
        Err(error) => {
            eprintln!("error: cannot find the grader beside this launcher ({error})");
            return ExitCode::from(2);
        }
    };
    become_grader(&grader)
}

/// The grader's manifest: this crate lives in the grader's folder.
fn grader_manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("Cargo.toml")
}

/// The grader's executable: cargo puts it beside this one (same target folder, same
/// profile).
fn grader_binary() -> std::io::Result<PathBuf> {
    let launcher = std::env::current_exe()?;
    Ok(launcher.with_file_name(format!("grader{}", std::env::consts::EXE_SUFFIX)))
}

/// Replaces this process with the grader, so that signals, the terminal and the exit
/// code are the grader's own.
#[cfg(unix)]
fn become_grader(grader: &Path) -> ExitCode {
    use std::os::unix::process::CommandExt as _;
    let error = Command::new(grader).args(std::env::args_os().skip(1)).exec();
    eprintln!("error: cannot start {} ({error})", grader.display());
    ExitCode::from(2)
}

/// Runs the grader and passes its exit code on, where a process cannot be replaced.
#[cfg(not(unix))]
fn become_grader(grader: &Path) -> ExitCode {
    match Command::new(grader).args(std::env::args_os().skip(1)).status() {
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(2)).unwrap_or(2)),
        Err(error) => {
            eprintln!("error: cannot start {} ({error})", grader.display());
            ExitCode::from(2)
        }
    }
}
