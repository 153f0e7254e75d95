//! What the recorder keeps of a program's conversations with the server: one
//! [`Connection`] per TCP connection, with its greeting, its login and every
//! command with its outcome. Serialised as is by `grader wire --format json`.

use serde::Serialize;

/// Everything one or more runs of a program said to the server, connection by
/// connection, in the order they were opened.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Recording {
    /// The connections, in the order the program opened them.
    pub connections: Vec<Connection>,
}

/// One connection from the program, relayed to the server.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Connection {
    /// Milliseconds from the recorder's start to the connection's opening.
    pub opened_ms: u64,
    /// Milliseconds from the recorder's start to the program's closing it (none: it
    /// was still open when the recording ended).
    pub closed_ms: Option<u64>,
    /// The server's version, from its greeting.
    pub server_version: Option<String>,
    /// The authentication method the server proposed in its greeting.
    pub server_auth_plugin: Option<String>,
    /// Whether the server offered TLS, which the recorder hid from the program so
    /// that the conversation stays readable.
    pub tls_hidden: bool,
    /// Whether the program started TLS anyway; nothing after that could be read.
    pub tls_used: bool,
    /// The account name the program logged in with.
    pub user: Option<String>,
    /// The database the program named in its login, if any.
    pub database: Option<String>,
    /// The authentication method used in the end (after a switch, if the server
    /// asked for another one).
    pub auth_plugin: Option<String>,
    /// How the login ended (none: the connection closed before it ended).
    pub login: Option<Outcome>,
    /// The commands the program sent after logging in, in order.
    pub commands: Vec<Command>,
    /// Why the recorder could not follow the conversation from some point on, if it
    /// could not (the bytes were still relayed).
    pub undecoded: Option<String>,
}

/// One command the program sent, and what the server answered.
#[derive(Debug, Clone, Serialize)]
pub struct Command {
    /// Milliseconds from the recorder's start.
    pub at_ms: u64,
    /// What was asked.
    #[serde(flatten)]
    pub kind: CommandKind,
    /// The server's answers: usually one; several for a text query with several
    /// statements; none for commands without an answer (`COM_QUIT`,
    /// `COM_STMT_CLOSE`) or when the connection ended first.
    pub outcomes: Vec<Outcome>,
}

/// What a command asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "command", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CommandKind {
    /// `COM_QUERY`: SQL text run as it is (the text protocol).
    ComQuery {
        /// The SQL text.
        sql: String,
    },
    /// `COM_STMT_PREPARE`: SQL text with `?` placeholders, prepared for later runs.
    ComStmtPrepare {
        /// The SQL text.
        sql: String,
    },
    /// `COM_STMT_EXECUTE`: a prepared statement run with its parameters.
    ComStmtExecute {
        /// The statement's id, as the server numbered it.
        statement: u32,
        /// The statement's SQL, from its `COM_STMT_PREPARE` on this connection.
        sql: Option<String>,
        /// The parameters' values, in order.
        params: Vec<Param>,
    },
    /// `COM_STMT_CLOSE`: a prepared statement released.
    ComStmtClose {
        /// The statement's id.
        statement: u32,
    },
    /// `COM_STMT_RESET`.
    ComStmtReset {
        /// The statement's id.
        statement: u32,
    },
    /// `COM_INIT_DB`: `USE database`.
    ComInitDb {
        /// The database.
        database: String,
    },
    /// `COM_PING`.
    ComPing,
    /// `COM_QUIT`: the program said goodbye before closing.
    ComQuit,
    /// `COM_RESET_CONNECTION`: the session reset (a pool does this when a connection
    /// comes back).
    ComResetConnection,
    /// `COM_CHANGE_USER`: a new login on the same connection.
    ComChangeUser {
        /// The account.
        user: String,
    },
    /// Any other command, by its name or number.
    Other {
        /// The command's name (`COM_…`), or its number.
        name: String,
    },
}

/// One parameter of a prepared statement, as it travelled.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Param {
    /// NULL.
    Null,
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A floating-point number.
    Float(f64),
    /// Text, bytes (shown as text), a date or a time (`2024-05-01 13:00:00`).
    Text(String),
}

impl Param {
    /// The value as text, as a learner would have typed it.
    pub fn as_text(&self) -> String {
        match self {
            Param::Null => "NULL".into(),
            Param::Int(value) => value.to_string(),
            Param::UInt(value) => value.to_string(),
            Param::Float(value) => value.to_string(),
            Param::Text(text) => text.clone(),
        }
    }
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// OK.
    Ok {
        /// Rows the statement changed.
        affected_rows: u64,
        /// The id the statement generated, if any.
        last_insert_id: Option<u64>,
    },
    /// An error.
    Error {
        /// The server's error number (1045, 1062, …).
        code: u16,
        /// The server's message.
        message: String,
    },
    /// A result set.
    Rows {
        /// How many rows it had.
        count: u64,
    },
    /// A statement prepared.
    Prepared {
        /// Its id.
        statement: u32,
        /// How many `?` it has.
        params: u16,
        /// How many columns its result has.
        columns: u16,
    },
    /// The server asked the program for a local file (`LOAD DATA LOCAL INFILE`).
    LocalFile {
        /// The file's name.
        name: String,
    },
}

impl Recording {
    /// How many connections the program opened.
    pub fn opened(&self) -> usize {
        self.connections.len()
    }

    /// The most connections open at the same time.
    pub fn peak_open(&self) -> usize {
        let mut events: Vec<(u64, i32)> = Vec::new();
        for connection in &self.connections {
            events.push((connection.opened_ms, 1));
            events.push((connection.closed_ms.unwrap_or(u64::MAX), -1));
        }
        // Closings before openings at the same millisecond: one connection replacing
        // another is not two at once.
        events.sort_by_key(|&(at, change)| (at, change));
        let (mut open, mut peak) = (0i32, 0i32);
        for (_, change) in events {
            open += change;
            peak = peak.max(open);
        }
        usize::try_from(peak).unwrap_or(0)
    }

    /// Every command of every connection, with the connection's index.
    pub fn commands(&self) -> impl Iterator<Item = (usize, &Command)> {
        self.connections
            .iter()
            .enumerate()
            .flat_map(|(index, connection)| connection.commands.iter().map(move |c| (index, c)))
    }

    /// Every SQL text the program sent for the server to read: text queries and
    /// statements prepared.
    pub fn sql_texts(&self) -> impl Iterator<Item = &str> {
        self.commands().filter_map(|(_, command)| match &command.kind {
            CommandKind::ComQuery { sql } | CommandKind::ComStmtPrepare { sql } => {
                Some(sql.as_str())
            }
            _ => None,
        })
    }

    /// The recordings of several runs as one.
    pub fn merge(recordings: impl IntoIterator<Item = Recording>) -> Recording {
        Recording { connections: recordings.into_iter().flat_map(|r| r.connections).collect() }
    }
}

impl Command {
    /// The SQL this command ran or prepared, if it carries SQL.
    pub fn sql(&self) -> Option<&str> {
        match &self.kind {
            CommandKind::ComQuery { sql } | CommandKind::ComStmtPrepare { sql } => Some(sql),
            CommandKind::ComStmtExecute { sql, .. } => sql.as_deref(),
            _ => None,
        }
    }

    /// Whether the server answered with an error.
    pub fn failed(&self) -> bool {
        self.outcomes.iter().any(|outcome| matches!(outcome, Outcome::Error { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connection(opened_ms: u64, closed_ms: Option<u64>) -> Connection {
        Connection { opened_ms, closed_ms, ..Connection::default() }
    }

    #[test]
    fn the_peak_counts_connections_open_at_once() {
        let recording = Recording {
            connections: vec![
                connection(0, Some(10)),
                connection(5, Some(20)),
                connection(10, Some(30)),
                connection(25, None),
            ],
        };
        assert_eq!(recording.opened(), 4);
        // At 10 one closes as another opens: never more than two at once.
        assert_eq!(recording.peak_open(), 2);
        let mut overlapping = recording.clone();
        overlapping.connections[1].closed_ms = Some(26);
        assert_eq!(overlapping.peak_open(), 3);
        assert_eq!(Recording::default().peak_open(), 0);
    }

    #[test]
    fn commands_serialise_with_their_names() {
        let command = Command {
            at_ms: 3,
            kind: CommandKind::ComStmtExecute {
                statement: 1,
                sql: Some("SELECT ?".into()),
                params: vec![Param::Text("O'Brien".into()), Param::Int(-4), Param::Null],
            },
            outcomes: vec![Outcome::Rows { count: 1 }],
        };
        assert_eq!(
            serde_json::to_string(&command).unwrap(),
            r#"{"at_ms":3,"command":"COM_STMT_EXECUTE","statement":1,"sql":"SELECT ?","params":["O'Brien",-4,null],"outcomes":[{"outcome":"rows","count":1}]}"#
        );
    }
}
