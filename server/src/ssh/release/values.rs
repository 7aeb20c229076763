//! Values one release accepts and another refuses, checked on every line
//! (active or not) as readconf.c checks them while parsing. Pure.
//!
//! So far: DSA. From 9.8 a default build has no DSA (`--enable-dsa-keys` is
//! off), so the key type lists (HostKeyAlgorithms, PubkeyAcceptedAlgorithms,
//! HostbasedAcceptedAlgorithms, CASignatureAlgorithms) refuse `ssh-dss` and
//! its certificate with "Bad key types '...'." — the reference clients 9.9p2,
//! 10.0p2, 10.2p1 and 10.5p1 do, 9.6p1 and older accept it. A `-` list
//! (removal) is not checked, as in readconf.c.

use super::{Release, SshVersion};

/// The keywords (canonical names) whose values depend on the release.
const KEY_TYPE_LISTS: &[&str] = &[
    "hostkeyalgorithms",
    "pubkeyacceptedalgorithms",
    "hostbasedacceptedalgorithms",
    "casignaturealgorithms",
];

const DSA_NAMES: &[&str] = &["ssh-dss", "ssh-dss-cert-v01@openssh.com"];

/// The first release whose default build has no DSA.
const DSA_REMOVED: Release = Release::new(9, 8, 0);

/// Whether `canonical`'s values are judged by release (so a line of it is
/// never skipped as "the same verdict for every release").
pub fn checked_by_release(canonical: &str) -> bool {
    KEY_TYPE_LISTS.contains(&canonical)
}

/// What `version`'s ssh says about `canonical` with first argument `arg`,
/// if it refuses it for a reason of its release.
pub fn refusal(version: SshVersion, canonical: &str, arg: Option<&str>) -> Option<String> {
    let arg = arg?;
    if !checked_by_release(canonical) || arg.starts_with('-') {
        return None;
    }
    let list = arg.strip_prefix(['+', '^']).unwrap_or(arg);
    let has_dsa = list.split(',').any(|name| DSA_NAMES.contains(&name));
    (has_dsa && version.semantics().release >= DSA_REMOVED)
        .then(|| format!("Bad key types '{arg}'."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn v(text: &str) -> SshVersion {
        parse_version_argument(text).expect("a version")
    }

    #[test]
    fn dsa_is_refused_from_9_8_in_every_key_type_list() {
        for keyword in KEY_TYPE_LISTS {
            assert_eq!(refusal(v("9.7p1"), keyword, Some("ssh-dss")), None);
            assert_eq!(
                refusal(v("9.8p1"), keyword, Some("+ssh-dss")),
                Some(String::from("Bad key types '+ssh-dss'."))
            );
        }
        assert_eq!(
            refusal(
                v("10.5p1"),
                "hostkeyalgorithms",
                Some("ssh-ed25519,ssh-dss-cert-v01@openssh.com")
            ),
            Some(String::from(
                "Bad key types 'ssh-ed25519,ssh-dss-cert-v01@openssh.com'."
            ))
        );
    }

    #[test]
    fn removing_dsa_and_other_keywords_are_not_refused() {
        assert_eq!(
            refusal(v("10.5p1"), "hostkeyalgorithms", Some("-ssh-dss")),
            None
        );
        assert_eq!(
            refusal(v("10.5p1"), "hostkeyalgorithms", Some("ssh-dsss")),
            None
        );
        assert_eq!(refusal(v("10.5p1"), "identityfile", Some("ssh-dss")), None);
        assert_eq!(refusal(v("10.5p1"), "hostkeyalgorithms", None), None);
    }
}
