//! A wrong answer to exercise 10: the account is for 127.0.0.2, the client host's
//! address in a lab the grader once built, instead of the client host it is given.
//! The lab's addresses are drawn for every run, so the client host is refused (1130).
//! Its mysqld.cnf is right.

mod ex10_remote_access {
    pub use sol10_remote_access::AppAccount;

    /// The right privileges, for an address written in the program.
    pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
        let AppAccount { user, password, database, .. } = account;
        let who = format!("'{user}'@'127.0.0.2'");
        vec![
            format!("CREATE USER {who} IDENTIFIED BY '{password}'"),
            format!("GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO {who}"),
        ]
    }
}

include!("../../../../../exercises/10_remote_access/src/main.rs");
