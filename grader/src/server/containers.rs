//! Questions to the Docker daemon that testcontainers does not ask: which containers
//! carry the grader's label, removing one by name, a network on a subnet of the
//! grader's choice (exercise 10's lab), whether an image is here, pulling
//! one with its progress, and whether a registry answers. Used by the backends, the
//! persistent server and `grader doctor`.
//!
//! Each call opens its own client (as `DOCKER_HOST` or the default socket says) on
//! a small runtime of its own, with a time limit.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use anyhow::{Context as _, Result};
use testcontainers::bollard::models::{Ipam, IpamConfig, NetworkCreateRequest};
use testcontainers::bollard::query_parameters::{
    CreateImageOptionsBuilder, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
    SearchImagesOptionsBuilder,
};
use testcontainers::bollard::Docker;

use super::docker::LABEL;

/// How long one question to the daemon may take.
const PATIENCE: Duration = Duration::from_secs(10);
/// How long a registry may take to answer a search.
const REGISTRY_PATIENCE: Duration = Duration::from_secs(5);
/// How long a pull may take: a slow line fetches the official image's 250 MB in minutes.
const PULL_PATIENCE: Duration = Duration::from_secs(30 * 60);
/// A megabyte, for the pull's progress.
const MB: i64 = 1_000_000;

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

/// Creates the bridge network `name` on `subnet` (`10.61.7.0/24`), labelled with the
/// grader's process id. `Ok(false)` when the daemon refuses the subnet because
/// another network of its own overlaps it.
pub fn create_network(name: &str, subnet: &str) -> Result<bool> {
    ask(PATIENCE, |docker| async move {
        let request = NetworkCreateRequest {
            name: name.to_string(),
            driver: Some("bridge".into()),
            ipam: Some(Ipam {
                config: Some(vec![IpamConfig {
                    subnet: Some(subnet.into()),
                    ..IpamConfig::default()
                }]),
                ..Ipam::default()
            }),
            labels: Some(HashMap::from([(LABEL.to_string(), std::process::id().to_string())])),
            ..NetworkCreateRequest::default()
        };
        match docker.create_network(request).await {
            Ok(_) => Ok(true),
            Err(error) if daemon_says(&error).contains("overlap") => Ok(false),
            Err(error) => Err(anyhow::anyhow!(daemon_says(&error)))
                .with_context(|| format!("cannot create the network {name} on {subnet}")),
        }
    })
}

/// Removes the network `name`; false if there was none.
pub fn remove_network(name: &str) -> Result<bool> {
    ask(PATIENCE, |docker| async move {
        match docker.remove_network(name).await {
            Ok(()) => Ok(true),
            Err(testcontainers::bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                ..
            }) => Ok(false),
            Err(error) => Err(error).with_context(|| format!("cannot remove the network {name}")),
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

/// Pulls `image`, telling `progress` how far it is ("312 MB of 560 MB") as layers
/// arrive. Fails with what the daemon said (no registry, no such image).
pub fn pull(image: &str, progress: &(dyn Fn(String) + Sync)) -> Result<()> {
    use futures_util::StreamExt as _;
    let (name, tag) = super::docker::split_image(image);
    ask(PULL_PATIENCE, |docker| async move {
        let options = CreateImageOptionsBuilder::new().from_image(name).tag(tag).build();
        let mut stream = docker.create_image(Some(options), None, None);
        let mut layers = Layers::default();
        while let Some(event) = stream.next().await {
            let event = event.map_err(|error| anyhow::anyhow!("{}", daemon_says(&error)))?;
            if let Some(error) = event.error_detail.and_then(|detail| detail.message) {
                anyhow::bail!("{error}");
            }
            if let (Some(id), Some(status)) = (event.id, event.status) {
                let detail = event.progress_detail.unwrap_or_default();
                layers.update(id, &status, detail.current, detail.total);
                progress(layers.describe());
            }
        }
        Ok(())
    })
}

/// What the daemon said, without bollard's wrapping.
fn daemon_says(error: &testcontainers::bollard::errors::Error) -> String {
    match error {
        testcontainers::bollard::errors::Error::DockerResponseServerError { message, .. } => {
            message.clone()
        }
        other => other.to_string(),
    }
}

/// Each layer of a pull: bytes fetched and its size, as far as the daemon has said.
#[derive(Debug, Default)]
struct Layers(std::collections::BTreeMap<String, (i64, i64)>);

impl Layers {
    /// Takes in one progress event of layer `id`.
    fn update(&mut self, id: String, status: &str, current: Option<i64>, total: Option<i64>) {
        let layer = self.0.entry(id).or_default();
        match status {
            "Downloading" => {
                layer.0 = current.unwrap_or(layer.0);
                layer.1 = total.filter(|total| *total > 0).unwrap_or(layer.1);
            }
            "Download complete" | "Pull complete" | "Already exists" => layer.0 = layer.1,
            _ => {}
        }
    }

    /// "312 MB of 560 MB", or the number of layers while their sizes are unknown.
    fn describe(&self) -> String {
        let fetched: i64 = self.0.values().map(|layer| layer.0).sum();
        let total: i64 = self.0.values().map(|layer| layer.1).sum();
        if total > 0 {
            format!("{} MB of {} MB", fetched / MB, (total + MB - 1) / MB)
        } else {
            let n = self.0.len();
            format!("{n} layer{}", if n == 1 { "" } else { "s" })
        }
    }
}

/// Whether the daemon reaches a registry: a search for `term` answers in time.
pub fn registry_answers(term: &str) -> bool {
    ask(REGISTRY_PATIENCE, |docker| async move {
        let options = SearchImagesOptionsBuilder::new().term(term).limit(1).build();
        docker.search_images(options).await.context("the registry does not answer")
    })
    .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pull_tells_megabytes_fetched_of_the_layers_known() {
        let mut layers = Layers::default();
        layers.update("a".into(), "Pulling fs layer", None, None);
        assert_eq!(layers.describe(), "1 layer");
        layers.update("a".into(), "Downloading", Some(2_500_000), Some(30_000_000));
        layers.update("b".into(), "Downloading", Some(1_000_000), Some(250_000_000));
        assert_eq!(layers.describe(), "3 MB of 280 MB");
        layers.update("a".into(), "Download complete", None, None);
        layers.update("a".into(), "Extracting", Some(5), Some(9));
        assert_eq!(layers.describe(), "31 MB of 280 MB");
        layers.update("b".into(), "Pull complete", None, None);
        assert_eq!(layers.describe(), "280 MB of 280 MB");
    }
}
