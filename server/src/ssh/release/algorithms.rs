//! The seven algorithm lists of ssh_config (Ciphers, MACs, KexAlgorithms,
//! HostKeyAlgorithms, HostbasedAcceptedAlgorithms, PubkeyAcceptedAlgorithms,
//! CASignatureAlgorithms) by release: what each release's readconf.c
//! accepts, with its error text, and what `ssh -G` prints once the
//! defaults, the `+`/`-`/`^` modifiers and the wildcards are applied
//! (`kex_assemble_names` and `match_filter_allowlist`/`denylist` of
//! kex.c/match.c). Pure.
//!
//! The build assumed is a default build of the portable release on OpenSSL
//! with ECC (as every Linux distribution and the reference clients in
//! shared/openssh): `./configure` with no algorithm options, so security
//! keys (`sk-*`, `webauthn-*`) are in, XMSS is out (`--enable-xmss` is off),
//! DSA is in until 9.7 and out from 9.8 (`--enable-dsa-keys` is off; 10.0
//! removed it), ML-KEM from 9.9 and ML-DSA from 10.4 are in (defines.h turns
//! them on). Debian's 9.2p1 also has `sntrup761x25519-sha512` (the 9.9 name)
//! at the head of its default key exchange list, as its recording shows.
//!
//! The lists are read off myproposal.h (the defaults), cipher.c, mac.c,
//! kex.c/kex-names.c and sshkey.c (what the build supports) at each release
//! tag of openssh-portable; the release notes say the same:
//! - 8.8: `ssh-rsa` (RSA/SHA-1) signatures off by default;
//! - 8.9: `sntrup761x25519-sha512@openssh.com` in the default key exchange
//!   list, 9.0 makes it the first (the default);
//! - 9.4: CASignatureAlgorithms refuses certificate types;
//! - 9.8: DSA off at build time ("DSA ... disabled by default");
//! - 9.9: `mlkem768x25519-sha256` and the standard name
//!   `sntrup761x25519-sha512`; shortnames (`RSA`, `ED25519`) no longer name
//!   key types;
//! - 10.0: `mlkem768x25519-sha256` is the default key exchange, AES-GCM is
//!   preferred to AES-CTR;
//! - 10.3: `webauthn-sk-ecdsa-sha2-nistp256@openssh.com` (and its
//!   certificate) in the default key type lists;
//! - 10.4: the `ssh-mldsa44-ed25519@openssh.com` key type;
//! - 10.5: the `mlkem768nistp256-sha256` key exchange.

use super::{Flavour, Release, SshVersion};
use crate::ssh::config::pattern::{match_pattern_list, ListMatch};
use std::borrow::Cow;

const fn at(major: u16, minor: u16) -> Release {
    Release::new(major, minor, 0)
}

/// Which list a keyword holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Ciphers,
    Macs,
    Kex,
    /// HostKeyAlgorithms, HostbasedAcceptedAlgorithms, PubkeyAcceptedAlgorithms.
    Keys,
    /// CASignatureAlgorithms: signature algorithms, no certificates.
    Signatures,
}

/// The algorithm keywords (canonical names), in the order ssh fills their
/// defaults (`assemble_algorithms`, then HostKeyAlgorithms when `-G`
/// prints), with the name its error messages use.
const KEYWORDS: &[(&str, List, &str)] = &[
    ("ciphers", List::Ciphers, "ciphers"),
    ("macs", List::Macs, "macs"),
    ("kexalgorithms", List::Kex, "kex_algorithms"),
    (
        "hostbasedacceptedalgorithms",
        List::Keys,
        "hostbased_accepted_algos",
    ),
    (
        "pubkeyacceptedalgorithms",
        List::Keys,
        "pubkey_accepted_algos",
    ),
    (
        "casignaturealgorithms",
        List::Signatures,
        "ca_sign_algorithms",
    ),
    ("hostkeyalgorithms", List::Keys, "HostKeyAlgorithms"),
];

fn list_of(canonical: &str) -> Option<List> {
    KEYWORDS
        .iter()
        .find(|(k, _, _)| *k == canonical)
        .map(|(_, l, _)| *l)
}

/// Whether `canonical` is one of the algorithm keywords.
pub fn is_algorithm_list(canonical: &str) -> bool {
    list_of(canonical).is_some()
}

/// Every cipher of cipher.c an OpenSSL build offers (`none` is internal).
const CIPHERS: &str = "3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com";

/// Every MAC of mac.c (the same from 8.7 to 10.5).
const MACS: &str = "hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96,umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha1-96-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-md5-etm@openssh.com,hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com";

/// Key exchange methods of kex.c / kex-names.c, from the release that
/// added them.
const KEX: &[(&str, Release)] = &[
    ("diffie-hellman-group1-sha1", at(8, 7)),
    ("diffie-hellman-group14-sha1", at(8, 7)),
    ("diffie-hellman-group14-sha256", at(8, 7)),
    ("diffie-hellman-group16-sha512", at(8, 7)),
    ("diffie-hellman-group18-sha512", at(8, 7)),
    ("diffie-hellman-group-exchange-sha1", at(8, 7)),
    ("diffie-hellman-group-exchange-sha256", at(8, 7)),
    ("ecdh-sha2-nistp256", at(8, 7)),
    ("ecdh-sha2-nistp384", at(8, 7)),
    ("ecdh-sha2-nistp521", at(8, 7)),
    ("curve25519-sha256", at(8, 7)),
    ("curve25519-sha256@libssh.org", at(8, 7)),
    ("sntrup761x25519-sha512@openssh.com", at(8, 7)),
    ("sntrup761x25519-sha512", at(9, 9)),
    ("mlkem768x25519-sha256", at(9, 9)),
    ("mlkem768nistp256-sha256", at(10, 5)),
];

/// The key types of sshkey.c in its table's order (`ssh -G` lists them in
/// this order for `HostKeyAlgorithms *`), each from the release whose table
/// first reads so.
const KEY_TYPES: &[(Release, &str)] = &[
    // keytypes[] of 8.7 to 9.1.
    (
        at(8, 7),
        "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ssh-rsa,rsa-sha2-256,rsa-sha2-512,ssh-dss,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
    ),
    // keyimpls[] from 9.2.
    (
        at(9, 2),
        "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com",
    ),
    // 9.8: no DSA in a default build.
    (
        at(9, 8),
        "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com",
    ),
    // 10.3: the webauthn certificate.
    (
        at(10, 3),
        "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com",
    ),
    // 10.4: ML-DSA hybrid keys.
    (
        at(10, 4),
        "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,ssh-mldsa44-ed25519@openssh.com,ssh-mldsa44-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256,rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com",
    ),
];

/// The short names (`RSA`, case-insensitive) that name a plain key type
/// until 9.8; 9.9 stopped accepting them (`type_from_name(name, 0)`).
const SHORT_NAMES: &[&str] = &["ed25519", "ed25519-sk", "rsa", "ecdsa", "ecdsa-sk"];
const SHORT_NAMES_UNTIL: Release = at(9, 9);
/// DSA's short name, while DSA is built.
const DSA_SHORT_NAME: &str = "dsa";
const DSA_REMOVED: Release = at(9, 8);
/// From 9.4 CASignatureAlgorithms refuses certificate types.
const CA_PLAIN_ONLY: Release = at(9, 4);

/// Default lists (myproposal.h), each from its release until the next.
const DEFAULT_CIPHERS: &[(Release, &str)] = &[
    (
        at(8, 7),
        "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
    ),
    (
        at(10, 0),
        "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr",
    ),
];

const DEFAULT_MACS: &str = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";

const DEFAULT_KEX: &[(Release, &str)] = &[
    (
        at(8, 7),
        "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
    ),
    (
        at(8, 9),
        "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,sntrup761x25519-sha512@openssh.com,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
    ),
    (
        at(9, 0),
        "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
    ),
    (
        at(9, 9),
        "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
    ),
    (
        at(10, 0),
        "mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
    ),
];

/// Debian's 9.2p1 names the 9.9 alias first.
const DEBIAN_SNTRUP: &str = "sntrup761x25519-sha512";

/// KEX_DEFAULT_PK_ALG: HostKeyAlgorithms, HostbasedAcceptedAlgorithms and
/// PubkeyAcceptedAlgorithms.
const DEFAULT_KEYS: &[(Release, &str)] = &[
    (
        at(8, 7),
        "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-rsa-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256,ssh-rsa",
    ),
    (
        at(8, 8),
        "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
    ),
    (
        at(10, 3),
        "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
    ),
];

/// SSH_ALLOWED_CA_SIGALGS: CASignatureAlgorithms.
const DEFAULT_SIGNATURES: &[(Release, &str)] = &[
    (
        at(8, 7),
        "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
    ),
    (
        at(10, 3),
        "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
    ),
];

fn from_release(table: &[(Release, &'static str)], release: Release) -> &'static str {
    table
        .iter()
        .rev()
        .find(|(from, _)| release >= *from)
        .map_or(table[0].1, |(_, list)| list)
}

fn is_certificate(name: &str) -> bool {
    name.ends_with("-cert-v01@openssh.com")
}

/// What one build of one release knows of algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Algorithms {
    release: Release,
    debian: bool,
}

impl Algorithms {
    /// The algorithms of `version` (its semantics: the nearest known release).
    pub fn of(version: SshVersion) -> Algorithms {
        Algorithms::for_build(
            version.semantics().release,
            version.flavour == Flavour::Debian,
        )
    }

    /// The algorithms of `release`, Debian's build or another.
    pub fn for_build(release: Release, debian: bool) -> Algorithms {
        Algorithms { release, debian }
    }

    fn debian_sntrup(&self) -> bool {
        self.debian && self.release >= at(9, 2) && self.release < at(9, 9)
    }

    /// Every name of `list` this build supports, in its table's order.
    fn all(&self, list: List) -> String {
        match list {
            List::Ciphers => CIPHERS.to_string(),
            List::Macs => MACS.to_string(),
            List::Kex => KEX
                .iter()
                .filter(|(name, from)| {
                    self.release >= *from || (*name == DEBIAN_SNTRUP && self.debian_sntrup())
                })
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
                .join(","),
            List::Keys => from_release(KEY_TYPES, self.release).to_string(),
            List::Signatures => from_release(KEY_TYPES, self.release)
                .split(',')
                .filter(|n| !is_certificate(n))
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// The default list `ssh -G` prints when the config sets none.
    fn default(&self, list: List) -> Cow<'static, str> {
        Cow::Borrowed(match list {
            List::Ciphers => from_release(DEFAULT_CIPHERS, self.release),
            List::Macs => DEFAULT_MACS,
            List::Kex if self.debian_sntrup() => {
                return Cow::Owned(format!(
                    "{DEBIAN_SNTRUP},{}",
                    from_release(DEFAULT_KEX, self.release)
                ))
            }
            List::Kex => from_release(DEFAULT_KEX, self.release),
            List::Keys => from_release(DEFAULT_KEYS, self.release),
            List::Signatures => from_release(DEFAULT_SIGNATURES, self.release),
        })
    }

    /// The default of keyword `canonical`, if it is an algorithm list.
    pub fn default_of(&self, canonical: &str) -> Option<String> {
        list_of(canonical).map(|l| self.default(l).into_owned())
    }

    /// Every name keyword `canonical`'s list can hold in this build (no
    /// short names, no patterns), in its table's order; None for a keyword
    /// that is not an algorithm list.
    pub fn supported_of(&self, canonical: &str) -> Option<String> {
        list_of(canonical).map(|l| self.all(l))
    }

    fn key_name_valid(&self, name: &str, plain_only: bool) -> bool {
        let keys = from_release(KEY_TYPES, self.release);
        let known = keys.split(',').any(|k| k == name);
        let lower = name.to_ascii_lowercase();
        let short = self.release < SHORT_NAMES_UNTIL
            && (SHORT_NAMES.contains(&lower.as_str())
                || (lower == DSA_SHORT_NAME && self.release < DSA_REMOVED));
        if known {
            return !(plain_only && is_certificate(name));
        }
        if short {
            return true;
        }
        // A pattern is accepted when it matches some key type, positively
        // or negatively.
        keys.split(',')
            .any(|k| match_pattern_list(k, name, false) != ListMatch::NoMatch)
    }

    /// Whether readconf.c accepts `names` (the list without its `+`/`^`):
    /// non-empty, and every name up to the first empty one known.
    fn names_valid(&self, list: List, names: &str) -> bool {
        if names.is_empty() {
            return false;
        }
        let all = self.all(list);
        let plain_only = list == List::Signatures && self.release >= CA_PLAIN_ONLY;
        names
            .split(',')
            .take_while(|n| !n.is_empty())
            .all(|name| match list {
                List::Ciphers | List::Macs | List::Kex => all.split(',').any(|a| a == name),
                List::Keys | List::Signatures => self.key_name_valid(name, plain_only),
            })
    }

    /// What this release's readconf.c says of `canonical`'s argument `arg`
    /// when it refuses it (without the "FILE line N: " place).
    pub fn refusal(&self, canonical: &str, arg: &str) -> Option<String> {
        let list = list_of(canonical)?;
        if arg.is_empty() {
            return Some(String::from("Missing argument."));
        }
        if arg.starts_with('-') {
            return None;
        }
        let names = arg.strip_prefix(['+', '^']).unwrap_or(arg);
        if self.names_valid(list, names) {
            return None;
        }
        Some(match list {
            List::Ciphers => format!("Bad SSH2 cipher spec '{arg}'."),
            List::Macs => format!("Bad SSH2 MAC spec '{arg}'."),
            List::Kex => format!("Bad SSH2 KexAlgorithms '{arg}'."),
            List::Keys | List::Signatures => format!("Bad key types '{arg}'."),
        })
    }

    /// Every algorithm line `ssh -G` prints, in the order ssh fills them
    /// (so the first error is ssh's): (keyword, list; None when ssh prints
    /// no line). Until 10.3 a list that comes out empty is only logged:
    /// `fill_default_options` leaves it unset and skips the rest of its
    /// work (the lists after it print as configured, and nothing is
    /// cleared by `none`: [`Assembled::fill_stopped`]) and still succeeds;
    /// from 10.4 it fails and ssh exits. HostKeyAlgorithms, expanded when
    /// `-G` prints, is fatal in every release.
    pub fn effective_all(
        &self,
        configured: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Assembled, String> {
        let mut out = Vec::with_capacity(KEYWORDS.len());
        let mut failed = false;
        for (keyword, list, name) in KEYWORDS {
            let value = configured(keyword);
            let host_keys = *keyword == "hostkeyalgorithms";
            if failed && !host_keys {
                out.push((*keyword, value.map(Cow::Owned)));
                continue;
            }
            // Most hosts set no list: the release's default, without
            // building the list of every supported name.
            let assembled = match value.as_deref() {
                None | Some("") => Some(self.default(*list)),
                Some(_) => assemble(value.as_deref(), &self.default(*list), &self.all(*list))
                    .map(Cow::Owned),
            };
            match assembled {
                Some(list) => out.push((*keyword, Some(list))),
                None if host_keys => {
                    return Err(format!(
                        "dump_client_config: expand {name}: invalid argument"
                    ))
                }
                None if self.release >= FILL_FAILS_FROM => {
                    return Err(format!("fill_default_options: {name}: invalid argument"))
                }
                None => {
                    failed = true;
                    out.push((*keyword, None));
                }
            }
        }
        Ok(Assembled {
            lists: out,
            fill_stopped: failed,
        })
    }
}

/// The algorithm lines of `ssh -G` ([`Algorithms::effective_all`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembled {
    /// (keyword, list; None when ssh prints no line), in ssh's order.
    pub lists: Vec<(&'static str, Option<Cow<'static, str>>)>,
    /// A list came out empty before 10.4: `fill_default_options` jumped to
    /// its end, past the lists after it and past its clean-up (a `none`
    /// ProxyCommand, ControlPath, ProxyJump, ... stays `none`; the
    /// `proxy_command` "none" a ProxyJump sets then makes ssh.c stop with
    /// "inconsistent options: ProxyCommand+ProxyJump").
    pub fill_stopped: bool,
}

/// From 10.4 `fill_default_options` returns its failure (`ret = -1`).
const FILL_FAILS_FROM: Release = at(10, 4);

/// `kex_names_cat`: `a`, then each name of `b` (up to its first empty one)
/// not already in the result.
fn cat(a: &str, b: &str) -> String {
    if a.is_empty() {
        return b.to_string();
    }
    if b.is_empty() {
        return a.to_string();
    }
    let mut out = a.to_string();
    for name in b.split(',').take_while(|n| !n.is_empty()) {
        if out.split(',').any(|n| n == name) {
            continue;
        }
        out.push(',');
        out.push_str(name);
    }
    out
}

/// `match_filter_allowlist` (`deny` false) / `match_filter_denylist`: the
/// names of `proposal` that the pattern list `filter` matches (or not).
fn filter(proposal: &str, filter: &str, deny: bool) -> String {
    proposal
        .split(',')
        .filter(|name| {
            let matched = match_pattern_list(name, filter, false) == ListMatch::Matched;
            matched != deny
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `kex_assemble_names`: the configured list applied to the default: `+`
/// appends, `-` removes (patterns), `^` puts first, a plain list replaces;
/// every name or pattern of the result is then matched against what the
/// build supports. None where ssh fails (an empty result, a `!` pattern).
fn assemble(configured: Option<&str>, default: &str, all: &str) -> Option<String> {
    let list = match configured {
        None | Some("") => return Some(default.to_string()),
        Some(list) => list,
    };
    let list = if let Some(rest) = list.strip_prefix('+') {
        cat(default, rest)
    } else if let Some(rest) = list.strip_prefix('-') {
        return Some(filter(default, rest, true));
    } else if let Some(rest) = list.strip_prefix('^') {
        cat(rest, default)
    } else {
        list.to_string()
    };
    let mut out = String::new();
    for pattern in list.split(',') {
        if pattern.starts_with('!') {
            return None;
        }
        out = cat(&out, &filter(all, pattern, false));
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn of(text: &str) -> Algorithms {
        Algorithms::of(parse_version_argument(text).expect("a version"))
    }

    /// What `version`'s `ssh -G` prints for `keyword` set to `value` alone.
    fn printed(version: &str, keyword: &str, value: Option<&str>) -> Result<String, String> {
        let lines = of(version)
            .effective_all(&|k| (k == keyword).then(|| value.map(String::from)).flatten())?;
        let (_, list) = lines
            .lists
            .into_iter()
            .find(|(k, _)| *k == keyword)
            .expect("a line");
        Ok(list.map_or_else(|| String::from("(no line)"), Cow::into_owned))
    }

    #[test]
    fn defaults_follow_the_release_that_changed_them() {
        let first = |v: &str, k: &str| {
            printed(v, k, None)
                .unwrap()
                .split(',')
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(first("8.8p1", "kexalgorithms"), "curve25519-sha256");
        assert_eq!(
            first("9.0p1", "kexalgorithms"),
            "sntrup761x25519-sha512@openssh.com"
        );
        assert_eq!(first("9.9p1", "kexalgorithms"), "sntrup761x25519-sha512");
        assert_eq!(first("10.0p1", "kexalgorithms"), "mlkem768x25519-sha256");
        assert_eq!(
            first("9.2p1-debian", "kexalgorithms"),
            "sntrup761x25519-sha512"
        );
        assert!(printed("8.9p1", "kexalgorithms", None)
            .unwrap()
            .contains("ecdh-sha2-nistp521,sntrup761x25519-sha512@openssh.com,"));
        assert!(printed("8.7p1", "hostkeyalgorithms", None)
            .unwrap()
            .ends_with(",ssh-rsa"));
        assert!(!printed("8.8p1", "pubkeyacceptedalgorithms", None)
            .unwrap()
            .contains("ssh-rsa"));
        assert_eq!(first("10.0p1", "ciphers"), "chacha20-poly1305@openssh.com");
        assert!(printed("10.0p1", "ciphers", None)
            .unwrap()
            .starts_with("chacha20-poly1305@openssh.com,aes128-gcm@openssh.com"));
        assert!(!printed("10.2p1", "casignaturealgorithms", None)
            .unwrap()
            .contains("webauthn"));
        assert!(printed("10.3p1", "casignaturealgorithms", None)
            .unwrap()
            .contains("webauthn-sk-ecdsa-sha2-nistp256@openssh.com"));
    }

    #[test]
    fn plus_appends_minus_removes_caret_puts_first() {
        assert_eq!(
            printed("10.5p1", "ciphers", Some("+aes128-cbc")).unwrap(),
            "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-cbc"
        );
        assert_eq!(
            printed(
                "10.5p1",
                "ciphers",
                Some("-aes*,chacha20-poly1305@openssh.com")
            )
            .unwrap(),
            ""
        );
        assert_eq!(
            printed("10.5p1", "ciphers", Some("-*-ctr")).unwrap(),
            "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
        );
        assert_eq!(
            printed("10.5p1", "ciphers", Some("^aes256-ctr")).unwrap(),
            "aes256-ctr,chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr"
        );
        // Appending a name already there changes nothing.
        assert_eq!(
            printed("10.5p1", "macs", Some("+hmac-sha1")),
            printed("10.5p1", "macs", None)
        );
    }

    #[test]
    fn a_plain_list_replaces_the_default_and_expands_patterns_in_table_order() {
        assert_eq!(
            printed("9.6p1", "ciphers", Some("aes256-ctr,aes128-ctr")).unwrap(),
            "aes256-ctr,aes128-ctr"
        );
        // Key type lists take patterns: each expands to the build's types.
        assert_eq!(
            printed("10.5p1", "hostkeyalgorithms", Some("ssh-ed25519*")).unwrap(),
            "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com"
        );
        assert_eq!(
            printed("10.5p1", "casignaturealgorithms", Some("rsa-*,ssh-ed25519")).unwrap(),
            "rsa-sha2-256,rsa-sha2-512,ssh-ed25519"
        );
        // Empty names and names the build lacks are dropped.
        assert_eq!(
            printed("10.5p1", "ciphers", Some("aes128-ctr,,bogus")).unwrap(),
            "aes128-ctr"
        );
    }

    #[test]
    fn an_empty_result_or_a_negation_stops_ssh_with_its_error() {
        // A short name passes readconf.c before 9.9 but names no algorithm:
        // until 10.3 ssh logs it and prints no line (nor CASignatureAlgorithms,
        // which it then leaves unset).
        assert_eq!(
            printed("9.2p1", "pubkeyacceptedalgorithms", Some("RSA")).as_deref(),
            Ok("(no line)")
        );
        let lines = of("9.2p1")
            .effective_all(&|k| (k == "pubkeyacceptedalgorithms").then(|| String::from("RSA")))
            .unwrap();
        assert!(lines.fill_stopped);
        let casig = lines
            .lists
            .iter()
            .find(|(k, _)| *k == "casignaturealgorithms");
        assert_eq!(casig, Some(&("casignaturealgorithms", None)));
        // From 10.4 it stops ssh.
        assert_eq!(printed("10.4p1", "macs", Some("-*,!x")).as_deref(), Ok(""));
        assert_eq!(
            printed("10.4p1", "macs", Some("!hmac-sha1")),
            Err(String::from("fill_default_options: macs: invalid argument"))
        );
        assert_eq!(
            printed("10.3p1", "macs", Some("!hmac-sha1")).as_deref(),
            Ok("(no line)")
        );
        assert_eq!(
            printed("9.6p1", "hostkeyalgorithms", Some("rsa")),
            Err(String::from(
                "dump_client_config: expand HostKeyAlgorithms: invalid argument"
            ))
        );
        assert!(printed("10.5p1", "hostkeyalgorithms", Some("!ssh-rsa")).is_err());
    }

    #[test]
    fn each_list_refuses_unknown_names_with_its_release_s_text() {
        let v = of("10.5p1");
        assert_eq!(
            v.refusal("ciphers", "aes128-ctr,bogus").as_deref(),
            Some("Bad SSH2 cipher spec 'aes128-ctr,bogus'.")
        );
        assert_eq!(
            v.refusal("macs", "+hmac-sha3").as_deref(),
            Some("Bad SSH2 MAC spec '+hmac-sha3'.")
        );
        assert_eq!(
            v.refusal("kexalgorithms", "^bogus").as_deref(),
            Some("Bad SSH2 KexAlgorithms '^bogus'.")
        );
        assert_eq!(
            v.refusal("pubkeyacceptedalgorithms", "ssh-dss").as_deref(),
            Some("Bad key types 'ssh-dss'.")
        );
        assert_eq!(
            v.refusal("ciphers", "").as_deref(),
            Some("Missing argument.")
        );
        // Removal is not checked; nor is anything after an empty name.
        assert_eq!(v.refusal("ciphers", "-bogus"), None);
        assert_eq!(v.refusal("ciphers", "aes128-ctr,,bogus"), None);
        // Ciphers take no patterns; key types do.
        assert!(v.refusal("ciphers", "aes*").is_some());
        assert_eq!(v.refusal("hostkeyalgorithms", "ssh-ed25519*"), None);
        assert!(v.refusal("hostkeyalgorithms", "nothing*").is_some());
        assert_eq!(v.refusal("user", "bogus"), None);
        // "none" is an internal cipher, not one a config may name.
        assert!(v.refusal("ciphers", "none").is_some());
    }

    #[test]
    fn names_come_and_go_with_their_release() {
        assert!(of("9.8p1")
            .refusal("kexalgorithms", "mlkem768x25519-sha256")
            .is_some());
        assert_eq!(
            of("9.9p1").refusal("kexalgorithms", "mlkem768x25519-sha256"),
            None
        );
        assert!(of("10.4p1")
            .refusal("kexalgorithms", "mlkem768nistp256-sha256")
            .is_some());
        assert_eq!(
            of("10.5p1").refusal("kexalgorithms", "mlkem768nistp256-sha256"),
            None
        );
        assert_eq!(of("9.7p1").refusal("hostkeyalgorithms", "+ssh-dss"), None);
        assert!(of("9.8p1")
            .refusal("hostkeyalgorithms", "+ssh-dss")
            .is_some());
        // Short names until 9.8, DSA's while DSA is built.
        assert_eq!(of("9.8p1").refusal("pubkeyacceptedalgorithms", "RSA"), None);
        assert!(of("9.8p1")
            .refusal("pubkeyacceptedalgorithms", "DSA")
            .is_some());
        assert!(of("9.9p1")
            .refusal("pubkeyacceptedalgorithms", "RSA")
            .is_some());
        // Certificates as CA signature algorithms: refused from 9.4.
        let cert = "ssh-ed25519-cert-v01@openssh.com";
        assert_eq!(of("9.3p1").refusal("casignaturealgorithms", cert), None);
        assert!(of("9.4p1").refusal("casignaturealgorithms", cert).is_some());
        assert!(of("10.3p1")
            .refusal("hostkeyalgorithms", "ssh-mldsa44-ed25519@openssh.com")
            .is_some());
        assert_eq!(
            of("10.4p1").refusal("hostkeyalgorithms", "ssh-mldsa44-ed25519@openssh.com"),
            None
        );
    }

    #[test]
    fn the_list_algebra_matches_kex_c() {
        assert_eq!(cat("a,b", "b,c,,d"), "a,b,c");
        assert_eq!(cat("", "x,,y"), "x,,y");
        assert_eq!(cat("a", ""), "a");
        assert_eq!(filter("a1,a2,b1", "a*", false), "a1,a2");
        assert_eq!(filter("a1,a2,b1", "a*,!a2", true), "a2,b1");
        assert_eq!(assemble(Some("x"), "d", "a,b"), None);
        assert_eq!(assemble(None, "d", "a,b").as_deref(), Some("d"));
    }

    #[test]
    fn every_table_is_in_release_order() {
        for table in [
            DEFAULT_CIPHERS,
            DEFAULT_KEX,
            DEFAULT_KEYS,
            DEFAULT_SIGNATURES,
            KEY_TYPES,
        ] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
            assert_eq!(table[0].0, at(8, 7));
        }
        // Every default is supported by its build.
        for release in crate::ssh::release::KNOWN {
            let a = Algorithms::for_build(*release, false);
            for (k, list, _) in KEYWORDS {
                let all = a.all(*list);
                for name in a.default(*list).split(',') {
                    assert!(all.split(',').any(|n| n == name), "{release} {k} {name}");
                }
            }
        }
    }
}
