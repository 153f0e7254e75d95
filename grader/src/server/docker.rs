//! The docker backend: a container of the official `mysql` image (or any image that
//! honours `MYSQL_ROOT_PASSWORD`, such as the offline one built by
//! `scripts/build-offline-image.sh`), started with testcontainers and removed when
//! dropped or by the interrupt handler.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::Result;
use testcontainers::core::{IntoContainerPort as _, WaitFor};
use testcontainers::runners::SyncRunner as _;
use testcontainers::{Container, GenericImage, ImageExt as _};

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
const PATIENCE: Duration = Duration::from_secs(180);

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
        let (name, tag) = split_image(image);
        let password = random_password();
        let request = GenericImage::new(name, tag)
            .with_exposed_port(3306.tcp())
            .with_wait_for(WaitFor::Nothing)
            .with_env_var("MYSQL_ROOT_PASSWORD", &password)
            .with_label(LABEL, std::process::id().to_string());
        let container = request.start().map_err(|error| {
            let local = if super::local::server_binary().is_some() {
                ", or use the server installed here with --backend local"
            } else {
                ""
            };
            anyhow::anyhow!(
                "cannot start a container of {image} ({error}); without a registry, build the offline image \
                 (sudo scripts/build-offline-image.sh) and pass --image {OFFLINE_IMAGE}{local}"
            )
        })?;
        let id = container.id().to_string();
        let host = match container.get_host()?.to_string() {
            name if name == "localhost" => "127.0.0.1".to_string(),
            name => name,
        };
        let port = container.get_host_port_ipv4(3306)?;
        let container = Arc::new(Mutex::new(Some(container)));
        let for_interrupt = container.clone();
        let cleanup = shutdown::on_interrupt(move || {
            drop(for_interrupt.lock().unwrap_or_else(PoisonError::into_inner).take());
        });
        let server = DockerServer {
            admin: Endpoint { host, port, user: "root".into(), password },
            container,
            _cleanup: cleanup,
        };
        ready::wait_until_ready(&server.admin, PATIENCE, || server.still_running(&id))?;
        Ok(server)
    }

    /// Fails with the container's last log lines if it has stopped.
    fn still_running(&self, id: &str) -> Result<()> {
        let guard = self.container.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(container) = guard.as_ref() else {
            return Ok(());
        };
        if container.is_running().unwrap_or(true) {
            return Ok(());
        }
        let logs = container.stderr_to_vec().unwrap_or_default();
        let logs = String::from_utf8_lossy(&logs);
        let last: Vec<&str> =
            logs.lines().rev().filter(|line| !line.trim().is_empty()).take(3).collect();
        let last: Vec<&str> = last.into_iter().rev().collect();
        anyhow::bail!(
            "the container {id} stopped while starting; its last words: {}",
            last.join(" / ")
        )
    }
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
