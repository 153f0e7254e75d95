//! A right answer to exercise 10 written differently from the reference: the
//! account's host part is the client host's address with a netmask of all ones
//! (`'app'@'10.1.2.3/255.255.255.255'`), which MariaDB keeps in that form and
//! matches as that one address. (Oracle MySQL 9.7 refuses the client host with it:
//! the check goes by what the server does, so there this answer fails.)

mod ex10_remote_access {
    pub use sol10_remote_access::AppAccount;

    /// One account for the client host alone, its host written with a netmask.
    pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
        let AppAccount { user, password, client_host, database } = account;
        let who = format!("'{user}'@'{client_host}/255.255.255.255'");
        vec![
            format!("CREATE USER {who} IDENTIFIED BY '{password}'"),
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO {who}"),
        ]
    }
}

include!("../../../../../exercises/10_remote_access/src/main.rs");
