//! The application account's privileges, as the account itself reads them from
//! `information_schema` (`USER_PRIVILEGES`, `SCHEMA_PRIVILEGES`), against exactly
//! what exercise 10 grants: `SELECT`, `INSERT`, `UPDATE` and `DELETE` on the lab's
//! database, nothing on the whole server, nothing to pass on.

use mysql::prelude::Queryable as _;
use mysql::Conn;

use super::target::Account;
use super::{Finding, Step};

/// What an application that reads and writes rows needs, and all exercise 10 allows.
pub const NEEDED: [&str; 4] = ["DELETE", "INSERT", "SELECT", "UPDATE"];

/// The privileges of `grantee` (`'user'@'host'`), against exactly exercise 10's four
/// on the lab database.
pub fn examine(
    conn: &mut Conn,
    grantee: &str,
    account: &Account,
    findings: &mut Vec<Finding>,
) -> mysql::Result<()> {
    let global: Vec<String> = conn.exec(
        "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES \
         WHERE GRANTEE = ? AND PRIVILEGE_TYPE <> 'USAGE' ORDER BY PRIVILEGE_TYPE",
        (grantee,),
    )?;
    let rows: Vec<(String, String, String)> = conn.exec(
        "SELECT TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES \
         WHERE GRANTEE = ? ORDER BY TABLE_SCHEMA, PRIVILEGE_TYPE",
        (grantee,),
    )?;
    let rows: Vec<(String, String, bool)> = rows
        .into_iter()
        .map(|(schema, privilege, grantable)| {
            (schema.replace('\\', ""), privilege, grantable == "YES")
        })
        .collect();
    if let Some(problem) = judge_grants(grantee, account.database.as_deref(), &global, &rows) {
        findings.push(problem);
    } else if let Some(database) = &account.database {
        findings.push(Finding::proven(
            Step::Account,
            format!(
                "{grantee} may SELECT, INSERT, UPDATE and DELETE in {database}, and nothing else"
            ),
        ));
    }
    Ok(())
}

/// The first way the grants differ from exercise 10's, if any: none `ON *.*`, only
/// the four on the lab's database, none to pass on.
pub fn judge_grants(
    grantee: &str,
    database: Option<&str>,
    global: &[String],
    rows: &[(String, String, bool)],
) -> Option<Finding> {
    let database = database?;
    let expected = format!("exactly SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO {grantee}");
    if !global.is_empty() {
        return Some(Finding::failed(
            Step::Account,
            format!("{grantee} has privileges on every database (ON *.*): {}", global.join(", ")),
            format!("REVOKE ALL PRIVILEGES ON *.* FROM {grantee}; then grant {expected}"),
        ));
    }
    let elsewhere: Vec<&str> = rows
        .iter()
        .filter(|(schema, _, _)| schema != database)
        .map(|(schema, _, _)| schema.as_str())
        .collect();
    if let Some(other) = elsewhere.first() {
        return Some(Finding::failed(
            Step::Account,
            format!("{grantee} also has privileges on {other}"),
            format!("REVOKE ALL PRIVILEGES ON `{other}`.* FROM {grantee}"),
        ));
    }
    let granted: Vec<&str> = rows.iter().map(|(_, privilege, _)| privilege.as_str()).collect();
    if granted != NEEDED {
        let got = if granted.is_empty() { "none".to_string() } else { granted.join(", ") };
        return Some(Finding::failed(
            Step::Account,
            format!("{grantee} may {got} in {database}; exercise 10 asks for SELECT, INSERT, UPDATE and DELETE only"),
            format!("REVOKE ALL PRIVILEGES ON `{database}`.* FROM {grantee}; then GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO {grantee}"),
        ));
    }
    if rows.iter().any(|(_, _, grantable)| *grantable) {
        return Some(Finding::failed(
            Step::Account,
            format!("{grantee} may pass its privileges on (WITH GRANT OPTION)"),
            format!("REVOKE GRANT OPTION ON `{database}`.* FROM {grantee}"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::Verdict;

    fn row(schema: &str, privilege: &str) -> (String, String, bool) {
        (schema.into(), privilege.into(), false)
    }

    #[test]
    fn exactly_the_four_on_the_database_pass() {
        let four: Vec<_> = NEEDED.iter().map(|p| row("appdb", p)).collect();
        assert_eq!(judge_grants("'app'@'10.0.0.2'", Some("appdb"), &[], &four), None);
    }

    #[test]
    fn more_or_elsewhere_or_to_pass_on_fail() {
        let grantee = "'app'@'10.0.0.2'";
        let mut all: Vec<_> = NEEDED.iter().map(|p| row("appdb", p)).collect();
        all.push(row("appdb", "DROP"));
        all.sort();
        let failure = judge_grants(grantee, Some("appdb"), &[], &all).unwrap();
        assert_eq!(failure.verdict, Verdict::Failed);
        assert_eq!(
            failure.said,
            "'app'@'10.0.0.2' may DELETE, DROP, INSERT, SELECT, UPDATE in appdb; exercise 10 asks for \
             SELECT, INSERT, UPDATE and DELETE only"
        );
        let global = judge_grants(grantee, Some("appdb"), &["SELECT".into()], &[]).unwrap();
        assert!(global.said.contains("ON *.*"), "{}", global.said);
        let elsewhere =
            judge_grants(grantee, Some("appdb"), &[], &[row("mysql", "SELECT")]).unwrap();
        assert!(elsewhere.said.ends_with("also has privileges on mysql"), "{}", elsewhere.said);
        let mut grantable: Vec<_> = NEEDED.iter().map(|p| row("appdb", p)).collect();
        grantable[0].2 = true;
        assert!(judge_grants(grantee, Some("appdb"), &[], &grantable)
            .unwrap()
            .said
            .contains("GRANT OPTION"));
    }
}
