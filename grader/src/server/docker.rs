//! The docker backend: a container of the official `mysql` image (or any image that
//! honours `MYSQL_ROOT_PASSWORD`, such as the offline one built by
//! `scripts/build-offline-image.sh`), started with testcontainers and removed when
//! dropped or by the interrupt handler. The persistent docker server is made of the
//! same request, error and checks, with a name and a reuse directive on top.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Result;
use testcontainers::core::{IntoContainerPort as _, WaitFor};
use testcontainers::runners::SyncRunner as _;
use testcontainers::{Container, ContainerRequest, GenericImage, ImageExt as _};

use super::{random_password, ready, Endpoint};
use crate::shutdown::{self, CleanupGuard};

/// The image `scripts/build-offline-image.sh` builds, for machines without a registry.
pub const OFFLINE_IMAGE: &str = "mysql-course/server:offline";
/// Environment variable naming the image, like `--image`.
pub const IMAGE_ENV: &str = "GRADER_IMAGE";
/// The label every container of the grader carries, with the grader's process id as
/// its value, so that leftovers can be found and told apart.
pub const LABEL: &str = "org.mysql-course.grader";
/// How long the daemon may take to answer a ping.
const PING_PATIENCE: Duration = Duration::from_secs(3);
/// How long a fresh container may take to answer its first query (the official
/// image initialises its data folder first, which takes a while on a slow disk).
pub(super) const PATIENCE: Duration = Duration::from_secs(180);

/// A running server container.
pub struct DockerServer {
    /// The root account, with the password the grader chose.
    pub admin: Endpoint,
    container: Arc<Mutex<Option<Container<GenericImage>>>>,
    _cleanup: CleanupGuard,
}

/// Whether a Docker daemon answers a ping (as `DOCKER_HOST` or the default socket says).
pub fn daemon_answers() -> bool {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        return false;
    };
    runtime.block_on(async {
        let ping = async {
            let docker = testcontainers::core::client::docker_client_instance().await.ok()?;
            docker.ping().await.ok()
        };
        matches!(tokio::time::timeout(PING_PATIENCE, ping).await, Ok(Some(_)))
    })
}

/// Splits `name:tag` (a registry's `host:port/` prefix allowed); no tag means `latest`.
pub fn split_image(image: &str) -> (&str, &str) {
    let last_part = image.rfind('/').map_or(0, |slash| slash + 1);
    match image[last_part..].rfind(':') {
        Some(colon) => (&image[..last_part + colon], &image[last_part + colon + 1..]),
        None => (image, "latest"),
    }
}

impl DockerServer {
    /// Starts a container of `image` (pulling it if the daemon lacks it) and waits
    /// until the server inside answers a query through the published port.
    pub fn start(image: &str) -> Result<DockerServer> {
        let password = random_password();
        let container = request(image, &password, &std::process::id().to_string())
            .start()
            .map_err(|error| cannot_start(&format!("a container of {image}"), &error))?;
        let id = container.id().to_string();
        let admin = root_endpoint(&container, &password)?;
        let container = Arc::new(Mutex::new(Some(container)));
        let for_interrupt = container.clone();
        let cleanup = shutdown::on_interrupt(move || {
            drop(for_interrupt.lock().unwrap_or_else(PoisonError::into_inner).take());
        });
        let server = DockerServer { admin, container, _cleanup: cleanup };
        ready::wait_until_ready(&server.admin, PATIENCE, || {
            let guard = server.container.lock().unwrap_or_else(PoisonError::into_inner);
            guard.as_ref().map_or(Ok(()), |container| still_running(container, &id))
        })?;
        Ok(server)
    }
}

/// The request for a server container of `image`: port 3306 exposed, the root
/// password `password`, and the grader's label with `owner` (a process id, or
/// `persistent`) as its value. Readiness is left to [`ready`]: log lines are not trusted.
pub(super) fn request(image: &str, password: &str, owner: &str) -> ContainerRequest<GenericImage> {
    let (name, tag) = split_image(image);
    GenericImage::new(name, tag)
        .with_exposed_port(3306.tcp())
        .with_wait_for(WaitFor::Nothing)
        .with_cmd(super::LEAN_SERVER_ARGS)
        .with_env_var("MYSQL_ROOT_PASSWORD", password)
        .with_label(LABEL, owner)
}

/// The error for a container that would not start: what was tried, why,
/// and the offline image (and the local backend, where a server is installed).
pub(super) fn cannot_start(what: &str, error: &dyn std::fmt::Display) -> anyhow::Error {
    let local = if super::local::server_binary().is_some() {
        ", or use the server installed here with --backend local"
    } else {
        ""
    };
    anyhow::anyhow!(
        "cannot start {what} ({error}); without a registry, build the offline image \
         (sudo scripts/build-offline-image.sh) and pass --image {OFFLINE_IMAGE}{local}"
    )
}

/// The root account of `container`'s server through its published port.
pub(super) fn root_endpoint(
    container: &Container<GenericImage>,
    password: &str,
) -> Result<Endpoint> {
    let host = match container.get_host()?.to_string() {
        name if name == "localhost" => "127.0.0.1".to_string(),
        name => name,
    };
    let port = container.get_host_port_ipv4(3306)?;
    Ok(Endpoint { host, port, user: "root".into(), password: password.into(), source: None })
}

/// Fails with the last log lines of `container` (called `name` in the message) if it
/// has stopped.
pub(super) fn still_running(container: &Container<GenericImage>, name: &str) -> Result<()> {
    if container.is_running().unwrap_or(true) {
        return Ok(());
    }
    let logs = container.stderr_to_vec().unwrap_or_default();
    let logs = String::from_utf8_lossy(&logs);
    let last: Vec<&str> =
        logs.lines().rev().filter(|line| !line.trim().is_empty()).take(3).collect();
    let last: Vec<&str> = last.into_iter().rev().collect();
    anyhow::bail!(
        "the container {name} stopped while starting; its last words: {}",
        last.join(" / ")
    )
}

impl Drop for DockerServer {
    fn drop(&mut self) {
        drop(self.container.lock().unwrap_or_else(PoisonError::into_inner).take());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_names_tags_and_registry_ports() {
        assert_eq!(split_image("mysql:8.4"), ("mysql", "8.4"));
        assert_eq!(split_image("mysql"), ("mysql", "latest"));
        assert_eq!(split_image("mysql-course/server:offline"), ("mysql-course/server", "offline"));
        assert_eq!(
            split_image("registry.local:5000/db/mysql"),
            ("registry.local:5000/db/mysql", "latest")
        );
        assert_eq!(split_image("registry.local:5000/mysql:8"), ("registry.local:5000/mysql", "8"));
    }
}
