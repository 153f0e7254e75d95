//! A wrong answer to exercise 10: the account is for the client host only, but it gets
//! every privilege on every database (`GRANT ALL ON *.*`). Its mysqld.cnf is right.

mod ex10_remote_access {
    pub use sol10_remote_access::AppAccount;

    /// The right account, with the whole server's privileges.
    pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
        let AppAccount { user, password, client_host, .. } = account;
        vec![
            format!("CREATE USER '{user}'@'{client_host}' IDENTIFIED BY '{password}'"),
            format!("GRANT ALL PRIVILEGES ON *.* TO '{user}'@'{client_host}'"),
        ]
    }
}

include!("../../../../../exercises/10_remote_access/src/main.rs");
