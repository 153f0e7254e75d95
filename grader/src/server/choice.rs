//! Which server a run gets, decided before anything slow starts: `auto` made concrete
//! on this machine, and the docker image made present (pulled, with its progress)
//! or, when it cannot be had and nobody chose it, another way that works.
//!
//! `auto` tries, in order: `--server`; (the persistent server, in [`super::persistent`]);
//! Docker with the image here or pullable; the offline image when it is here; a
//! server program installed here. Only when none works is it an error, which names
//! every remedy.

use anyhow::{bail, Result};

use super::{containers, docker, local, BackendChoice, Narrator, ServerSettings};

/// What to install or start when no server can be had, without the external one.
pub(crate) const NO_SERVER_REMEDIES: &str =
    "Start Docker (or set DOCKER_HOST), or install a server \
     (sudo apt-get install mariadb-server)";

/// Where the server comes from, once decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The server at this URL.
    External(String),
    /// A container of this image, which is here.
    Docker(String),
    /// A server program of this machine.
    Local,
}

/// Decides where the server comes from as `settings` ask, pulling the image if it
/// must (`narrator` is told the pull's progress, and which other way was taken if
/// the image cannot be had).
pub fn choose(settings: &ServerSettings, narrator: &dyn Narrator) -> Result<Choice> {
    super::validate(settings)?;
    if let Some(url) = &settings.server_url {
        return Ok(Choice::External(url.clone()));
    }
    match settings.backend {
        BackendChoice::External => unreachable!("validate requires --server for external"),
        BackendChoice::Local => Ok(Choice::Local),
        BackendChoice::Docker => match obtain(&settings.image, narrator) {
            Ok(()) => Ok(Choice::Docker(settings.image.clone())),
            Err(why) => {
                Err(docker::cannot_start(&format!("a container of {}", settings.image), &why))
            }
        },
        BackendChoice::Auto => {
            if !docker::daemon_answers() {
                return match local::server_binary() {
                    Some(_) => Ok(Choice::Local),
                    None => bail!(
                        "no MySQL server to check against: Docker does not answer and no mysqld or mariadbd is installed. \
                         {NO_SERVER_REMEDIES}, or name one with --server mysql://USER:PASSWORD@HOST:PORT"
                    ),
                };
            }
            let why = match obtain(&settings.image, narrator) {
                Ok(()) => return Ok(Choice::Docker(settings.image.clone())),
                Err(why) => why,
            };
            if settings.image_chosen {
                return Err(docker::cannot_start(
                    &format!("a container of {}", settings.image),
                    &why,
                ));
            }
            instead_of(&settings.image, &why, narrator)
        }
    }
}

/// The way taken when the default image cannot be had: the offline image if it is
/// here, else a local server program, else an error with every remedy.
fn instead_of(image: &str, why: &anyhow::Error, narrator: &dyn Narrator) -> Result<Choice> {
    let offline = docker::OFFLINE_IMAGE;
    if image != offline && containers::image_present(offline).unwrap_or(false) {
        narrator.note(format!(
            "{why}; using the offline image {offline} instead \
             (`cargo grader config set image {offline}` makes that the choice)"
        ));
        return Ok(Choice::Docker(offline.to_string()));
    }
    if let Some(program) = local::server_binary() {
        let name =
            program.file_name().map_or_else(|| "mysqld".into(), |name| name.to_string_lossy());
        narrator.note(format!(
            "{why}; using the server installed here ({name}) instead \
             (`cargo grader config set backend local` makes that the choice)"
        ));
        return Ok(Choice::Local);
    }
    bail!(
        "no MySQL server to check against: Docker answers, but {why}; \
         the offline image {offline} is not built, and no mysqld or mariadbd is installed. \
         Build the offline image (scripts/build-offline-image.sh, as root or with sudo), \
         install a server (sudo apt-get install mariadb-server), \
         or name one with --server mysql://USER:PASSWORD@HOST:PORT"
    )
}

/// Makes sure `image` is here: nothing to do if it is, else a pull with its progress.
pub fn obtain(image: &str, narrator: &dyn Narrator) -> Result<()> {
    if containers::image_present(image)? {
        return Ok(());
    }
    narrator.step(format!("Pulling {image}…"));
    containers::pull(image, &|progress| narrator.step(format!("Pulling {image} ({progress})…")))
        .map_err(|error| anyhow::anyhow!("{image} is not here and cannot be pulled: {error:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::DEFAULT_IMAGE;

    fn settings(backend: BackendChoice, url: Option<&str>) -> ServerSettings {
        ServerSettings {
            backend,
            server_url: url.map(String::from),
            image: DEFAULT_IMAGE.into(),
            image_chosen: false,
        }
    }

    #[test]
    fn settings_that_contradict_each_other_are_refused() {
        let quiet = super::super::Notices;
        let error = choose(&settings(BackendChoice::External, None), &quiet).unwrap_err();
        assert!(error.to_string().contains("needs --server"), "{error}");
        let error =
            choose(&settings(BackendChoice::Local, Some("mysql://a@b")), &quiet).unwrap_err();
        assert!(error.to_string().contains("--backend local"), "{error}");
        let auto = choose(&settings(BackendChoice::Auto, Some("mysql://a@b")), &quiet).unwrap();
        assert_eq!(auto, Choice::External("mysql://a@b".into()));
        assert_eq!(choose(&settings(BackendChoice::Local, None), &quiet).unwrap(), Choice::Local);
    }
}
