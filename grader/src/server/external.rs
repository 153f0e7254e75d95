//! The external backend: a server the user already runs, named by a URL
//! (`--server mysql://USER:PASSWORD@HOST:PORT`), for example their own cloud server
//! from the two-host lab. The account must be able to create databases and users.

use anyhow::{bail, Context as _, Result};
use mysql::prelude::Queryable as _;
use mysql::{Conn, Opts};

use super::Endpoint;

const URL_SHAPE: &str = "mysql://USER:PASSWORD@HOST:PORT";

/// Reads `url`, connects once to make sure the server answers, and returns its endpoint.
pub fn connect(url: &str) -> Result<Endpoint> {
    let endpoint = parse(url)?;
    let mut conn = Conn::new(endpoint.opts(None)).map_err(|error| {
        anyhow::anyhow!(
            "cannot connect to the MySQL server at {}:{} as {} ({}): check the address and port, that the server \
             listens there (bind-address) and that no firewall is in the way",
            endpoint.host,
            endpoint.port,
            endpoint.user,
            in_words(&error)
        )
    })?;
    conn.query_drop("SELECT 1")
        .context("the server accepted the connection but cannot run SELECT 1")?;
    Ok(endpoint)
}

/// What the driver said, without its type's name around it (`DriverError { … }`).
fn in_words(error: &mysql::Error) -> String {
    match error {
        mysql::Error::DriverError(error) => error.to_string(),
        mysql::Error::IoError(error) => error.to_string(),
        other => other.to_string(),
    }
}

/// Reads `url` into an endpoint, or says what a valid one looks like.
pub fn parse(url: &str) -> Result<Endpoint> {
    if !url.starts_with("mysql://") {
        bail!("--server {url:?} is not a MySQL URL: expected {URL_SHAPE}");
    }
    let opts = Opts::from_url(url).map_err(|error| {
        anyhow::anyhow!("--server {url:?} is not a valid URL ({error}): expected {URL_SHAPE}")
    })?;
    let user = opts.get_user().filter(|user| !user.is_empty());
    let Some(user) = user else {
        bail!("--server {url:?} names no account: expected {URL_SHAPE}");
    };
    Ok(Endpoint {
        host: opts.get_ip_or_hostname().to_string(),
        port: opts.get_tcp_port(),
        user: user.to_string(),
        password: opts.get_pass().unwrap_or_default().to_string(),
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_host_port_and_account() {
        let endpoint = parse("mysql://admin:s%40cret@db.example.com:3307").unwrap();
        assert_eq!(endpoint.host, "db.example.com");
        assert_eq!(endpoint.port, 3307);
        assert_eq!(endpoint.user, "admin");
        assert_eq!(endpoint.password, "s@cret");
        assert_eq!(parse("mysql://root@10.0.0.5").unwrap().port, 3306);
    }

    #[test]
    fn refuses_what_is_not_a_mysql_url_with_its_shape() {
        for url in ["localhost:3306", "postgres://u:p@h:5432", "mysql://", "mysql://:pw@host"] {
            let error = parse(url).unwrap_err().to_string();
            assert!(error.contains(URL_SHAPE), "{url}: {error}");
            assert!(!error.contains('\n'), "one line: {error}");
        }
    }
}
