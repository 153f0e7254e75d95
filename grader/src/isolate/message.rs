//! What the grader and an isolated program's supervisor say to each other, over a
//! Unix socket pair of packets (`SOCK_SEQPACKET`, so each message arrives whole):
//! one JSON message per packet, with file descriptors beside it (`SCM_RIGHTS`) where
//! a message carries sockets.

use std::io::{self, IoSlice, IoSliceMut};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd as _, BorrowedFd, FromRawFd as _, OwnedFd, RawFd};
use std::path::PathBuf;

use nix::sys::socket::{
    recvmsg, sendmsg, socketpair, AddressFamily, ControlMessage, ControlMessageOwned, MsgFlags,
    SockFlag, SockType,
};
use serde::{Deserialize, Serialize};

use super::Mode;

/// The largest message: a program's arguments and environment fit many times over.
const MAX_MESSAGE: usize = 256 * 1024;
/// The most descriptors one message carries.
const MAX_FDS: usize = 16;

/// What the isolated program is, where it runs, and what it may reach.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Spec {
    /// How it is isolated.
    pub mode: Mode,
    /// The executable.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Its whole environment.
    pub env: Vec<(String, String)>,
    /// The folder it runs in.
    pub dir: Option<PathBuf>,
    /// Folders covered by an empty, unreadable file system.
    pub hide: Vec<PathBuf>,
    /// Folders given a fresh, empty, writable file system (`/tmp`).
    pub fresh: Vec<PathBuf>,
    /// Folders inside a fresh one that stay as they are (the program's own folder).
    pub keep: Vec<PathBuf>,
    /// Addresses the program may connect to: each is opened inside, and the grader
    /// relays what arrives there to the same address outside.
    pub reach: Vec<SocketAddr>,
    /// The grader's user and group ids.
    pub ids: (u32, u32),
}

/// One message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Message {
    /// Grader to supervisor: what to run.
    Spec(Box<Spec>),
    /// Supervisor to grader: the program runs; the listening sockets for
    /// [`Spec::reach`] come with it, in the same order.
    Started,
    /// Supervisor to grader: the program could not be started, and why.
    Failed(String),
    /// Grader to supervisor: open a connection to this address inside.
    Connect(SocketAddr),
    /// Supervisor to grader: the connection asked for (it comes with the message).
    Connected,
    /// Supervisor to grader: the connection asked for failed, and why.
    NotConnected(String),
    /// Supervisor to grader: the program ended with this wait status.
    Exited(i32),
}

/// A socket pair for a supervisor: the grader's end and the supervisor's.
pub fn pair() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(socketpair(AddressFamily::Unix, SockType::SeqPacket, None, SockFlag::SOCK_CLOEXEC)?)
}

/// Sends `message` on `socket`, with `fds` beside it.
pub fn send(socket: BorrowedFd<'_>, message: &Message, fds: &[RawFd]) -> io::Result<()> {
    let bytes = serde_json::to_vec(message).map_err(io::Error::other)?;
    let rights = [ControlMessage::ScmRights(fds)];
    let cmsgs: &[ControlMessage<'_>] = if fds.is_empty() { &[] } else { &rights };
    sendmsg::<()>(socket.as_raw_fd(), &[IoSlice::new(&bytes)], cmsgs, MsgFlags::empty(), None)?;
    Ok(())
}

/// Receives the next message on `socket` and the descriptors that came with it;
/// `None` once the other end is closed.
pub fn receive(socket: BorrowedFd<'_>) -> io::Result<Option<(Message, Vec<OwnedFd>)>> {
    let mut buffer = vec![0u8; MAX_MESSAGE];
    let mut space = nix::cmsg_space!([RawFd; MAX_FDS]);
    let (length, fds, truncated) = {
        let mut iov = [IoSliceMut::new(&mut buffer)];
        let received = recvmsg::<()>(
            socket.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::MSG_CMSG_CLOEXEC,
        )?;
        let mut fds = Vec::new();
        for cmsg in received.cmsgs()? {
            if let ControlMessageOwned::ScmRights(raw) = cmsg {
                fds.extend(raw.into_iter().map(adopt));
            }
        }
        let truncated = received.flags.intersects(MsgFlags::MSG_TRUNC | MsgFlags::MSG_CTRUNC);
        (received.bytes, fds, truncated)
    };
    if length == 0 && fds.is_empty() {
        return Ok(None);
    }
    if truncated {
        return Err(io::Error::other("a message to or from the isolation was cut short"));
    }
    let message = serde_json::from_slice(&buffer[..length]).map_err(io::Error::other)?;
    Ok(Some((message, fds)))
}

/// Takes ownership of a descriptor the kernel has just installed in this process.
#[allow(unsafe_code)]
fn adopt(raw: RawFd) -> OwnedFd {
    // SAFETY: `raw` was installed in this process by the `recvmsg` call above, from
    // an `SCM_RIGHTS` message; nothing else in the process knows or owns it, so this
    // `OwnedFd` is its only owner and closes it exactly once.
    unsafe { OwnedFd::from_raw_fd(raw) }
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Write as _};
    use std::os::fd::AsFd as _;

    use super::*;

    #[test]
    fn a_message_and_its_sockets_cross_the_pair() {
        let (grader, supervisor) = pair().unwrap();
        let (mut ours, theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        send(supervisor.as_fd(), &Message::Connected, &[theirs.as_raw_fd()]).unwrap();
        drop(theirs);
        let (message, mut fds) = receive(grader.as_fd()).unwrap().unwrap();
        assert!(matches!(message, Message::Connected));
        let mut received = std::os::unix::net::UnixStream::from(fds.remove(0));
        received.write_all(b"hi").unwrap();
        let mut two = [0; 2];
        ours.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"hi");
        drop(supervisor);
        assert!(receive(grader.as_fd()).unwrap().is_none(), "a closed end reads as None");
    }
}
