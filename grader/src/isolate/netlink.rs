//! Two requests to the kernel's routing socket (rtnetlink), written by hand: bring
//! the loopback interface of a new network namespace up (which gives it 127.0.0.1),
//! and add an address to it (an address outside loopback the program is let reach).
//! The messages are a few fixed-layout structures, so no netlink library is needed.

use std::io;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd as _, OwnedFd};

use nix::sys::socket::{
    bind, recv, sendto, socket, AddressFamily, MsgFlags, NetlinkAddr, SockFlag, SockProtocol,
    SockType,
};

const RTM_NEWLINK: u16 = 16;
const RTM_NEWADDR: u16 = 20;
const NLMSG_ERROR: u16 = 2;
const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_ACK: u16 = 0x4;
const NLM_F_EXCL: u16 = 0x200;
const NLM_F_CREATE: u16 = 0x400;
const IFF_UP: u32 = 0x1;
const AF_INET: u8 = 2;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const RT_SCOPE_HOST: u8 = 254;

/// Brings the loopback interface up.
pub fn loopback_up() -> io::Result<()> {
    let index = loopback_index()?;
    let mut body = vec![0u8, 0];
    body.extend_from_slice(&0u16.to_ne_bytes()); // device type
    body.extend_from_slice(&index.to_ne_bytes());
    body.extend_from_slice(&IFF_UP.to_ne_bytes()); // flags
    body.extend_from_slice(&IFF_UP.to_ne_bytes()); // which flags change
    request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, &body)
}

/// Adds `address`/32 to the loopback interface.
pub fn add_to_loopback(address: Ipv4Addr) -> io::Result<()> {
    let index = loopback_index()?;
    let mut body = vec![AF_INET, 32, 0, RT_SCOPE_HOST];
    body.extend_from_slice(&index.to_ne_bytes());
    for kind in [IFA_LOCAL, IFA_ADDRESS] {
        body.extend_from_slice(&8u16.to_ne_bytes());
        body.extend_from_slice(&kind.to_ne_bytes());
        body.extend_from_slice(&address.octets());
    }
    request(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &body)
}

fn loopback_index() -> io::Result<i32> {
    let index = nix::net::if_::if_nametoindex("lo")?;
    i32::try_from(index).map_err(io::Error::other)
}

/// Sends one request and reads the kernel's acknowledgement.
fn request(kind: u16, flags: u16, body: &[u8]) -> io::Result<()> {
    let socket: OwnedFd = socket(
        AddressFamily::Netlink,
        SockType::Raw,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::NetlinkRoute,
    )?;
    let kernel = NetlinkAddr::new(0, 0);
    bind(socket.as_raw_fd(), &kernel)?;
    let length = u32::try_from(16 + body.len()).map_err(io::Error::other)?;
    let mut message = Vec::with_capacity(16 + body.len());
    message.extend_from_slice(&length.to_ne_bytes());
    message.extend_from_slice(&kind.to_ne_bytes());
    message.extend_from_slice(&flags.to_ne_bytes());
    message.extend_from_slice(&1u32.to_ne_bytes()); // sequence number
    message.extend_from_slice(&0u32.to_ne_bytes()); // port id: the kernel fills it in
    message.extend_from_slice(body);
    sendto(socket.as_raw_fd(), &message, &kernel, MsgFlags::empty())?;
    let mut answer = [0u8; 1024];
    let read = recv(socket.as_raw_fd(), &mut answer, MsgFlags::empty())?;
    acknowledged(&answer[..read])
}

/// Reads an `NLMSG_ERROR` answer: error 0 is the acknowledgement.
fn acknowledged(answer: &[u8]) -> io::Result<()> {
    let field = |at: usize, size: usize| answer.get(at..at + size);
    let kind = field(4, 2).map(|b| u16::from_ne_bytes([b[0], b[1]]));
    let error = field(16, 4).map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
    match (kind, error) {
        (Some(NLMSG_ERROR), Some(0)) => Ok(()),
        (Some(NLMSG_ERROR), Some(error)) => Err(io::Error::from_raw_os_error(-error)),
        _ => Err(io::Error::other(
            "the kernel's answer to a network request is not an acknowledgement",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_an_acknowledgement_or_an_error() {
        let mut ack = vec![36, 0, 0, 0];
        ack.extend_from_slice(&NLMSG_ERROR.to_ne_bytes());
        ack.extend_from_slice(&[0; 10]);
        let mut refused = ack.clone();
        ack.extend_from_slice(&0i32.to_ne_bytes());
        refused.extend_from_slice(&(-1i32).to_ne_bytes());
        assert!(acknowledged(&ack).is_ok());
        let error = acknowledged(&refused).unwrap_err();
        assert_eq!(error.raw_os_error(), Some(1));
        assert!(acknowledged(&[1, 2]).is_err());
    }
}
