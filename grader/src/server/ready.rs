//! Waiting for a server to be ready: a real connection and `SELECT 1`, not a log line
//! (the official image runs a temporary server first, which logs the same lines).

use std::thread;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, OptsBuilder};

use super::Endpoint;

/// Pause between two attempts.
const RETRY_EVERY: Duration = Duration::from_millis(20);

/// Tries `SELECT 1` on `endpoint` until it succeeds or `patience` runs out.
/// `still_starting` is asked between attempts and ends the wait early with its error
/// (say, the server process has exited).
pub(crate) fn wait_until_ready(
    endpoint: &Endpoint,
    patience: Duration,
    mut still_starting: impl FnMut() -> Result<()>,
) -> Result<()> {
    let deadline = Instant::now() + patience;
    let opts = OptsBuilder::from_opts(endpoint.opts(None))
        .tcp_connect_timeout(Some(Duration::from_secs(1)));
    loop {
        let attempt = Conn::new(opts.clone()).and_then(|mut conn| conn.query_drop("SELECT 1"));
        let error = match attempt {
            Ok(()) => return Ok(()),
            Err(error) => error,
        };
        still_starting()?;
        if Instant::now() >= deadline {
            bail!(
                "the server at {}:{} did not answer within {} s; the last attempt said: {error}",
                endpoint.host,
                endpoint.port,
                patience.as_secs()
            );
        }
        thread::sleep(RETRY_EVERY);
    }
}
