//! A right answer to exercise 10 written differently from the reference: the
//! account is created without a password and given one by `ALTER USER`, each
//! privilege has a `GRANT` of its own, and the database is named without backquotes.
//! Its mysqld.cnf listens on `*` in the `[server]` group, which both servers read.

mod ex10_remote_access {
    pub use sol10_remote_access::AppAccount;

    /// The same account and privileges, in more statements.
    pub fn provisioning_statements(account: &AppAccount) -> Vec<String> {
        let AppAccount { user, password, client_host, database } = account;
        let who = format!("'{user}'@'{client_host}'");
        let mut statements = vec![
            format!("CREATE USER {who}"),
            format!("ALTER USER {who} IDENTIFIED BY '{password}'"),
        ];
        for privilege in ["SELECT", "INSERT", "UPDATE", "DELETE"] {
            statements.push(format!("GRANT {privilege} ON {database}.* TO {who}"));
        }
        statements
    }
}

include!("../../../../../exercises/10_remote_access/src/main.rs");
