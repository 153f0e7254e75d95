//! The recorder: a proxy on a free loopback port that relays every connection a
//! program opens to the real server, packet by packet, and hands each packet to a
//! [`Decoder`] on the way. A relay thread per direction and connection; a packet is
//! written on as soon as it is read (written in batches only while more bytes are
//! already waiting), so the program sees the server's own timing.

use std::io::{self, BufReader, BufWriter, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use socket2::{Domain, Protocol, Socket, Type};

use super::decode::{Decoder, Side};
use super::record::{Connection, Recording};

/// How long a relay may go on after the recording is asked for, before its sockets
/// are shut.
const WIND_DOWN: Duration = Duration::from_secs(2);

/// A running recorder for one server.
pub struct Recorder {
    port: u16,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recorder(127.0.0.1:{})", self.port)
    }
}

/// What the acceptor and the relays share.
struct Shared {
    started: Instant,
    server: (String, u16),
    source: Option<IpAddr>,
    stopping: AtomicBool,
    connections: Mutex<Vec<Arc<Mutex<Decoder>>>>,
    relays: Mutex<Vec<JoinHandle<()>>>,
    sockets: Mutex<Vec<TcpStream>>,
}

impl Recorder {
    /// Starts a recorder that relays to the server at `host`:`port`, connecting
    /// from `source` if given.
    pub fn start(host: &str, port: u16, source: Option<IpAddr>) -> Result<Recorder> {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .context("cannot open a loopback port for the wire recorder")?;
        let local = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            started: Instant::now(),
            server: (host.to_string(), port),
            source,
            stopping: AtomicBool::new(false),
            connections: Mutex::new(Vec::new()),
            relays: Mutex::new(Vec::new()),
            sockets: Mutex::new(Vec::new()),
        });
        let acceptor = {
            let shared = shared.clone();
            thread::Builder::new()
                .name("wire-accept".into())
                .spawn(move || accept(&listener, &shared))
                .context("cannot start the wire recorder")?
        };
        Ok(Recorder { port: local, shared, acceptor: Some(acceptor) })
    }

    /// The loopback port programs connect to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `url` with its host and port replaced by the recorder's.
    pub fn url(&self, url: &str) -> String {
        redirect(url, self.port)
    }

    /// Stops accepting, lets the connections end (those still open after a moment
    /// are cut), and returns what was said on them.
    pub fn finish(mut self) -> Recording {
        self.stop();
        let deadline = Instant::now() + WIND_DOWN;
        let relays = std::mem::take(&mut *lock(&self.shared.relays));
        while Instant::now() < deadline && relays.iter().any(|relay| !relay.is_finished()) {
            thread::sleep(Duration::from_millis(2));
        }
        for socket in lock(&self.shared.sockets).iter() {
            let _ = socket.shutdown(Shutdown::Both);
        }
        for relay in relays {
            let _ = relay.join();
        }
        let connections = std::mem::take(&mut *lock(&self.shared.connections));
        Recording {
            connections: connections
                .into_iter()
                .map(|decoder| match Arc::try_unwrap(decoder) {
                    Ok(decoder) => {
                        decoder.into_inner().unwrap_or_else(PoisonError::into_inner).into_record()
                    }
                    Err(shared) => lock(&shared).record().clone(),
                })
                .collect::<Vec<Connection>>(),
        }
    }

    fn stop(&mut self) {
        let Some(acceptor) = self.acceptor.take() else { return };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wakes the acceptor up from accept().
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let _ = acceptor.join();
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop();
        for socket in lock(&self.shared.sockets).iter() {
            let _ = socket.shutdown(Shutdown::Both);
        }
    }
}

/// Accepts connections until told to stop, starting two relays for each.
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for client in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(client) = client else { continue };
        let shared_for_connection = shared.clone();
        let spawned = thread::Builder::new()
            .name("wire-connect".into())
            .spawn(move || connect(client, &shared_for_connection));
        if let Ok(handle) = spawned {
            lock(&shared.relays).push(handle);
        }
    }
}

/// Opens the connection to the server for `client` and relays both ways.
fn connect(client: TcpStream, shared: &Shared) {
    let decoder = Arc::new(Mutex::new(Decoder::new(shared.started)));
    lock(&shared.connections).push(decoder.clone());
    let server = match open(&shared.server, shared.source) {
        Ok(server) => server,
        Err(_) => {
            // The program sees a connection closed before any greeting, as it
            // would from a server that went away.
            lock(&decoder).closed();
            return;
        }
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(client_reader), Ok(server_reader)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    if let (Ok(a), Ok(b)) = (client.try_clone(), server.try_clone()) {
        lock(&shared.sockets).extend([a, b]);
    }
    let upstream = {
        let decoder = decoder.clone();
        let server = match server.try_clone() {
            Ok(server) => server,
            Err(_) => return,
        };
        thread::Builder::new()
            .name("wire-up".into())
            .spawn(move || relay(client_reader, server, Side::Client, &decoder))
    };
    relay(server_reader, client, Side::Server, &decoder);
    if let Ok(upstream) = upstream {
        let _ = upstream.join();
    }
}

fn open((host, port): &(String, u16), source: Option<IpAddr>) -> io::Result<TcpStream> {
    let mut last =
        io::Error::new(io::ErrorKind::NotFound, "the server's address resolves to nothing");
    for address in (host.as_str(), *port).to_socket_addrs()? {
        match connect_from(source, address) {
            Ok(stream) => return Ok(stream),
            Err(error) => last = error,
        }
    }
    Err(last)
}

/// A connection to `address`, from `source` (any port of it) if given.
fn connect_from(source: Option<IpAddr>, address: SocketAddr) -> io::Result<TcpStream> {
    let timeout = crate::server::CONNECT_TIMEOUT;
    let Some(source) = source else { return TcpStream::connect_timeout(&address, timeout) };
    let socket = Socket::new(Domain::for_address(address), Type::STREAM, Some(Protocol::TCP))?;
    socket.bind(&SocketAddr::new(source, 0).into())?;
    socket.connect_timeout(&address.into(), timeout)?;
    Ok(socket.into())
}

/// Relays packets from `from` to `to` until `from` ends, showing each to the decoder.
fn relay(from: TcpStream, to: TcpStream, side: Side, decoder: &Mutex<Decoder>) {
    let mut reader = BufReader::with_capacity(64 * 1024, from);
    let mut writer = BufWriter::with_capacity(64 * 1024, &to);
    let mut packet = Vec::new();
    loop {
        let mut header = [0u8; 4];
        if reader.read_exact(&mut header).is_err() {
            break;
        }
        let length =
            usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
        packet.clear();
        packet.extend_from_slice(&header);
        packet.resize(4 + length, 0);
        if reader.read_exact(&mut packet[4..]).is_err() {
            let _ = writer.write_all(&packet);
            break;
        }
        lock(decoder).packet(side, &mut packet[4..]);
        if writer.write_all(&packet).is_err() {
            break;
        }
        if reader.buffer().is_empty() && writer.flush().is_err() {
            break;
        }
    }
    let _ = writer.flush();
    drop(writer);
    let _ = to.shutdown(Shutdown::Write);
    if side == Side::Client {
        lock(decoder).closed();
    }
}

/// Where the host and port of `url` (`mysql://user:password@host:port/…`) start and
/// end.
fn host_and_port(url: &str) -> (usize, usize) {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let authority_end =
        url[after_scheme..].find(['/', '?']).map_or(url.len(), |at| after_scheme + at);
    let host_start = url[after_scheme..authority_end]
        .rfind('@')
        .map_or(after_scheme, |at| after_scheme + at + 1);
    (host_start, authority_end)
}

/// `url` with `127.0.0.1:port` as its host and port.
fn redirect(url: &str, port: u16) -> String {
    let (start, end) = host_and_port(url);
    format!("{}127.0.0.1:{port}{}", &url[..start], &url[end..])
}

/// The address `url` names, when its host is an IP address (port 3306 when it gives
/// none).
pub fn address_of(url: &str) -> Option<std::net::SocketAddr> {
    let (start, end) = host_and_port(url);
    let authority = &url[start..end];
    authority.parse().ok().or_else(|| {
        let ip: std::net::IpAddr = authority.trim_matches(['[', ']']).parse().ok()?;
        Some(std::net::SocketAddr::new(ip, 3306))
    })
}

/// Whether `url` names the server at `host`:`port` (3306 when it gives no port).
pub fn names_server(url: &str, host: &str, port: u16) -> bool {
    let (start, end) = host_and_port(url);
    let authority = &url[start..end];
    let (url_host, url_port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.contains(']') => (h, p.parse().ok()),
        _ => (authority, Some(3306)),
    };
    url_host == host && url_port == Some(port)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_redirected_to_the_recorder() {
        assert_eq!(
            redirect("mysql://u:p@db.example:3306/shop?prefer_socket=false", 4000),
            "mysql://u:p@127.0.0.1:4000/shop?prefer_socket=false"
        );
        assert_eq!(redirect("mysql://u:p@[::1]:3306", 4000), "mysql://u:p@127.0.0.1:4000");
        assert_eq!(redirect("mysql://u@h/db", 1), "mysql://u@127.0.0.1:1/db");
    }

    #[test]
    fn a_url_names_a_server_by_host_and_port() {
        assert!(names_server("mysql://u:p@127.0.0.1:3307/db?x=1", "127.0.0.1", 3307));
        assert!(!names_server("mysql://u:p@127.0.0.1:3308/db", "127.0.0.1", 3307));
        assert!(!names_server("mysql://u:p@127.0.0.2:3307/db", "127.0.0.1", 3307));
        assert!(names_server("mysql://u:p@db/x", "db", 3306));
    }

    #[test]
    fn a_url_with_an_ip_address_names_a_socket_address() {
        let at = |url| address_of(url).map(|a| a.to_string());
        assert_eq!(at("mysql://u:p@10.1.2.3:3307?x=1").as_deref(), Some("10.1.2.3:3307"));
        assert_eq!(at("mysql://u:p@127.0.0.4/db").as_deref(), Some("127.0.0.4:3306"));
        assert_eq!(at("mysql://u:p@db.example:3306/db"), None);
    }
}
