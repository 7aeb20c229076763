//! The machine's network addresses, as `Match localnetwork` sees them:
//! readconf.c's `check_match_ifaddrs` walks `getifaddrs()` and takes the
//! IPv4 and IPv6 address of every interface that is up.

use std::net::IpAddr;

/// The addresses of the interfaces that are up (Windows: none; the
/// Win32-OpenSSH client has no getifaddrs and never matches).
pub fn interface_addresses() -> Vec<IpAddr> {
    interfaces()
        .into_iter()
        .map(|(address, _)| address)
        .collect()
}

/// The address of each interface that is up with its network's prefix
/// length, when the interface has a netmask (`Match localnetwork`
/// completion offers these networks).
pub fn interfaces() -> Vec<(IpAddr, Option<u8>)> {
    #[cfg(unix)]
    let interfaces = unix::up_interfaces();
    #[cfg(windows)]
    let interfaces = Vec::new();
    interfaces
}

#[cfg(unix)]
mod unix {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    /// The prefix length of a netmask (its leading one bits).
    fn prefix(mask: IpAddr) -> u8 {
        let ones = match mask {
            IpAddr::V4(m) => u32::from(m).leading_ones(),
            IpAddr::V6(m) => u128::from(m).leading_ones(),
        };
        u8::try_from(ones).unwrap_or(0)
    }

    /// An IPv4 or IPv6 socket address.
    ///
    /// # Safety
    /// `addr` is null or points to a sockaddr whose family says how long
    /// it is, alive for the call.
    unsafe fn ip_of(addr: *const libc::sockaddr) -> Option<IpAddr> {
        if addr.is_null() {
            return None;
        }
        match i32::from((*addr).sa_family) {
            libc::AF_INET => {
                let sin = &*(addr as *const libc::sockaddr_in);
                Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                    sin.sin_addr.s_addr,
                ))))
            }
            libc::AF_INET6 => {
                let sin6 = &*(addr as *const libc::sockaddr_in6);
                Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)))
            }
            _ => None,
        }
    }

    pub fn up_interfaces() -> Vec<(IpAddr, Option<u8>)> {
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
                if entry.ifa_name.is_null() || !up {
                    continue;
                }
                let Some(address) = ip_of(entry.ifa_addr) else {
                    continue;
                };
                // A netmask of the address's own family.
                let prefix = ip_of(entry.ifa_netmask)
                    .filter(|m| m.is_ipv4() == address.is_ipv4())
                    .map(prefix);
                out.push((address, prefix));
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
        let v4_loopback = interfaces()
            .into_iter()
            .find(|(a, _)| *a == IpAddr::from([127, 0, 0, 1]));
        assert_eq!(v4_loopback, Some((IpAddr::from([127, 0, 0, 1]), Some(8))));
    }
}
