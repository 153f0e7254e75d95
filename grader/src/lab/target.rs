//! What `grader lab` is pointed at: a MySQL URL (the application's or the
//! administrator's account) or a bare `HOST[:PORT]`, resolved to one IPv4 address,
//! and what kind of address that is.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs as _};

use anyhow::{bail, Context as _, Result};
use mysql::Opts;

/// The port a MySQL server listens on unless told otherwise.
pub const MYSQL_PORT: u16 = 3306;

/// A server to reach, and the account to log in with if one was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host as written (a name or an address).
    pub host: String,
    /// The address it resolves to.
    pub address: SocketAddr,
    /// The account, if the target was a URL with one.
    pub account: Option<Account>,
}

/// An account from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The user name.
    pub user: String,
    /// The password (percent-decoded).
    pub password: String,
    /// The database the URL names, if any.
    pub database: Option<String>,
}

impl Target {
    /// Reads `text`: `mysql://USER:PASSWORD@HOST[:PORT][/DATABASE]` or `HOST[:PORT]`.
    pub fn parse(text: &str) -> Result<Target> {
        if text.starts_with("mysql://") {
            let opts = Opts::from_url(text).map_err(|error| {
                anyhow::anyhow!(
                    "{:?} is not a valid URL ({error}): expected mysql://USER:PASSWORD@HOST:PORT/DATABASE, \
                     with any /, +, @, : or % in the password percent-encoded (%2F, %2B, %40, %3A, %25)",
                    redacted(text)
                )
            })?;
            let host = opts.get_ip_or_hostname().to_string();
            let user = opts.get_user().filter(|user| !user.is_empty()).map(str::to_string);
            let Some(user) = user else {
                bail!(
                    "{:?} names no account: expected mysql://USER:PASSWORD@HOST:PORT/DATABASE",
                    redacted(text)
                );
            };
            let account = Account {
                user,
                password: opts.get_pass().unwrap_or_default().to_string(),
                database: opts.get_db_name().filter(|db| !db.is_empty()).map(str::to_string),
            };
            let address = resolve(&host, opts.get_tcp_port())?;
            return Ok(Target { host, address, account: Some(account) });
        }
        if text.contains("://") {
            bail!("{text:?} is not a MySQL URL: expected mysql://USER:PASSWORD@HOST:PORT or HOST[:PORT]");
        }
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') => {
                let port = port
                    .parse()
                    .with_context(|| format!("{port:?} in {text:?} is not a port number"))?;
                (host.to_string(), port)
            }
            _ => (text.to_string(), MYSQL_PORT),
        };
        if host.is_empty() {
            bail!("{text:?} names no host: expected HOST[:PORT], such as 172.31.5.10 or 172.31.5.10:3306");
        }
        let address = resolve(&host, port)?;
        Ok(Target { host, address, account: None })
    }

    /// `host:port` as written, for messages.
    pub fn shown(&self) -> String {
        format!("{}:{}", self.host, self.address.port())
    }
}

/// The URL with its password hidden, for messages.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The first IPv4 address of `host` (the lab's networks are IPv4).
fn resolve(host: &str, port: u16) -> Result<SocketAddr> {
    let addresses: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .with_context(|| {
            format!("cannot resolve {host}: check the name, or use the server's private IP address")
        })?
        .collect();
    addresses
        .iter()
        .find(|address| address.is_ipv4())
        .or(addresses.first())
        .copied()
        .with_context(|| format!("{host} has no address"))
}

/// What kind of address a host has, for the lab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// This very host (127.0.0.0/8, ::1).
    Loopback,
    /// A private address (10/8, 172.16/12, 192.168/16, or IPv6 unique-local).
    Private,
    /// Any other: reachable from outside its network, through rules you do not want open.
    Public,
}

/// The kind of `address`.
pub fn kind(address: IpAddr) -> Kind {
    match address {
        IpAddr::V4(v4) if v4.is_loopback() => Kind::Loopback,
        IpAddr::V4(v4) if v4.is_private() => Kind::Private,
        IpAddr::V6(v6) if v6.is_loopback() => Kind::Loopback,
        IpAddr::V6(v6) if (v6.segments()[0] & 0xfe00) == 0xfc00 => Kind::Private,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => kind(IpAddr::V4(v4)),
            None => Kind::Public,
        },
        IpAddr::V4(_) => Kind::Public,
    }
}

/// Whether `host`, an account's host part, is a pattern rather than one address:
/// `%` and `_` are wildcards, and `/` gives a netmask.
pub fn is_pattern(host: &str) -> bool {
    host.contains(['%', '_', '/']) || host.is_empty()
}

/// An IPv4 address written as the server shows it, if `text` is one.
pub fn ipv4(text: &str) -> Option<Ipv4Addr> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_bare_hosts_are_read() {
        let target = Target::parse("mysql://app:s%2Fx@10.1.2.3:3307/appdb").unwrap();
        assert_eq!(target.address, "10.1.2.3:3307".parse().unwrap());
        let account = target.account.unwrap();
        assert_eq!((account.user.as_str(), account.password.as_str()), ("app", "s/x"));
        assert_eq!(account.database.as_deref(), Some("appdb"));
        let bare = Target::parse("10.1.2.3").unwrap();
        assert_eq!(bare.address.port(), 3306);
        assert_eq!(bare.account, None);
        assert_eq!(Target::parse("10.1.2.3:33").unwrap().shown(), "10.1.2.3:33");
    }

    #[test]
    fn bad_targets_say_what_is_expected_without_the_password() {
        let error = Target::parse("mysql://app:pa/ss@10.1.2.3:3306/db").unwrap_err().to_string();
        assert!(error.contains("percent-encoded"), "{error}");
        assert!(!error.contains("pa/ss"), "{error}");
        assert!(Target::parse("10.1.2.3:port").unwrap_err().to_string().contains("not a port"));
        assert!(Target::parse("http://x").is_err());
    }

    #[test]
    fn addresses_are_told_apart() {
        assert_eq!(kind("127.0.0.1".parse().unwrap()), Kind::Loopback);
        assert_eq!(kind("172.31.5.10".parse().unwrap()), Kind::Private);
        assert_eq!(kind("192.168.1.2".parse().unwrap()), Kind::Private);
        assert_eq!(kind("54.12.3.4".parse().unwrap()), Kind::Public);
        assert!(is_pattern("%") && is_pattern("172.31.%") && is_pattern("10.0.0.0/255.0.0.0"));
        assert!(!is_pattern("172.31.8.20"));
    }
}
