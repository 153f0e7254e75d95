//! The environment a program under check gets for its database: `DATABASE_URL`, a
//! URL any client understands (no driver's own options), and the same in parts,
//! `MYSQL_HOST`, `MYSQL_PORT`, `MYSQL_USER`, `MYSQL_PASSWORD` and `MYSQL_DATABASE`,
//! for clients that take them one by one (MySQL Connector/Python's `connect`).

use mysql::Opts;

/// The variables for `url`: `DATABASE_URL` itself, then its parts. A URL the
/// `mysql` crate cannot read (a check's deliberately broken one) goes alone.
pub fn for_url(url: &str) -> Vec<(&'static str, String)> {
    let mut env = vec![("DATABASE_URL", url.to_string())];
    if let Ok(opts) = Opts::from_url(url) {
        let parts = [
            ("MYSQL_HOST", Some(opts.get_ip_or_hostname().to_string())),
            ("MYSQL_PORT", Some(opts.get_tcp_port().to_string())),
            ("MYSQL_USER", opts.get_user().map(String::from)),
            ("MYSQL_PASSWORD", opts.get_pass().map(String::from)),
            ("MYSQL_DATABASE", opts.get_db_name().map(String::from)),
        ];
        env.extend(parts.into_iter().filter_map(|(key, value)| Some((key, value?))));
    }
    env
}

/// `env` with `DATABASE_URL` spelled out as [`for_url`] does; the other variables
/// stay as they are.
pub fn expand(env: &[(&str, &str)]) -> Vec<(String, String)> {
    env.iter()
        .flat_map(|&(key, value)| match key {
            "DATABASE_URL" => {
                for_url(value).into_iter().map(|(key, value)| (key.to_string(), value)).collect()
            }
            _ => vec![(key.to_string(), value.to_string())],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_comes_whole_and_in_parts() {
        let env = for_url("mysql://gr02_ab:p4ss@127.0.0.1:3307/gr02_ab");
        let expected = [
            ("DATABASE_URL", "mysql://gr02_ab:p4ss@127.0.0.1:3307/gr02_ab"),
            ("MYSQL_HOST", "127.0.0.1"),
            ("MYSQL_PORT", "3307"),
            ("MYSQL_USER", "gr02_ab"),
            ("MYSQL_PASSWORD", "p4ss"),
            ("MYSQL_DATABASE", "gr02_ab"),
        ];
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(env, expected);
        assert_eq!(for_url("not a url").len(), 1);
        let others = expand(&[("ADMIN_URL", "x"), ("DATABASE_URL", "mysql://u@h:1/d")]);
        assert_eq!(others[0], ("ADMIN_URL".to_string(), "x".to_string()));
        let keys: Vec<&str> = others.iter().map(|(key, _)| key.as_str()).collect();
        let parts = ["DATABASE_URL", "MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_DATABASE"];
        assert_eq!(keys[1..], parts, "no password in the URL, no MYSQL_PASSWORD");
    }
}
