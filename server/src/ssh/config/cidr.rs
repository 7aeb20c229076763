//! `Match localnetwork`'s address lists: addrmatch.c's
//! `addr_match_cidr_list`, which checks every entry (with its error texts)
//! and tells whether an address is in one of the networks. Which addresses
//! the machine has is `crate::platform::net`. Pure.

use std::net::IpAddr;

/// INET6_ADDRSTRLEN + 3 (the mask length): longer entries are refused.
const MAX_ENTRY: usize = 46 + 3;

/// The network of `addr` with a `prefix`-bit mask, as a `Match
/// localnetwork` entry ssh accepts (host bits cleared: `10.1.2.0/24`).
pub fn network_of(addr: IpAddr, prefix: u8) -> String {
    match addr {
        IpAddr::V4(a) => {
            let prefix = prefix.min(32);
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            format!("{}/{prefix}", std::net::Ipv4Addr::from(u32::from(a) & mask))
        }
        IpAddr::V6(a) => {
            let prefix = prefix.min(128);
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            format!(
                "{}/{prefix}",
                std::net::Ipv6Addr::from(u128::from(a) & mask)
            )
        }
    }
}

/// Whether `addr` is in a network of `list` (`a.b.c.d/len`, `x::y/len` or a
/// bare address, comma-separated); `addr` None only checks the list. Err:
/// ssh's message for the first bad entry (it then says "Bad Match
/// condition").
pub fn match_cidr_list(addr: Option<IpAddr>, list: &str) -> Result<bool, String> {
    let mut matched = false;
    for entry in list.split(',') {
        if entry.is_empty() {
            return Err(format!(
                "addr_match_cidr_list: empty entry in list \"{}\"",
                clip(list)
            ));
        }
        if entry.len() > MAX_ENTRY {
            return Err(format!(
                "addr_match_cidr_list: list entry \"{}\" too long",
                clip(entry)
            ));
        }
        if !entry
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':' | b'/'))
        {
            return Err(format!(
                "addr_match_cidr_list: list entry \"{}\" contains invalid characters",
                clip(entry)
            ));
        }
        let (network, len) = network(entry)?;
        if addr.is_some_and(|a| in_network(a, network, len)) {
            matched = true;
        }
    }
    Ok(matched)
}

fn clip(text: &str) -> String {
    text.chars().take(100).collect()
}

/// `addr_pton_cidr`: the network and its mask length; its host bits must
/// be zero.
fn network(entry: &str) -> Result<(IpAddr, u32), String> {
    let invalid = || format!("Invalid network entry \"{}\"", clip(entry));
    let (text, len) = match entry.split_once('/') {
        Some((text, len)) => {
            if !len.bytes().next().is_some_and(|b| b.is_ascii_digit())
                || !len.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(invalid());
            }
            let len: u32 = len.parse().map_err(|_| invalid())?;
            if len > 128 {
                return Err(invalid());
            }
            (text, Some(len))
        }
        None => (entry, None),
    };
    let addr: IpAddr = text.parse().map_err(|_| invalid())?;
    let bits = if addr.is_ipv4() { 32 } else { 128 };
    let len = len.unwrap_or(bits);
    if len > bits || host_bits(addr, len) != 0 {
        return Err(format!(
            "Inconsistent mask length for network \"{}\"",
            clip(entry)
        ));
    }
    Ok((addr, len))
}

/// The address as a 128-bit number, left-aligned (IPv4 in the top 32 bits).
fn value(addr: IpAddr) -> u128 {
    match addr {
        IpAddr::V4(a) => u128::from(u32::from(a)) << 96,
        IpAddr::V6(a) => u128::from(a),
    }
}

fn host_bits(addr: IpAddr, len: u32) -> u128 {
    value(addr) & !mask(len)
}

fn mask(len: u32) -> u128 {
    if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    }
}

/// `addr_netmatch`: the same family and the same first `len` bits.
fn in_network(addr: IpAddr, network: IpAddr, len: u32) -> bool {
    addr.is_ipv4() == network.is_ipv4() && (value(addr) & mask(len)) == value(network)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().expect("an address"))
    }

    #[test]
    fn an_address_matches_the_networks_that_contain_it() {
        assert_eq!(match_cidr_list(ip("192.0.2.2"), "192.0.2.0/24"), Ok(true));
        assert_eq!(
            match_cidr_list(ip("192.0.2.2"), "10.0.0.0/8,192.0.2.2"),
            Ok(true)
        );
        assert_eq!(match_cidr_list(ip("127.0.0.1"), "240.0.0.0/4"), Ok(false));
        assert_eq!(match_cidr_list(ip("::1"), "::1/128"), Ok(true));
        assert_eq!(match_cidr_list(ip("fd00::2"), "fd00::/8"), Ok(true));
        // An IPv4 address is not in an IPv6 network, even ::/0.
        assert_eq!(match_cidr_list(ip("127.0.0.1"), "::/0"), Ok(false));
        assert_eq!(match_cidr_list(ip("10.1.2.3"), "0.0.0.0/0"), Ok(true));
    }

    #[test]
    fn every_entry_is_checked_with_ssh_s_words() {
        assert_eq!(match_cidr_list(None, "10.0.0.0/8"), Ok(false));
        assert_eq!(
            match_cidr_list(ip("10.0.0.1"), "10.0.0.0/8,").unwrap_err(),
            "addr_match_cidr_list: empty entry in list \"10.0.0.0/8,\""
        );
        assert_eq!(
            match_cidr_list(None, "10.0.0.1/8").unwrap_err(),
            "Inconsistent mask length for network \"10.0.0.1/8\""
        );
        assert_eq!(
            match_cidr_list(None, "10.0.0.0/33").unwrap_err(),
            "Inconsistent mask length for network \"10.0.0.0/33\""
        );
        assert_eq!(
            match_cidr_list(None, "10.0.0.0/129").unwrap_err(),
            "Invalid network entry \"10.0.0.0/129\""
        );
        assert_eq!(
            match_cidr_list(None, "lan").unwrap_err(),
            "addr_match_cidr_list: list entry \"lan\" contains invalid characters"
        );
        assert_eq!(
            match_cidr_list(None, "10.0.0.0/").unwrap_err(),
            "Invalid network entry \"10.0.0.0/\""
        );
    }

    #[test]
    fn an_interface_s_network_is_an_entry_ssh_accepts_and_matches() {
        let cases = [
            ("10.1.2.3", 24, "10.1.2.0/24"),
            ("127.0.0.1", 8, "127.0.0.0/8"),
            ("192.168.7.9", 32, "192.168.7.9/32"),
            ("10.9.9.9", 0, "0.0.0.0/0"),
            ("fe80::1:2", 64, "fe80::/64"),
            ("::1", 128, "::1/128"),
        ];
        for (addr, prefix, want) in cases {
            let addr: IpAddr = addr.parse().unwrap();
            let net = network_of(addr, prefix);
            assert_eq!(net, want);
            assert_eq!(match_cidr_list(Some(addr), &net), Ok(true), "{net}");
        }
    }
}
