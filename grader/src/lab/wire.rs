//! The first moments of a connection, read by hand: whether a TCP connection to the
//! server's port opens (and if not, how it failed: a timeout is a firewall that drops,
//! a refusal is a closed port), and the first packet the server sends, its greeting
//! (protocol 10, the server's version) or an error (1130: this host has no account).

use std::io::{self, Read as _};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// How an attempt to open a TCP connection to the server's port ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// The connection opened, and the server's first packet said this.
    Open(FirstPacket),
    /// No answer within the time allowed: the packets were dropped on the way.
    TimedOut,
    /// Refused at once: the host answered, but its port is closed to us (nothing
    /// listens on that address, or a firewall rejects rather than drops).
    Refused,
    /// No route to the host or its network.
    NoRoute(String),
}

/// The first packet a MySQL server sends on a new connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstPacket {
    /// The handshake: protocol version and the server's version string.
    Greeting {
        /// The protocol version (10 for every current server).
        protocol: u8,
        /// The server's version, such as `10.11.6-MariaDB-0+deb12u1`.
        version: String,
    },
    /// An error instead of a greeting, such as 1130 for a host with no account.
    Error {
        /// The error's code.
        code: u16,
        /// The server's message.
        message: String,
    },
    /// Nothing a MySQL server would send (another program on that port).
    Other(String),
}

/// Opens a TCP connection to `address` within `timeout` and reads the first packet.
pub fn reach(address: SocketAddr, timeout: Duration) -> Reach {
    let mut stream = match TcpStream::connect_timeout(&address, timeout) {
        Ok(stream) => stream,
        Err(error) => return failed(&error),
    };
    let _ = stream.set_read_timeout(Some(timeout));
    Reach::Open(read_first_packet(&mut stream))
}

fn failed(error: &io::Error) -> Reach {
    match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Reach::TimedOut,
        io::ErrorKind::ConnectionRefused => Reach::Refused,
        _ => Reach::NoRoute(error.to_string()),
    }
}

fn read_first_packet(stream: &mut TcpStream) -> FirstPacket {
    let mut header = [0u8; 4];
    if let Err(error) = stream.read_exact(&mut header) {
        return FirstPacket::Other(format!("the connection opened, but nothing came ({error})"));
    }
    let length =
        usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
    let mut payload = vec![0u8; length.min(1 << 16)];
    if let Err(error) = stream.read_exact(&mut payload) {
        return FirstPacket::Other(format!("the first packet was cut short ({error})"));
    }
    parse_first_packet(&payload)
}

/// Reads the payload of a server's first packet.
pub fn parse_first_packet(payload: &[u8]) -> FirstPacket {
    match payload.first() {
        Some(&0xff) if payload.len() >= 3 => {
            let code = u16::from_le_bytes([payload[1], payload[2]]);
            let mut text = &payload[3..];
            // A `#` and a five-character SQL state may come first.
            if text.first() == Some(&b'#') && text.len() >= 6 {
                text = &text[6..];
            }
            FirstPacket::Error { code, message: String::from_utf8_lossy(text).into_owned() }
        }
        Some(&protocol) if protocol == 10 => {
            let rest = &payload[1..];
            let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            FirstPacket::Greeting {
                protocol,
                version: String::from_utf8_lossy(&rest[..end]).into_owned(),
            }
        }
        _ => FirstPacket::Other(format!(
            "the first {} bytes are not a MySQL greeting",
            payload.len().min(16)
        )),
    }
}

/// What the two clients say when nothing answers on `host`'s `port` in time, or at
/// once, with the operating system's code (110 timed out, 111 or 115 refused).
pub fn clients_say(host: &str, port: u16, reach: &Reach) -> String {
    let (mysql, mariadb) = match reach {
        Reach::TimedOut => ("110", "110"),
        _ => ("111", "115"),
    };
    format!(
        "MariaDB's client: ERROR 2002 (HY000): Can't connect to server on '{host}' ({mariadb}); \
         MySQL's: ERROR 2003 (HY000): Can't connect to MySQL server on '{host}:{port}' ({mysql})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_and_refusals_are_read() {
        let mut greeting = vec![10u8];
        greeting.extend_from_slice(b"10.11.6-MariaDB\0rest");
        assert_eq!(
            parse_first_packet(&greeting),
            FirstPacket::Greeting { protocol: 10, version: "10.11.6-MariaDB".into() }
        );
        let mut refusal = vec![0xff, 0x6a, 0x04];
        refusal
            .extend_from_slice(b"Host '10.0.0.3' is not allowed to connect to this MariaDB server");
        assert_eq!(
            parse_first_packet(&refusal),
            FirstPacket::Error {
                code: 1130,
                message: "Host '10.0.0.3' is not allowed to connect to this MariaDB server".into()
            }
        );
        assert!(matches!(parse_first_packet(b"SSH-2.0"), FirstPacket::Other(_)));
    }

    #[test]
    fn a_closed_port_is_refused_and_both_clients_are_quoted() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let reach = reach(address, Duration::from_secs(5));
        assert_eq!(reach, Reach::Refused);
        assert_eq!(
            clients_say("172.31.5.10", 3306, &reach),
            "MariaDB's client: ERROR 2002 (HY000): Can't connect to server on '172.31.5.10' (115); \
             MySQL's: ERROR 2003 (HY000): Can't connect to MySQL server on '172.31.5.10:3306' (111)"
        );
    }
}
