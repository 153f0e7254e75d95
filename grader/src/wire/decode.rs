//! Following one connection's conversation packet by packet, from both sides, with
//! `mysql_common`'s parsers: the greeting (whose TLS and compression offers are
//! hidden so the rest stays readable), the login, and each command with the answer
//! it gets. A [`Decoder`] does no I/O: the proxy hands it each packet's payload
//! before relaying it, so it can be tested on captured bytes.

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use mysql_common::constants::{CapabilityFlags, ColumnFlags, ColumnType, StatusFlags};
use mysql_common::io::ParseBuf;
use mysql_common::packets::{
    AuthSwitchRequest, CommonOkPacket, ErrPacket, HandshakePacket, HandshakeResponse,
    OkPacketDeserializer, ResultSetTerminator, StmtPacket,
};
use mysql_common::value::{BinValue, Value, ValueDeserializer};

use super::record::{Command, CommandKind, Connection, Outcome, Param};

/// Which way a packet travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// From the program to the server.
    Client,
    /// From the server to the program.
    Server,
}

/// Capabilities the recorder takes out of the server's greeting, so that the program
/// speaks a protocol the recorder can read: no TLS, no compression, no query
/// attributes, no MariaDB-only extensions (cached metadata, bulk execution).
const HIDDEN: CapabilityFlags = CapabilityFlags::CLIENT_SSL
    .union(CapabilityFlags::CLIENT_COMPRESS)
    .union(CapabilityFlags::CLIENT_ZSTD_COMPRESSION_ALGORITHM)
    .union(CapabilityFlags::CLIENT_QUERY_ATTRIBUTES)
    .union(CapabilityFlags::CLIENT_PROGRESS_OBSOLETE);

/// The largest payload of one packet; a longer one continues in the next packet.
const MAX_PAYLOAD: usize = 0xFF_FFFF;

/// Where the program's side of the conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientPhase {
    /// The next packet is the handshake response.
    Login,
    /// Packets belong to an authentication exchange.
    Authenticating,
    /// Packets are commands.
    Commands,
    /// Packets are a local file's contents, until an empty one.
    SendingFile,
    /// TLS or something unreadable: relayed, not read.
    Opaque,
}

/// Where the server's side is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ServerPhase {
    /// The next packet is the greeting.
    Greeting,
    /// The login's authentication exchange, until OK or ERR.
    Authenticating,
    /// Answers to commands.
    Answering,
    /// Relayed, not read.
    Opaque,
}

/// What kind of answer a command waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// OK, ERR or result sets (`COM_QUERY`, `COM_STMT_EXECUTE`).
    Results,
    /// `COM_STMT_PREPARE`'s answer and its definitions.
    Prepared,
    /// One packet (`COM_PING`, `COM_INIT_DB`, …).
    One,
    /// An authentication exchange ending in OK or ERR (`COM_CHANGE_USER`).
    Login,
}

/// Where the answer being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The next packet starts an answer (or the next result of a multi-result one).
    Start,
    /// Definitions to skip before going on.
    Skip { packets: u64, then: AfterSkip },
    /// Rows of a result set.
    Rows { count: u64 },
}

/// What follows definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterSkip {
    Rows,
    Done,
}

/// A statement prepared on this connection.
#[derive(Debug, Clone, Default)]
struct Statement {
    sql: String,
    params: u16,
    /// The parameters' types from the last execution that sent them.
    types: Vec<(u8, u8)>,
}

/// One connection's decoder: feed it every packet's payload, in order, per side.
#[derive(Debug)]
pub struct Decoder {
    started: Instant,
    record: Connection,
    client: ClientPhase,
    server: ServerPhase,
    capabilities: CapabilityFlags,
    pending: VecDeque<(usize, Expect)>,
    answer: Answer,
    statements: HashMap<u32, Statement>,
    partial: [Vec<u8>; 2],
}

impl Decoder {
    /// A decoder for a connection opened now; times are counted from `started`.
    pub fn new(started: Instant) -> Decoder {
        Decoder {
            started,
            record: Connection { opened_ms: millis(started), ..Connection::default() },
            client: ClientPhase::Login,
            server: ServerPhase::Greeting,
            capabilities: CapabilityFlags::empty(),
            pending: VecDeque::new(),
            answer: Answer::Start,
            statements: HashMap::new(),
            partial: [Vec::new(), Vec::new()],
        }
    }

    /// What has been recorded so far.
    pub fn record(&self) -> &Connection {
        &self.record
    }

    /// Notes that the program closed the connection.
    pub fn closed(&mut self) {
        if self.record.closed_ms.is_none() {
            self.record.closed_ms = Some(millis(self.started));
        }
    }

    /// Reads one packet's payload travelling on `side`. The greeting is changed in
    /// place (capabilities hidden); every other payload is left as it is.
    pub fn packet(&mut self, side: Side, payload: &mut [u8]) {
        let index = usize::from(side == Side::Server);
        if payload.len() == MAX_PAYLOAD || !self.partial[index].is_empty() {
            self.partial[index].extend_from_slice(payload);
            if payload.len() == MAX_PAYLOAD {
                return;
            }
            let mut whole = std::mem::take(&mut self.partial[index]);
            return self.whole_packet(side, &mut whole);
        }
        self.whole_packet(side, payload);
    }

    fn whole_packet(&mut self, side: Side, payload: &mut [u8]) {
        let result = match side {
            Side::Client => self.client_packet(payload),
            Side::Server => self.server_packet(payload),
        };
        if let Err(why) = result {
            self.give_up(why);
        }
    }

    fn give_up(&mut self, why: String) {
        if self.record.undecoded.is_none() {
            self.record.undecoded = Some(why);
        }
        self.client = ClientPhase::Opaque;
        self.server = ServerPhase::Opaque;
    }

    fn client_packet(&mut self, payload: &[u8]) -> Result<(), String> {
        match self.client {
            ClientPhase::Login => self.login(payload),
            ClientPhase::Authenticating | ClientPhase::Opaque => Ok(()),
            ClientPhase::SendingFile => {
                if payload.is_empty() {
                    self.client = ClientPhase::Commands;
                }
                Ok(())
            }
            ClientPhase::Commands => self.command(payload),
        }
    }

    fn server_packet(&mut self, payload: &mut [u8]) -> Result<(), String> {
        match self.server {
            ServerPhase::Greeting => self.greeting(payload),
            ServerPhase::Authenticating => {
                self.authenticating(payload, None);
                Ok(())
            }
            ServerPhase::Answering => self.answer(payload),
            ServerPhase::Opaque => Ok(()),
        }
    }

    /// The server's first packet: an ERR (no account for this host, too many
    /// connections) or the greeting, whose offers the recorder hides.
    fn greeting(&mut self, payload: &mut [u8]) -> Result<(), String> {
        if payload.first() == Some(&0xFF) {
            self.record.login = Some(error(payload, CapabilityFlags::empty()));
            self.server = ServerPhase::Opaque;
            return Ok(());
        }
        let hello: HandshakePacket<'_> = ParseBuf(payload)
            .parse(())
            .map_err(|e| format!("the server's greeting could not be read: {e}"))?;
        let offered = hello.capabilities();
        self.record.server_version = Some(hello.server_version_str().into_owned());
        self.record.server_auth_plugin = hello.auth_plugin_name_str().map(|name| name.into_owned());
        self.record.tls_hidden = offered.contains(CapabilityFlags::CLIENT_SSL);
        let version_length = hello.server_version_ref().len();
        self.capabilities = offered;
        hide_offers(payload, version_length);
        self.server = ServerPhase::Authenticating;
        Ok(())
    }

    /// The program's handshake response (or its request to start TLS).
    fn login(&mut self, payload: &[u8]) -> Result<(), String> {
        let asked = payload
            .get(..4)
            .map(|bytes| CapabilityFlags::from_bits_truncate(le_u32(bytes)))
            .unwrap_or_default();
        if asked.contains(CapabilityFlags::CLIENT_SSL) && payload.len() == 32 {
            self.record.tls_used = true;
            self.client = ClientPhase::Opaque;
            self.server = ServerPhase::Opaque;
            return Ok(());
        }
        let response: HandshakeResponse<'_> = ParseBuf(payload)
            .parse(())
            .map_err(|e| format!("the program's login could not be read: {e}"))?;
        self.capabilities &= response.capabilities();
        self.record.user = Some(String::from_utf8_lossy(response.user()).into_owned());
        self.record.database = response
            .db_name()
            .filter(|name| !name.is_empty())
            .map(|name| String::from_utf8_lossy(name).into_owned());
        self.record.auth_plugin = response
            .auth_plugin()
            .map(|plugin| String::from_utf8_lossy(plugin.as_bytes()).into_owned())
            .or_else(|| self.record.server_auth_plugin.clone());
        self.client = ClientPhase::Authenticating;
        Ok(())
    }

    /// A packet of an authentication exchange: the login's, or `COM_CHANGE_USER`'s
    /// (`command` is then that command's index).
    fn authenticating(&mut self, payload: &[u8], command: Option<usize>) {
        let outcome = match payload.first() {
            Some(0x00) => ok(payload, self.capabilities),
            Some(0xFF) => error(payload, self.capabilities),
            Some(0xFE) => {
                if let Ok(switch) = ParseBuf(payload).parse::<AuthSwitchRequest<'_>>(()) {
                    let plugin = switch.auth_plugin();
                    self.record.auth_plugin =
                        Some(String::from_utf8_lossy(plugin.as_bytes()).into_owned());
                }
                return;
            }
            _ => return,
        };
        let failed = matches!(outcome, Outcome::Error { .. });
        match command {
            Some(index) => {
                self.record.commands[index].outcomes.push(outcome);
                self.pending.pop_front();
            }
            None => self.record.login = Some(outcome),
        }
        if failed && command.is_none() {
            self.client = ClientPhase::Opaque;
            self.server = ServerPhase::Opaque;
        } else {
            self.client = ClientPhase::Commands;
            self.server = ServerPhase::Answering;
        }
    }

    /// A command from the program.
    fn command(&mut self, payload: &[u8]) -> Result<(), String> {
        let Some((&code, body)) = payload.split_first() else {
            return Err("the program sent an empty command".into());
        };
        let text = || String::from_utf8_lossy(body).into_owned();
        let (kind, expect) = match code {
            0x03 => (CommandKind::ComQuery { sql: text() }, Some(Expect::Results)),
            0x16 => (CommandKind::ComStmtPrepare { sql: text() }, Some(Expect::Prepared)),
            0x17 => (self.execute(body)?, Some(Expect::Results)),
            0x19 => (CommandKind::ComStmtClose { statement: statement_id(body)? }, None),
            0x1A => {
                (CommandKind::ComStmtReset { statement: statement_id(body)? }, Some(Expect::One))
            }
            0x18 => (CommandKind::Other { name: "COM_STMT_SEND_LONG_DATA".into() }, None),
            0x02 => (CommandKind::ComInitDb { database: text() }, Some(Expect::One)),
            0x0E => (CommandKind::ComPing, Some(Expect::One)),
            0x01 => (CommandKind::ComQuit, None),
            0x1F => (CommandKind::ComResetConnection, Some(Expect::One)),
            0x11 => {
                let end = body.iter().position(|&b| b == 0).unwrap_or(body.len());
                let user = String::from_utf8_lossy(&body[..end]).into_owned();
                self.record.user = Some(user.clone());
                self.client = ClientPhase::Authenticating;
                (CommandKind::ComChangeUser { user }, Some(Expect::Login))
            }
            0x09 => (CommandKind::Other { name: "COM_STATISTICS".into() }, Some(Expect::One)),
            0x1B => (CommandKind::Other { name: "COM_SET_OPTION".into() }, Some(Expect::One)),
            other => {
                let name = format!("command 0x{other:02X}");
                self.record.commands.push(Command {
                    at_ms: millis(self.started),
                    kind: CommandKind::Other { name: name.clone() },
                    outcomes: Vec::new(),
                });
                return Err(format!("the program sent {name}, which the recorder does not know"));
            }
        };
        if let CommandKind::ComStmtClose { statement } = kind {
            self.statements.remove(&statement);
        }
        self.record.commands.push(Command {
            at_ms: millis(self.started),
            kind,
            outcomes: Vec::new(),
        });
        if let Some(expect) = expect {
            self.pending.push_back((self.record.commands.len() - 1, expect));
        }
        Ok(())
    }

    /// `COM_STMT_EXECUTE`'s body: the statement, then its parameters' null bitmap,
    /// types (when sent) and values in the binary protocol.
    fn execute(&mut self, body: &[u8]) -> Result<CommandKind, String> {
        let statement = statement_id(body)?;
        let Some(known) = self.statements.get_mut(&statement) else {
            return Ok(CommandKind::ComStmtExecute { statement, sql: None, params: Vec::new() });
        };
        let count = usize::from(known.params);
        let mut params = Vec::with_capacity(count);
        if count > 0 {
            // id (4), cursor flags (1), iteration count (4)
            let rest = body.get(9..).ok_or("a COM_STMT_EXECUTE ended early")?;
            let bitmap_len = count.div_ceil(8);
            let (bitmap, rest) = split(rest, bitmap_len)?;
            let (bound, mut rest) = split(rest, 1)?;
            if bound[0] == 1 {
                let (types, values) = split(rest, 2 * count)?;
                known.types = types.chunks(2).map(|t| (t[0], t[1])).collect();
                rest = values;
            }
            let mut buf = ParseBuf(rest);
            for index in 0..count {
                if bitmap[index / 8] & (1 << (index % 8)) != 0 {
                    params.push(Param::Null);
                    continue;
                }
                let (type_code, flags) = known.types.get(index).copied().unwrap_or((0xFD, 0));
                let column_type = ColumnType::try_from(type_code)
                    .map_err(|_| format!("a parameter has the unknown type {type_code}"))?;
                let flags = if flags & 0x80 != 0 {
                    ColumnFlags::UNSIGNED_FLAG
                } else {
                    ColumnFlags::empty()
                };
                let value: ValueDeserializer<BinValue> = buf
                    .parse((column_type, flags))
                    .map_err(|e| format!("a parameter could not be read: {e}"))?;
                params.push(param(value.0));
            }
        }
        Ok(CommandKind::ComStmtExecute { statement, sql: Some(known.sql.clone()), params })
    }

    /// A packet of the server's answer to the oldest command still waiting.
    fn answer(&mut self, payload: &[u8]) -> Result<(), String> {
        let Some(&(index, expect)) = self.pending.front() else {
            return Err("the server sent a packet nobody asked for".into());
        };
        let deprecate_eof = self.capabilities.contains(CapabilityFlags::CLIENT_DEPRECATE_EOF);
        match self.answer {
            Answer::Skip { packets, then } => {
                self.answer = match (packets, then) {
                    (1, AfterSkip::Rows) => Answer::Rows { count: 0 },
                    (1, AfterSkip::Done) => {
                        self.pending.pop_front();
                        Answer::Start
                    }
                    (left, then) => Answer::Skip { packets: left - 1, then },
                };
                Ok(())
            }
            Answer::Rows { count } => {
                let first = payload.first().copied();
                let terminator = first == Some(0xFE)
                    && if deprecate_eof { payload.len() < MAX_PAYLOAD } else { payload.len() < 9 };
                if first == Some(0xFF) {
                    self.finish(index, error(payload, self.capabilities), false);
                } else if terminator {
                    let more = self.terminator_says_more(payload, deprecate_eof);
                    self.finish(index, Outcome::Rows { count }, more);
                } else {
                    self.answer = Answer::Rows { count: count + 1 };
                }
                Ok(())
            }
            Answer::Start => match expect {
                Expect::Login => {
                    self.authenticating(payload, Some(index));
                    Ok(())
                }
                Expect::One => {
                    let outcome = match payload.first() {
                        Some(0xFF) => Some(error(payload, self.capabilities)),
                        Some(0x00) => Some(ok(payload, self.capabilities)),
                        _ => None,
                    };
                    self.finish_with(index, outcome, false);
                    Ok(())
                }
                Expect::Prepared => self.prepared(index, payload, deprecate_eof),
                Expect::Results => self.results(index, payload, deprecate_eof),
            },
        }
    }

    /// The first packet of an answer to `COM_QUERY` or `COM_STMT_EXECUTE`.
    fn results(&mut self, index: usize, payload: &[u8], deprecate_eof: bool) -> Result<(), String> {
        match payload.first() {
            Some(0x00) => {
                let more = status(payload, self.capabilities)
                    .is_some_and(|s| s.contains(StatusFlags::SERVER_MORE_RESULTS_EXISTS));
                self.finish(index, ok(payload, self.capabilities), more);
            }
            Some(0xFF) => self.finish(index, error(payload, self.capabilities), false),
            Some(0xFB) => {
                let name = String::from_utf8_lossy(&payload[1..]).into_owned();
                self.record.commands[index].outcomes.push(Outcome::LocalFile { name });
                self.client = ClientPhase::SendingFile;
            }
            _ => {
                let columns = ParseBuf(payload).eat_lenenc_int();
                let packets = columns + u64::from(!deprecate_eof);
                self.answer = Answer::Skip { packets, then: AfterSkip::Rows };
            }
        }
        Ok(())
    }

    /// The first packet of an answer to `COM_STMT_PREPARE`.
    fn prepared(
        &mut self,
        index: usize,
        payload: &[u8],
        deprecate_eof: bool,
    ) -> Result<(), String> {
        if payload.first() == Some(&0xFF) {
            self.finish(index, error(payload, self.capabilities), false);
            return Ok(());
        }
        let prepared: StmtPacket = ParseBuf(payload)
            .parse(())
            .map_err(|e| format!("the answer to a COM_STMT_PREPARE could not be read: {e}"))?;
        let (statement, params, columns) =
            (prepared.statement_id(), prepared.num_params(), prepared.num_columns());
        let sql = match &self.record.commands[index].kind {
            CommandKind::ComStmtPrepare { sql } => sql.clone(),
            _ => String::new(),
        };
        self.statements.insert(statement, Statement { sql, params, types: Vec::new() });
        self.record.commands[index].outcomes.push(Outcome::Prepared { statement, params, columns });
        let definitions = |n: u16| {
            if n == 0 {
                0
            } else {
                u64::from(n) + u64::from(!deprecate_eof)
            }
        };
        let packets = definitions(params) + definitions(columns);
        if packets == 0 {
            self.pending.pop_front();
        } else {
            self.answer = Answer::Skip { packets, then: AfterSkip::Done };
        }
        Ok(())
    }

    /// Whether a result set's last packet says another result follows.
    fn terminator_says_more(&self, payload: &[u8], deprecate_eof: bool) -> bool {
        let flags = if deprecate_eof {
            ParseBuf(payload)
                .parse::<OkPacketDeserializer<'_, ResultSetTerminator>>(self.capabilities)
                .ok()
                .map(|ok| ok.into_inner().status_flags())
        } else {
            payload
                .get(3..5)
                .map(|b| StatusFlags::from_bits_truncate(u16::from_le_bytes([b[0], b[1]])))
        };
        flags.is_some_and(|s| s.contains(StatusFlags::SERVER_MORE_RESULTS_EXISTS))
    }

    /// Records `outcome` for command `index`; unless `more` results follow, the
    /// command is answered.
    fn finish(&mut self, index: usize, outcome: Outcome, more: bool) {
        self.finish_with(index, Some(outcome), more);
    }

    fn finish_with(&mut self, index: usize, outcome: Option<Outcome>, more: bool) {
        self.record.commands[index].outcomes.extend(outcome);
        self.answer = Answer::Start;
        if !more {
            self.pending.pop_front();
        }
    }

    /// The record, once the connection is over.
    pub fn into_record(self) -> Connection {
        self.record
    }
}

/// Clears the hidden capabilities in a greeting: the two halves of the capability
/// flags and MariaDB's extended capabilities, at their places after the version.
fn hide_offers(payload: &mut [u8], version_length: usize) {
    // protocol version (1), version and its NUL, connection id (4), scramble (8), filler (1)
    let lower = 1 + version_length + 1 + 4 + 8 + 1;
    let upper = lower + 2 + 1 + 2;
    let mariadb = upper + 2 + 1 + 6;
    let hidden = HIDDEN.bits();
    for (at, mask) in [(lower, hidden as u16), (upper, (hidden >> 16) as u16)] {
        if let Some(bytes) = payload.get_mut(at..at + 2) {
            let flags = u16::from_le_bytes([bytes[0], bytes[1]]) & !mask;
            bytes.copy_from_slice(&flags.to_le_bytes());
        }
    }
    if let Some(bytes) = payload.get_mut(mariadb..mariadb + 4) {
        bytes.fill(0);
    }
}

fn ok(payload: &[u8], capabilities: CapabilityFlags) -> Outcome {
    match ParseBuf(payload).parse::<OkPacketDeserializer<'_, CommonOkPacket>>(capabilities) {
        Ok(packet) => {
            let packet = packet.into_inner();
            Outcome::Ok {
                affected_rows: packet.affected_rows(),
                last_insert_id: packet.last_insert_id().filter(|&id| id != 0),
            }
        }
        Err(_) => Outcome::Ok { affected_rows: 0, last_insert_id: None },
    }
}

fn status(payload: &[u8], capabilities: CapabilityFlags) -> Option<StatusFlags> {
    ParseBuf(payload)
        .parse::<OkPacketDeserializer<'_, CommonOkPacket>>(capabilities)
        .ok()
        .map(|packet| packet.into_inner().status_flags())
}

fn error(payload: &[u8], capabilities: CapabilityFlags) -> Outcome {
    // An ERR before the greeting has no SQL state, as if without CLIENT_PROTOCOL_41.
    let capabilities = if capabilities.is_empty() {
        CapabilityFlags::empty()
    } else {
        capabilities | CapabilityFlags::CLIENT_PROTOCOL_41
    };
    match ParseBuf(payload).parse::<ErrPacket<'_>>(capabilities) {
        Ok(ErrPacket::Error(error)) => {
            Outcome::Error { code: error.error_code(), message: error.message_str().into_owned() }
        }
        _ => Outcome::Error { code: 0, message: String::from_utf8_lossy(payload).into_owned() },
    }
}

fn param(value: Value) -> Param {
    match value {
        Value::NULL => Param::Null,
        Value::Int(value) => Param::Int(value),
        Value::UInt(value) => Param::UInt(value),
        Value::Float(value) => Param::Float(f64::from(value)),
        Value::Double(value) => Param::Float(value),
        Value::Bytes(bytes) => Param::Text(String::from_utf8_lossy(&bytes).into_owned()),
        date @ Value::Date(..) | date @ Value::Time(..) => {
            // as_sql quotes it: '2024-05-01 13:00:00'
            Param::Text(date.as_sql(false).trim_matches('\'').to_string())
        }
    }
}

fn statement_id(body: &[u8]) -> Result<u32, String> {
    body.get(..4).map(le_u32).ok_or_else(|| "a statement command ended early".into())
}

fn le_u32(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn split(bytes: &[u8], at: usize) -> Result<(&[u8], &[u8]), String> {
    if bytes.len() < at {
        return Err("a COM_STMT_EXECUTE ended early".into());
    }
    Ok(bytes.split_at(at))
}

fn millis(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use mysql_common::packets::ComStmtExecuteRequestBuilder;

    use super::*;
    use crate::wire::record::Outcome;

    /// Greetings as two servers sent them (the offline images' MariaDB 10.11 and
    /// Oracle MySQL 9.7).
    const MARIADB_GREETING: &str = "0a352e352e352d31302e31312e31382d4d6172696144422d302b646562313275310004000000563a5e4b3d2f716e00fef72d0200ff81150000000000001d00000054396058766b366a35652273006d7973716c5f6e61746976655f70617373776f726400";
    const MYSQL_GREETING: &str = "0a392e372e342d32000a0000001b616b7f31496e0800ffffff0200ffdf15000000000000000000005e6c4967360a176f716858170063616368696e675f736861325f70617373776f726400";

    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
    }

    fn greeted(hex: &str) -> (Decoder, Vec<u8>) {
        let mut decoder = Decoder::new(Instant::now());
        let mut greeting = bytes(hex);
        decoder.packet(Side::Server, &mut greeting);
        (decoder, greeting)
    }

    #[test]
    fn a_mysql_greeting_is_read_and_its_tls_offer_hidden() {
        let (decoder, greeting) = greeted(MYSQL_GREETING);
        let record = decoder.record();
        assert_eq!(record.server_version.as_deref(), Some("9.7.4-2"));
        assert_eq!(record.server_auth_plugin.as_deref(), Some("caching_sha2_password"));
        assert!(record.tls_hidden);
        let sent = bytes(MYSQL_GREETING);
        let original: HandshakePacket<'_> = ParseBuf(&sent).parse(()).unwrap();
        let relayed: HandshakePacket<'_> = ParseBuf(&greeting).parse(()).unwrap();
        assert!(original.capabilities().contains(CapabilityFlags::CLIENT_SSL));
        assert_eq!(relayed.capabilities(), original.capabilities() - HIDDEN);
        assert_eq!(relayed.nonce(), original.nonce());
        assert_eq!(greeting.len(), sent.len());
    }

    #[test]
    fn a_mariadb_greeting_loses_its_extended_capabilities() {
        let (decoder, greeting) = greeted(MARIADB_GREETING);
        let record = decoder.record();
        assert_eq!(record.server_version.as_deref(), Some("5.5.5-10.11.18-MariaDB-0+deb12u1"));
        assert_eq!(record.server_auth_plugin.as_deref(), Some("mysql_native_password"));
        assert!(!record.tls_hidden);
        let sent = bytes(MARIADB_GREETING);
        let original: HandshakePacket<'_> = ParseBuf(&sent).parse(()).unwrap();
        let relayed: HandshakePacket<'_> = ParseBuf(&greeting).parse(()).unwrap();
        assert!(!original.mariadb_ext_capabilities().is_empty());
        assert!(relayed.mariadb_ext_capabilities().is_empty());
        assert_eq!(relayed.auth_plugin_name_ref(), original.auth_plugin_name_ref());
    }

    fn serialized(packet: &impl mysql_common::proto::MySerialize) -> Vec<u8> {
        let mut buf = Vec::new();
        packet.serialize(&mut buf);
        buf
    }

    /// A decoder past a MySQL greeting and a login as `app` with `capabilities`.
    fn logged_in(capabilities: CapabilityFlags) -> Decoder {
        let (mut decoder, _) = greeted(MYSQL_GREETING);
        let login = HandshakeResponse::new(
            Some(vec![0u8; 32]),
            (9, 7, 4),
            Some(&b"app"[..]),
            Some(&b"shop"[..]),
            Some(mysql_common::packets::AuthPlugin::CachingSha2Password),
            capabilities,
            None,
            1 << 24,
        );
        decoder.packet(Side::Client, &mut serialized(&login));
        decoder.packet(Side::Server, &mut [0x01, 0x03]); // fast authentication
        decoder.packet(Side::Server, &mut [0x00, 0, 0, 2, 0, 0, 0]);
        decoder
    }

    #[test]
    fn a_prepared_statement_is_followed_with_every_parameter_type() {
        let capabilities = CapabilityFlags::CLIENT_PROTOCOL_41
            | CapabilityFlags::CLIENT_SECURE_CONNECTION
            | CapabilityFlags::CLIENT_PLUGIN_AUTH
            | CapabilityFlags::CLIENT_CONNECT_WITH_DB
            | CapabilityFlags::CLIENT_TRANSACTIONS;
        let mut decoder = logged_in(capabilities);
        let sql = "INSERT INTO t (s, i, u, n, d, at) VALUES (?, ?, ?, ?, ?, ?)";
        let mut prepare = vec![0x16];
        prepare.extend_from_slice(sql.as_bytes());
        decoder.packet(Side::Client, &mut prepare);
        // statement 7, no columns, 6 parameters: their 6 definitions, then an EOF
        decoder.packet(Side::Server, &mut [0x00, 7, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0]);
        for _ in 0..6 {
            decoder.packet(Side::Server, &mut [0x03, b'd', b'e', b'f']);
        }
        decoder.packet(Side::Server, &mut [0xFE, 0, 0, 2, 0]);
        let values = [
            Value::Bytes("O'Brien 😀".into()),
            Value::Int(-42),
            Value::UInt(u64::MAX),
            Value::NULL,
            Value::Double(25.5),
            Value::Date(2024, 5, 1, 13, 0, 0, 0),
        ];
        let (execute, _) = ComStmtExecuteRequestBuilder::new(7).build(&values);
        decoder.packet(Side::Client, &mut serialized(&execute));
        decoder.packet(Side::Server, &mut [0x00, 1, 9, 2, 0, 0, 0]);
        let mut quit = vec![0x01];
        decoder.packet(Side::Client, &mut quit);
        decoder.closed();

        let record = decoder.into_record();
        assert_eq!(record.user.as_deref(), Some("app"));
        assert_eq!(record.database.as_deref(), Some("shop"));
        assert_eq!(record.auth_plugin.as_deref(), Some("caching_sha2_password"));
        assert_eq!(record.login, Some(Outcome::Ok { affected_rows: 0, last_insert_id: None }));
        assert_eq!(record.undecoded, None);
        let kinds: Vec<&CommandKind> = record.commands.iter().map(|c| &c.kind).collect();
        assert_eq!(
            kinds,
            [
                &CommandKind::ComStmtPrepare { sql: sql.into() },
                &CommandKind::ComStmtExecute {
                    statement: 7,
                    sql: Some(sql.into()),
                    params: vec![
                        Param::Text("O'Brien 😀".into()),
                        Param::Int(-42),
                        Param::UInt(u64::MAX),
                        Param::Null,
                        Param::Float(25.5),
                        Param::Text("2024-05-01 13:00:00".into()),
                    ],
                },
                &CommandKind::ComQuit,
            ]
        );
        assert_eq!(
            record.commands[0].outcomes,
            [Outcome::Prepared { statement: 7, params: 6, columns: 0 }]
        );
        assert_eq!(
            record.commands[1].outcomes,
            [Outcome::Ok { affected_rows: 1, last_insert_id: Some(9) }]
        );
    }

    /// A text query answered with `rows` rows of one column, ended as `deprecate_eof`
    /// says, then an error to the next query.
    fn query_and_rows(deprecate_eof: bool, rows: usize) -> Connection {
        let mut capabilities = CapabilityFlags::CLIENT_PROTOCOL_41
            | CapabilityFlags::CLIENT_SECURE_CONNECTION
            | CapabilityFlags::CLIENT_PLUGIN_AUTH;
        if deprecate_eof {
            capabilities |= CapabilityFlags::CLIENT_DEPRECATE_EOF;
        }
        let mut decoder = logged_in(capabilities);
        decoder.packet(Side::Client, &mut b"\x03SHOW DATABASES".to_vec());
        decoder.packet(Side::Server, &mut [0x01]);
        decoder.packet(Side::Server, &mut [0x03, b'd', b'e', b'f']);
        if !deprecate_eof {
            decoder.packet(Side::Server, &mut [0xFE, 0, 0, 2, 0]);
        }
        for _ in 0..rows {
            decoder.packet(Side::Server, &mut [0x04, b's', b'h', b'o', b'p']);
        }
        if deprecate_eof {
            decoder.packet(Side::Server, &mut [0xFE, 0, 0, 2, 0, 0, 0]);
        } else {
            decoder.packet(Side::Server, &mut [0xFE, 0, 0, 2, 0]);
        }
        decoder.packet(Side::Client, &mut b"\x03SELEC 1".to_vec());
        let mut error = vec![0xFF, 0x28, 0x04, b'#'];
        error.extend_from_slice(b"42000You have an error in your SQL syntax");
        decoder.packet(Side::Server, &mut error);
        decoder.into_record()
    }

    #[test]
    fn result_sets_are_counted_with_and_without_eof_packets() {
        for deprecate_eof in [false, true] {
            let record = query_and_rows(deprecate_eof, 3);
            assert_eq!(
                record.commands[0].outcomes,
                [Outcome::Rows { count: 3 }],
                "{deprecate_eof}"
            );
            assert_eq!(
                record.commands[1].outcomes,
                [Outcome::Error {
                    code: 1064,
                    message: "You have an error in your SQL syntax".into()
                }]
            );
        }
    }

    #[test]
    fn a_refused_login_ends_the_conversation() {
        let (mut decoder, _) = greeted(MYSQL_GREETING);
        decoder.packet(Side::Client, &mut [0, 0, 0, 0]);
        assert!(decoder.record().undecoded.is_some());

        let mut refused = Decoder::new(Instant::now());
        let mut error = vec![0xFF, 0x6A, 0x04];
        error.extend_from_slice(b"Host '10.0.0.9' is not allowed to connect to this MySQL server");
        refused.packet(Side::Server, &mut error);
        assert_eq!(
            refused.record().login,
            Some(Outcome::Error {
                code: 1130,
                message: "Host '10.0.0.9' is not allowed to connect to this MySQL server".into()
            })
        );
    }
}
