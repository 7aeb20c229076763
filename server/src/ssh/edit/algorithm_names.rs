//! Completion in the algorithm lists (Ciphers, MACs, KexAlgorithms,
//! HostKeyAlgorithms, PubkeyAcceptedAlgorithms, HostbasedAcceptedAlgorithms,
//! CASignatureAlgorithms): at the start of the list, after its `+`, `-` or
//! `^` and after each comma, the names the user's release supports that
//! the list does not hold yet. `+` offers what the default lacks, `-` what
//! it has; otherwise the default's names come first, in its order. Every
//! item says whether the default has it and shows the default list. Pure.

use super::complete::{Completion, Item, ItemKind};
use crate::render::escape::{md_code, md_text};
use crate::ssh::release::algorithms::Algorithms;
use crate::ssh::release::SshVersion;

/// The completions of the algorithm list of keyword `canonical` whose
/// value starts at byte `value` of `line`, at byte `at`; None for another
/// keyword.
pub fn complete(
    canonical: &str,
    line: &str,
    value: usize,
    at: usize,
    version: SshVersion,
) -> Option<Completion> {
    let algorithms = Algorithms::of(version);
    let supported = algorithms.supported_of(canonical)?;
    let default = algorithms.default_of(canonical)?;
    let list_end = line[value..]
        .find(char::is_whitespace)
        .map_or(line.len(), |p| value + p);
    let modifier = line[value..].chars().next().filter(|c| "+-^".contains(*c));
    let names_start = value + modifier.map_or(0, char::len_utf8);
    if at < names_start {
        return None;
    }
    let word_start = line[names_start..at]
        .rfind(',')
        .map_or(names_start, |p| names_start + p + 1);
    let word_end = line[at..list_end].find(',').map_or(list_end, |p| at + p);
    // The names already in the list, but for the one being replaced.
    let held: Vec<&str> = line[names_start..word_start]
        .split(',')
        .chain(line[word_end..list_end].split(','))
        .filter(|n| !n.is_empty())
        .collect();
    let in_default = |name: &str| default.split(',').any(|d| d == name);
    let offered: Vec<&str> = match modifier {
        Some('-') => default.split(',').collect(),
        Some('+') => supported.split(',').filter(|n| !in_default(n)).collect(),
        _ => default
            .split(',')
            .chain(supported.split(',').filter(|n| !in_default(n)))
            .collect(),
    };
    let documentation = format!(
        "The default under {}: {}",
        md_text(&version.to_string()),
        default
            .split(',')
            .map(md_code)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let items: Vec<Item> = offered
        .into_iter()
        .filter(|name| !held.contains(name))
        .map(|name| Item {
            kind: ItemKind::Value,
            label: name.to_string(),
            detail: Some(String::from(if in_default(name) {
                "in the default list"
            } else {
                "not in the default list"
            })),
            documentation: Some(documentation.clone()),
            default: false,
        })
        .collect();
    (!items.is_empty()).then_some(Completion {
        replace: word_start..word_end,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn v(text: &str) -> SshVersion {
        parse_version_argument(text).expect("a version")
    }

    fn labels(canonical: &str, line: &str, version: &str) -> Vec<String> {
        let value = line.find(' ').map_or(line.len(), |p| p + 1);
        complete(canonical, line, value, line.len(), v(version))
            .map(|c| c.items.into_iter().map(|i| i.label).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_names_are_those_of_the_release_default_first() {
        let old = labels("kexalgorithms", "KexAlgorithms ", "9.2p1");
        assert_eq!(
            old[0], "sntrup761x25519-sha512@openssh.com",
            "9.0's default"
        );
        assert!(
            !old.iter().any(|n| n.starts_with("mlkem")),
            "ML-KEM came in 9.9"
        );
        let new = labels("kexalgorithms", "KexAlgorithms ", "10.5p1");
        assert_eq!(new[0], "mlkem768x25519-sha256");
        assert!(new.contains(&"mlkem768nistp256-sha256".to_string()));
        assert!(new.contains(&"diffie-hellman-group1-sha1".to_string()));
        let ciphers = labels("ciphers", "Ciphers ", "10.5p1");
        assert_eq!(ciphers.len(), 10);
        assert!(labels("hostkeyalgorithms", "HostKeyAlgorithms ", "9.7p1")
            .contains(&"ssh-dss".to_string()));
        assert!(
            !labels("hostkeyalgorithms", "HostKeyAlgorithms ", "9.8p1")
                .contains(&"ssh-dss".to_string()),
            "DSA is out of 9.8's build"
        );
        assert!(
            !labels("casignaturealgorithms", "CASignatureAlgorithms ", "10.5p1")
                .iter()
                .any(|n| n.ends_with("-cert-v01@openssh.com"))
        );
    }

    #[test]
    fn names_already_in_the_list_are_not_offered_again() {
        let rest = labels("macs", "MACs hmac-sha2-256,umac-64@openssh.com,", "10.5p1");
        assert_eq!(rest.len(), 14);
        assert!(!rest.contains(&"hmac-sha2-256".to_string()));
        // The name under the cursor is the one replaced: still offered.
        let line = "Ciphers aes128-ctr,aes2,aes256-ctr";
        let c = complete("ciphers", line, 8, 23, v("10.5p1")).expect("names");
        assert_eq!(c.replace, 19..23);
        let labels: Vec<&str> = c.items.iter().map(|i| i.label.as_str()).collect();
        assert!(!labels.contains(&"aes128-ctr") && !labels.contains(&"aes256-ctr"));
        assert!(labels.contains(&"aes256-gcm@openssh.com"));
    }

    #[test]
    fn a_modifier_decides_what_is_worth_offering() {
        let plus = labels("ciphers", "Ciphers +", "10.5p1");
        assert_eq!(plus, ["3des-cbc", "aes128-cbc", "aes192-cbc", "aes256-cbc"]);
        let minus = labels("ciphers", "Ciphers -aes128-ctr,", "10.5p1");
        assert_eq!(
            minus,
            [
                "chacha20-poly1305@openssh.com",
                "aes128-gcm@openssh.com",
                "aes256-gcm@openssh.com",
                "aes192-ctr",
                "aes256-ctr"
            ]
        );
        let c = complete("ciphers", "Ciphers=^a", 8, 10, v("10.5p1")).expect("names");
        assert_eq!(c.replace, 9..10);
        assert_eq!(c.items[0].label, "chacha20-poly1305@openssh.com");
        assert_eq!(c.items[0].detail.as_deref(), Some("in the default list"));
        assert!(c.items[0]
            .documentation
            .as_deref()
            .is_some_and(|d| d.starts_with("The default under OpenSSH 10.5p1: `chacha20-poly1305@openssh.com`, `aes128-gcm@openssh.com`,")));
        assert!(complete("hostname", "HostName x", 9, 10, v("10.5p1")).is_none());
    }
}
