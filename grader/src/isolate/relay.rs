//! The grader's side of an address the isolated program may reach: what arrives on
//! the listening socket opened inside the program's network is relayed, byte for
//! byte, to the same address in the grader's own network (the wire recorder, say),
//! from threads born where the run was started, so a run started in another network
//! namespace (exercise 10's lab) relays into that one.

use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// How long the grader's side waits to reach the address outside.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A relay from a listener inside to an address outside. Dropping it stops
/// accepting; connections already relayed end with the program's side.
pub struct Relay {
    listener: Arc<TcpListener>,
    stopping: Arc<AtomicBool>,
}

impl Relay {
    /// Relays every connection accepted on `listener` to `to`.
    pub fn start(listener: TcpListener, to: SocketAddr) -> io::Result<Relay> {
        let listener = Arc::new(listener);
        let stopping = Arc::new(AtomicBool::new(false));
        let (accepting, stop) = (listener.clone(), stopping.clone());
        thread::Builder::new().name("isolate-accept".into()).spawn(move || {
            for inside in accepting.incoming() {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(inside) = inside else { continue };
                let _ = thread::Builder::new()
                    .name("isolate-relay".into())
                    .spawn(move || relay(inside, to));
            }
        })?;
        Ok(Relay { listener, stopping })
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // A listening socket shut down wakes the thread blocked in accept().
        let _ =
            nix::sys::socket::shutdown(self.listener.as_raw_fd(), nix::sys::socket::Shutdown::Both);
    }
}

/// Connects to `to` and copies both ways until each side has finished.
fn relay(inside: TcpStream, to: SocketAddr) {
    let Ok(outside) = TcpStream::connect_timeout(&to, CONNECT_TIMEOUT) else {
        // The program sees its connection closed, as a server gone away would.
        return;
    };
    let _ = inside.set_nodelay(true);
    let _ = outside.set_nodelay(true);
    let (Ok(inside_reader), Ok(outside_writer)) = (inside.try_clone(), outside.try_clone()) else {
        return;
    };
    let upstream = thread::Builder::new()
        .name("isolate-relay-up".into())
        .spawn(move || copy(inside_reader, outside_writer));
    copy(outside, inside);
    if let Ok(upstream) = upstream {
        let _ = upstream.join();
    }
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    let _ = to.shutdown(Shutdown::Write);
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Write as _};

    use super::*;

    #[test]
    fn bytes_cross_both_ways_and_a_stopped_relay_accepts_no_more() {
        let target = TcpListener::bind("127.0.0.1:0").unwrap();
        let to = target.local_addr().unwrap();
        let inside = TcpListener::bind("127.0.0.1:0").unwrap();
        let entry = inside.local_addr().unwrap();
        let relay = Relay::start(inside, to).unwrap();
        let mut client = TcpStream::connect(entry).unwrap();
        let (mut server, _) = target.accept().unwrap();
        client.write_all(b"ping").unwrap();
        let mut four = [0; 4];
        server.read_exact(&mut four).unwrap();
        assert_eq!(&four, b"ping");
        server.write_all(b"pong").unwrap();
        drop(server);
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).unwrap();
        assert_eq!(answer, b"pong");
        drop(relay);
        thread::sleep(Duration::from_millis(50));
        assert!(TcpStream::connect(entry).is_err(), "a stopped relay's listener is closed");
    }
}
