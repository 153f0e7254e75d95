//! A recording for people: one line per packet exchange, `→` for what the program
//! sent and `←` for what the server answered, the greeting and login at the top of
//! each connection.

use super::record::{Command, CommandKind, Connection, Outcome, Param, Recording};

/// One line of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A connection's heading.
    Connection(String),
    /// What the program sent.
    Sent(String),
    /// What the server answered.
    Answered(String),
    /// A remark of the recorder's.
    Note(String),
}

/// The recording as lines, connection after connection.
pub fn lines(recording: &Recording) -> Vec<Line> {
    let mut lines = Vec::new();
    for (index, connection) in recording.connections.iter().enumerate() {
        connection_lines(index + 1, connection, &mut lines);
    }
    lines
}

fn connection_lines(number: usize, connection: &Connection, lines: &mut Vec<Line>) {
    let closed = match connection.closed_ms {
        Some(ms) => format!("closed at {ms} ms"),
        None => "still open at the end".into(),
    };
    lines.push(Line::Connection(format!(
        "connection {number} (opened at {} ms, {closed})",
        connection.opened_ms
    )));
    if let Some(version) = &connection.server_version {
        let plugin = connection.server_auth_plugin.as_deref().unwrap_or("no method named");
        lines.push(Line::Answered(format!("greeting  server {version}, login method {plugin}")));
    }
    if connection.tls_hidden {
        lines.push(Line::Note(
            "the server offered TLS; the recorder hid the offer, so this conversation is in the clear".into(),
        ));
    }
    if connection.tls_used {
        lines.push(Line::Note("the program started TLS: the rest cannot be read".into()));
    }
    if let Some(user) = &connection.user {
        let database = connection.database.as_deref().map(|db| format!(", database {db}"));
        let plugin = connection.auth_plugin.as_deref().unwrap_or("no method named");
        lines.push(Line::Sent(format!(
            "login  account {user}{}, method {plugin}",
            database.unwrap_or_default()
        )));
    }
    if let Some(login) = &connection.login {
        lines.push(Line::Answered(outcome(login)));
    }
    for command in &connection.commands {
        lines.push(Line::Sent(sent(command)));
        lines.extend(command.outcomes.iter().map(|o| Line::Answered(outcome(o))));
    }
    if let Some(why) = &connection.undecoded {
        lines.push(Line::Note(format!("the recorder stopped reading here: {why}")));
    }
}

fn sent(command: &Command) -> String {
    match &command.kind {
        CommandKind::ComQuery { sql } => format!("COM_QUERY  {}", one_line(sql)),
        CommandKind::ComStmtPrepare { sql } => format!("COM_STMT_PREPARE  {}", one_line(sql)),
        CommandKind::ComStmtExecute { params, .. } => {
            format!("COM_STMT_EXECUTE  {}", params_text(params))
        }
        CommandKind::ComStmtClose { statement } => format!("COM_STMT_CLOSE  statement {statement}"),
        CommandKind::ComStmtReset { statement } => format!("COM_STMT_RESET  statement {statement}"),
        CommandKind::ComInitDb { database } => format!("COM_INIT_DB  {database}"),
        CommandKind::ComPing => "COM_PING".into(),
        CommandKind::ComQuit => "COM_QUIT".into(),
        CommandKind::ComResetConnection => "COM_RESET_CONNECTION".into(),
        CommandKind::ComChangeUser { user } => format!("COM_CHANGE_USER  {user}"),
        CommandKind::Other { name } => name.clone(),
    }
}

/// Parameters as a JSON array: `["O'Brien", 12, null]`.
fn params_text(params: &[Param]) -> String {
    serde_json::to_string(params).unwrap_or_default()
}

fn outcome(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Ok { affected_rows, last_insert_id } => {
            let mut text = "OK".to_string();
            if *affected_rows > 0 {
                text += &format!("  {}", plural(*affected_rows, "row affected", "rows affected"));
            }
            if let Some(id) = last_insert_id {
                text += &format!(", last insert id {id}");
            }
            text
        }
        Outcome::Error { code, message } => format!("ERR {code}  {message}"),
        Outcome::Rows { count } => plural(*count, "row", "rows"),
        Outcome::Prepared { params, columns, .. } => format!(
            "OK  {}, {}",
            plural(u64::from(*params), "parameter", "parameters"),
            plural(u64::from(*columns), "column", "columns")
        ),
        Outcome::LocalFile { name } => format!("asks for the local file {name}"),
    }
}

fn plural(count: u64, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// SQL on one line: runs of white space become one space.
fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prepared_lookup_reads_as_a_conversation() {
        let recording = Recording {
            connections: vec![Connection {
                opened_ms: 0,
                closed_ms: Some(12),
                server_version: Some("10.11.11-MariaDB".into()),
                server_auth_plugin: Some("mysql_native_password".into()),
                tls_hidden: true,
                user: Some("app".into()),
                database: Some("shop".into()),
                auth_plugin: Some("mysql_native_password".into()),
                login: Some(Outcome::Ok { affected_rows: 0, last_insert_id: None }),
                commands: vec![
                    Command {
                        at_ms: 1,
                        kind: CommandKind::ComStmtPrepare {
                            sql: "SELECT id, name\n  FROM customers WHERE name = ?".into(),
                        },
                        outcomes: vec![Outcome::Prepared { statement: 1, params: 1, columns: 2 }],
                    },
                    Command {
                        at_ms: 2,
                        kind: CommandKind::ComStmtExecute {
                            statement: 1,
                            sql: None,
                            params: vec![Param::Text("O'Brien".into())],
                        },
                        outcomes: vec![Outcome::Rows { count: 1 }],
                    },
                    Command { at_ms: 3, kind: CommandKind::ComQuit, outcomes: vec![] },
                ],
                ..Connection::default()
            }],
        };
        let text: Vec<String> = lines(&recording)
            .into_iter()
            .map(|line| match line {
                Line::Connection(text) => text,
                Line::Sent(text) => format!("→ {text}"),
                Line::Answered(text) => format!("← {text}"),
                Line::Note(text) => format!("  ({text})"),
            })
            .collect();
        assert_eq!(
            text,
            [
                "connection 1 (opened at 0 ms, closed at 12 ms)",
                "← greeting  server 10.11.11-MariaDB, login method mysql_native_password",
                "  (the server offered TLS; the recorder hid the offer, so this conversation is in the clear)",
                "→ login  account app, database shop, method mysql_native_password",
                "← OK",
                "→ COM_STMT_PREPARE  SELECT id, name FROM customers WHERE name = ?",
                "← OK  1 parameter, 2 columns",
                "→ COM_STMT_EXECUTE  [\"O'Brien\"]",
                "← 1 row",
                "→ COM_QUIT",
            ]
        );
    }
}
