//! Questions to the Docker daemon that testcontainers does not ask: which containers
//! carry the grader's label, removing one by name, whether an image is here, and
//! whether a registry answers. Used by the persistent server and by `grader doctor`.
//!
//! Each call opens its own client (as `DOCKER_HOST` or the default socket says) on
//! a small runtime of its own, with a time limit.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use anyhow::{Context as _, Result};
use testcontainers::bollard::query_parameters::{
    ListContainersOptionsBuilder, RemoveContainerOptionsBuilder, SearchImagesOptionsBuilder,
};
use testcontainers::bollard::Docker;

use super::docker::LABEL;

/// How long one question to the daemon may take.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long a registry may take to answer a search.
const REGISTRY_PATIENCE: Duration = Duration::from_secs(5);

/// A container that carries the grader's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// Its id.
    pub id: String,
    /// Its name, without the leading `/`.
    pub name: String,
    /// The value of the grader's label: a process id, or `persistent`.
    pub owner: String,
    /// Every label it carries.
    pub labels: HashMap<String, String>,
    /// Whether it is running.
    pub running: bool,
}

/// Runs `question` against the daemon and waits for the answer.
fn ask<T, F>(patience: Duration, question: impl FnOnce(Docker) -> F) -> Result<T>
where
    F: Future<Output = Result<T>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime that talks to Docker")?;
    runtime.block_on(async {
        let docker = Docker::connect_with_defaults()
            .context("cannot reach the Docker daemon (is it running? is DOCKER_HOST right?)")?;
        tokio::time::timeout(patience, question(docker)).await.map_err(|_| {
            anyhow::anyhow!("the Docker daemon did not answer within {} s", patience.as_secs())
        })?
    })
}

/// Every container (running or not) that carries the grader's label.
pub fn labelled() -> Result<Vec<Labelled>> {
    ask(PATIENCE, |docker| async move {
        let filters = HashMap::from([("label", vec![LABEL])]);
        let options = ListContainersOptionsBuilder::new().all(true).filters(&filters).build();
        let found = docker
            .list_containers(Some(options))
            .await
            .context("cannot list the grader's containers")?;
        Ok(found
            .into_iter()
            .map(|summary| {
                let labels = summary.labels.unwrap_or_default();
                let name = summary.names.unwrap_or_default().into_iter().next().unwrap_or_default();
                Labelled {
                    id: summary.id.unwrap_or_default(),
                    name: name.trim_start_matches('/').to_string(),
                    owner: labels.get(LABEL).cloned().unwrap_or_default(),
                    running: summary.state.is_some_and(|state| state.to_string() == "running"),
                    labels,
                }
            })
            .collect())
    })
}

/// Removes the container named or numbered `name`, with its anonymous volumes, running
/// or not. Returns whether there was one.
pub fn remove(name: &str) -> Result<bool> {
    ask(PATIENCE, |docker| async move {
        let options = RemoveContainerOptionsBuilder::new().force(true).v(true).build();
        match docker.remove_container(name, Some(options)).await {
            Ok(()) => Ok(true),
            Err(testcontainers::bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                ..
            }) => Ok(false),
            Err(error) => Err(error).with_context(|| format!("cannot remove the container {name}")),
        }
    })
}

/// Whether the daemon has the image `image` (`name:tag`).
pub fn image_present(image: &str) -> Result<bool> {
    ask(PATIENCE, |docker| async move {
        match docker.inspect_image(image).await {
            Ok(_) => Ok(true),
            Err(testcontainers::bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                ..
            }) => Ok(false),
            Err(error) => Err(error).with_context(|| format!("cannot ask Docker about {image}")),
        }
    })
}

/// Whether the daemon reaches a registry: a search for `term` answers in time.
pub fn registry_answers(term: &str) -> bool {
    ask(REGISTRY_PATIENCE, |docker| async move {
        let options = SearchImagesOptionsBuilder::new().term(term).limit(1).build();
        docker.search_images(options).await.context("the registry does not answer")
    })
    .is_ok()
}
