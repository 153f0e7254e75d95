//! Reading the learner's `mysqld.cnf` (the servers' option-file syntax) for the
//! settings the local lab applies itself. The docker lab hands the file to the
//! server as it is.

/// What the server would make of the file's networking settings.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Networking {
    /// The last `bind-address` a server group sets, as written (quotes removed).
    pub bind_address: Option<String>,
    /// Whether `skip-networking` is on: no TCP port at all.
    pub skip_networking: bool,
}

/// Reads the networking settings of an option file: lines `key = value` or `key` in
/// the groups a MySQL or MariaDB server reads, `#` and `;` comments, `-` and `_`
/// alike in names, a `loose-` prefix allowed, the last setting winning.
pub fn networking(text: &str) -> Networking {
    let mut networking = Networking::default();
    let mut in_server_group = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with(['#', ';', '!']) {
            continue;
        }
        if let Some(group) = line.strip_prefix('[') {
            let name = group.split(']').next().unwrap_or_default();
            in_server_group = is_server_group(name.trim());
            continue;
        }
        if !in_server_group {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((key, value)) => (key, Some(value_of(value))),
            None => (strip_comment(line), None),
        };
        match name_of(key).as_str() {
            "bind_address" => networking.bind_address = value,
            "skip_networking" => {
                networking.skip_networking = value.as_deref().map_or(true, is_on);
            }
            _ => {}
        }
    }
    networking
}

/// The groups MySQL's and MariaDB's servers read: `[mysqld]`, `[server]`,
/// `[mariadb]`, `[mariadbd]`, `[client-server]`, and versioned ones (`[mysqld-8.4]`).
fn is_server_group(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let base = match name.split_once('-') {
        Some((base, version)) if version.starts_with(|c: char| c.is_ascii_digit()) => base,
        _ => name.as_str(),
    };
    matches!(base, "mysqld" | "server" | "mariadb" | "mariadbd" | "client-server")
}

/// An option's name with `-` and `_` made alike and a `loose` prefix removed.
fn name_of(key: &str) -> String {
    let name = key.trim().to_ascii_lowercase().replace('-', "_");
    name.strip_prefix("loose_").map(str::to_string).unwrap_or(name)
}

/// A value without its quotes, or without a trailing comment if it has none.
fn value_of(raw: &str) -> String {
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = raw.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or_default().to_string();
        }
    }
    strip_comment(raw).trim().to_string()
}

fn strip_comment(text: &str) -> &str {
    text.split('#').next().unwrap_or_default()
}

fn is_on(value: &str) -> bool {
    !matches!(value.to_ascii_lowercase().as_str(), "0" | "off" | "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_bind_address_of_a_server_group_wins() {
        let text = "[client]\nbind-address = 10.0.0.1\n[mysqld]\n# bind-address = 1.1.1.1\n\
                    bind-address\t\t= 127.0.0.1\n[mysqld-8.4]\nbind_address = 0.0.0.0 # all\n";
        let networking = networking(text);
        assert_eq!(networking.bind_address.as_deref(), Some("0.0.0.0"));
        assert!(!networking.skip_networking);
    }

    #[test]
    fn quotes_prefixes_and_other_groups() {
        assert_eq!(
            networking("[mariadb]\nloose-bind-address = \"*\"\n").bind_address.as_deref(),
            Some("*")
        );
        assert_eq!(networking("[mysql]\nbind-address = 0.0.0.0\n"), Networking::default());
        assert_eq!(networking("bind-address = 0.0.0.0\n"), Networking::default());
    }

    #[test]
    fn skip_networking_can_be_set_and_unset() {
        assert!(networking("[mysqld]\nskip-networking\n").skip_networking);
        assert!(networking("[server]\nskip_networking = ON\n").skip_networking);
        assert!(!networking("[mysqld]\nskip-networking\nskip-networking = 0\n").skip_networking);
    }

    #[test]
    fn the_shipped_and_the_solved_files_read_as_intended() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
        let shipped = networking(&read("exercises/10_remote_access/mysqld.cnf"));
        assert_eq!(shipped.bind_address.as_deref(), Some("127.0.0.1"));
        let solved = networking(&read("solutions/10_remote_access/mysqld.cnf"));
        assert_eq!(solved.bind_address.as_deref(), Some("0.0.0.0"));
    }
}
