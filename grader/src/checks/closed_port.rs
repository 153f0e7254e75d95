//! A port on 127.0.0.1 where nothing listens, held for as long as a check needs it:
//! a socket bound to it but never listening, so a connection is refused at once and
//! no other program (a server another check starts, a port Docker publishes) can take
//! the port meanwhile.

use std::os::fd::{AsRawFd as _, OwnedFd};

use anyhow::{Context as _, Result};
use nix::sys::socket::{bind, getsockname, socket, AddressFamily, SockFlag, SockType, SockaddrIn};

/// A port nothing listens on, reserved until dropped.
#[derive(Debug)]
pub struct ClosedPort {
    /// The port.
    pub port: u16,
    _socket: OwnedFd,
}

impl ClosedPort {
    /// Reserves a free port on 127.0.0.1 without listening on it.
    pub fn reserve() -> Result<ClosedPort> {
        let socket = socket(AddressFamily::Inet, SockType::Stream, SockFlag::SOCK_CLOEXEC, None)
            .context("cannot open a socket to reserve a closed port")?;
        bind(socket.as_raw_fd(), &SockaddrIn::new(127, 0, 0, 1, 0))
            .context("cannot reserve a closed port on 127.0.0.1")?;
        let address: SockaddrIn =
            getsockname(socket.as_raw_fd()).context("cannot read the reserved port")?;
        Ok(ClosedPort { port: address.port(), _socket: socket })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserved_port_refuses_connections_and_cannot_be_taken() {
        let closed = ClosedPort::reserve().unwrap();
        let refused = std::net::TcpStream::connect(("127.0.0.1", closed.port)).unwrap_err();
        assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
        assert!(std::net::TcpListener::bind(("127.0.0.1", closed.port)).is_err());
    }
}
