//! A wrong answer to exercise 10: the account is created for any host ('%'), so every
//! host that reaches the server may log in with the password. Its mysqld.cnf is right.

mod ex10_remote_access {
    pub use sol10_remote_access::AppAccount;

    /// The right privileges, but for an account at '%'.
    pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
        let AppAccount { user, password, database, .. } = account;
        vec![
            format!("CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'"),
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO '{user}'@'%'"),
        ]
    }
}

include!("../../../../../exercises/10_remote_access/src/main.rs");
