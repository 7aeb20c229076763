//! Values one release accepts and another refuses, checked on every line
//! (active or not) as readconf.c checks them while parsing. Pure.
//!
//! So far: the algorithm lists (Ciphers, MACs, KexAlgorithms and the key
//! type lists), whose names come and go with the release and the build
//! (`super::algorithms`): e.g. from 9.8 a default build has no DSA, so the
//! key type lists refuse `ssh-dss` with "Bad key types '...'.", and
//! `mlkem768x25519-sha256` is refused before 9.9 with "Bad SSH2
//! KexAlgorithms '...'.". A `-` list (removal) is not checked, as in
//! readconf.c. And the keywords readconf.c parses by hand whose rules
//! changed (IPQoS names and numbers, CanonicalDomains, PermitRemoteOpen...:
//! `crate::ssh::config::special`), by all their arguments.

use super::algorithms::{is_algorithm_list, Algorithms};
use super::SshVersion;
use crate::ssh::config::special;

/// Whether `canonical`'s values are judged by release (so a line of it is
/// never skipped as "the same verdict for every release").
pub fn checked_by_release(canonical: &str) -> bool {
    is_algorithm_list(canonical)
        || special::is_special(canonical)
        // Flags in a build with GSSAPI, ignored in one without.
        || matches!(
            canonical,
            "gssapiauthentication" | "gssapidelegatecredentials"
        )
        // Cut at its first blank before 10.1 (Options::jump_cut_at_blank).
        || canonical == "proxyjump"
}

/// What `version`'s ssh says about a whole line of `canonical`, written
/// `written`, with `args`, if it refuses it for a reason of its release:
/// the algorithm lists by their first argument, the keywords readconf.c
/// parses by hand (`crate::ssh::config::special`) by all of them.
pub fn line_refusal(
    version: SshVersion,
    canonical: &str,
    written: &str,
    args: &[&str],
) -> Option<String> {
    if canonical == "gssapikexalgorithms" {
        return gss_kex_refusal(args.first().copied());
    }
    if special::is_special(canonical) {
        return special::check(version.semantics().release, canonical, written, args).err();
    }
    refusal(version, canonical, args.first().copied())
}

/// What `version`'s ssh says about `canonical` with first argument `arg`,
/// if it refuses it for a reason of its release.
pub fn refusal(version: SshVersion, canonical: &str, arg: Option<&str>) -> Option<String> {
    if !checked_by_release(canonical) {
        return None;
    }
    Algorithms::of(version).refusal(canonical, arg?)
}

/// Debian's `kex_gss_names_valid`: each name one of its GSSAPI key
/// exchange methods.
fn gss_kex_refusal(arg: Option<&str>) -> Option<String> {
    const GSS_KEX: &[&str] = &[
        "gss-gex-sha1-",
        "gss-group1-sha1-",
        "gss-group14-sha1-",
        "gss-group14-sha256-",
        "gss-group16-sha512-",
        "gss-nistp256-sha256-",
        "gss-curve25519-sha256-",
    ];
    let arg = arg.unwrap_or("");
    if arg.is_empty() {
        return Some(String::from("Missing argument."));
    }
    arg.split(',')
        .any(|name| !GSS_KEX.contains(&name))
        .then(|| format!("Bad GSSAPI KexAlgorithms '{arg}'."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn v(text: &str) -> SshVersion {
        parse_version_argument(text).expect("a version")
    }

    const KEY_TYPE_LISTS: &[&str] = &[
        "hostkeyalgorithms",
        "pubkeyacceptedalgorithms",
        "hostbasedacceptedalgorithms",
        "casignaturealgorithms",
    ];

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
        assert_eq!(refusal(v("10.5p1"), "identityfile", Some("ssh-dss")), None);
        assert_eq!(refusal(v("10.5p1"), "hostkeyalgorithms", None), None);
    }

    #[test]
    fn unknown_names_are_refused_by_every_release() {
        assert_eq!(
            refusal(v("10.5p1"), "hostkeyalgorithms", Some("ssh-dsss")),
            Some(String::from("Bad key types 'ssh-dsss'."))
        );
        assert_eq!(
            refusal(v("8.7p1"), "ciphers", Some("aes128-cbc,arcfour")),
            Some(String::from("Bad SSH2 cipher spec 'aes128-cbc,arcfour'."))
        );
    }
}
