//! A right answer to exercise 10 written differently from the reference: `CREATE
//! USER IF NOT EXISTS`, the names between double quotes (string literals to a
//! server without `ANSI_QUOTES`), and the four privileges in another order in one
//! `GRANT`. Its mysqld.cnf spells the option `bind_address=0.0.0.0`.

mod ex10_remote_access {
    pub use sol10_remote_access::AppAccount;

    /// The same account and privileges, spelt another way.
    pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
        let AppAccount { user, password, client_host, database } = account;
        let who = format!("\"{user}\"@\"{client_host}\"");
        vec![
            format!("CREATE USER IF NOT EXISTS {who} IDENTIFIED BY \"{password}\""),
            format!("GRANT DELETE, UPDATE, INSERT, SELECT ON `{database}`.* TO {who}"),
        ]
    }
}

include!("../../../../../exercises/10_remote_access/src/main.rs");
