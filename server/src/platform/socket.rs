//! A connected local socket pair, for a child that speaks on one end (ssh
//! `-W` for ProxyJump, [`crate::exec::StdioBridge`]) while libssh2 speaks on
//! the other.
//!
//! Unix: a Unix socket pair; each end can be a child's stdin and stdout.
//! Windows: two loopback TCP sockets (there is no socketpair, and libssh2
//! takes a socket); the bridge relays the child's pipes to its end.

/// One end of a [`pair`].
#[cfg(unix)]
pub type Socket = std::os::unix::net::UnixStream;
/// One end of a [`pair`].
#[cfg(windows)]
pub type Socket = std::net::TcpStream;

/// Two connected sockets: (gord's end, the child's end).
#[cfg(unix)]
pub fn pair() -> std::io::Result<(Socket, Socket)> {
    std::os::unix::net::UnixStream::pair()
}

/// Two connected loopback sockets: (gord's end, the child's end). The
/// listener takes one connection and checks it is the one this function
/// made (another local process could connect first).
#[cfg(windows)]
pub fn pair() -> std::io::Result<(Socket, Socket)> {
    use std::net::{Ipv4Addr, TcpListener, TcpStream};
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let mine = TcpStream::connect(listener.local_addr()?)?;
    let expected = mine.local_addr()?;
    loop {
        let (theirs, from) = listener.accept()?;
        if from == expected {
            mine.set_nodelay(true)?;
            theirs.set_nodelay(true)?;
            return Ok((mine, theirs));
        }
    }
}

/// A connected stream libssh2 can speak on (`Session::set_tcp_stream`)
/// whose first byte can be awaited.
#[cfg(unix)]
pub trait SshSocket: std::os::fd::AsRawFd + std::os::fd::AsFd + 'static {
    /// Waits up to `step` for the peer's first byte without taking it
    /// (libssh2 reads the banner itself); false when none came in time.
    fn first_byte_within(&self, step: std::time::Duration) -> bool {
        use rustix::net::{recv, sockopt, RecvFlags};
        let fd = self.as_fd();
        if sockopt::set_socket_timeout(fd, sockopt::Timeout::Recv, Some(step)).is_err() {
            // Unbounded otherwise: leave the wait to libssh2's own timeout.
            return true;
        }
        let mut byte = [0u8; 1];
        let arrived = loop {
            match recv(fd, &mut byte, RecvFlags::PEEK) {
                Err(rustix::io::Errno::INTR) => continue,
                Err(rustix::io::Errno::AGAIN) => break false,
                // A closed or failed connection: libssh2's handshake says how.
                Ok(_) | Err(_) => break true,
            }
        };
        let _ = sockopt::set_socket_timeout(fd, sockopt::Timeout::Recv, None);
        arrived
    }
}

#[cfg(unix)]
impl<T: std::os::fd::AsRawFd + std::os::fd::AsFd + 'static> SshSocket for T {}

/// A connected stream libssh2 can speak on (`Session::set_tcp_stream`)
/// whose first byte can be awaited. On Windows every such stream gord
/// makes is a `TcpStream` (see [`pair`]).
#[cfg(windows)]
pub trait SshSocket: std::os::windows::io::AsRawSocket + 'static {
    /// Waits up to `step` for the peer's first byte without taking it;
    /// false when none came in time.
    fn first_byte_within(&self, step: std::time::Duration) -> bool;
}

#[cfg(windows)]
impl SshSocket for std::net::TcpStream {
    fn first_byte_within(&self, step: std::time::Duration) -> bool {
        if self.set_read_timeout(Some(step)).is_err() {
            return true;
        }
        let mut byte = [0u8; 1];
        let arrived = loop {
            match self.peek(&mut byte) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    break false
                }
                Ok(_) | Err(_) => break true,
            }
        };
        let _ = self.set_read_timeout(None);
        arrived
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn what_one_end_writes_the_other_reads_both_ways() {
        let (mut mine, mut theirs) = pair().unwrap();
        mine.write_all(b"ping").unwrap();
        let mut got = [0u8; 4];
        theirs.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"ping");
        theirs.write_all(b"pong").unwrap();
        mine.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"pong");
        drop(theirs);
        let mut rest = Vec::new();
        assert_eq!(mine.read_to_end(&mut rest).unwrap(), 0);
    }

    #[test]
    fn the_first_byte_is_awaited_without_being_taken() {
        let step = std::time::Duration::from_millis(100);
        let (mut mine, theirs) = pair().unwrap();
        assert!(!theirs.first_byte_within(step), "nothing was sent yet");
        mine.write_all(b"SSH-2.0-x\r\n").unwrap();
        assert!(theirs.first_byte_within(step));
        let mut theirs = theirs;
        let mut got = [0u8; 3];
        theirs.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"SSH", "the peeked byte is still there");
    }
}
