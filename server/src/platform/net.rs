//! The machine's network addresses, as `Match localnetwork` sees them:
//! readconf.c's `check_match_ifaddrs` walks `getifaddrs()` and takes the
//! IPv4 and IPv6 address of every interface that is up.

use std::net::IpAddr;

/// The addresses of the interfaces that are up (Windows: none; the
/// Win32-OpenSSH client has no getifaddrs and never matches).
pub fn interface_addresses() -> Vec<IpAddr> {
    #[cfg(unix)]
    let addresses = unix::up_addresses();
    #[cfg(windows)]
    let addresses = Vec::new();
    addresses
}

#[cfg(unix)]
mod unix {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    pub fn up_addresses() -> Vec<IpAddr> {
        let mut out = Vec::new();
        let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
        // SAFETY: getifaddrs fills `list` with a linked list that stays valid
        // until freeifaddrs, which is called once below; each entry and the
        // sockaddr it points to are read only while the list is alive, and
        // a sockaddr is read as sockaddr_in/sockaddr_in6 only when its
        // family says it is one.
        unsafe {
            if libc::getifaddrs(&mut list) != 0 {
                return out;
            }
            let mut at = list;
            while !at.is_null() {
                let entry = &*at;
                at = entry.ifa_next;
                let up = entry.ifa_flags & (libc::IFF_UP as libc::c_uint) != 0;
                if entry.ifa_addr.is_null() || entry.ifa_name.is_null() || !up {
                    continue;
                }
                match i32::from((*entry.ifa_addr).sa_family) {
                    libc::AF_INET => {
                        let sin = &*(entry.ifa_addr as *const libc::sockaddr_in);
                        out.push(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                            sin.sin_addr.s_addr,
                        ))));
                    }
                    libc::AF_INET6 => {
                        let sin6 = &*(entry.ifa_addr as *const libc::sockaddr_in6);
                        out.push(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)));
                    }
                    _ => {}
                }
            }
            libc::freeifaddrs(list);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_loopback_address_is_among_the_interfaces() {
        let addresses = interface_addresses();
        assert!(addresses.iter().any(|a| a.is_loopback()), "{addresses:?}");
    }
}
