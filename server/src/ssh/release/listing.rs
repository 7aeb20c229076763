//! What a release's `ssh -G` prints and how it expands tokens, as far as gord
//! models its listing: which lines exist (and where), the default
//! IdentityFile list, `%j` and the `%C` hash, and which keywords expand
//! tokens. Each fact is read off readconf.c / ssh.c at the release tags and
//! checked against the reference clients' recordings
//! (tests/fixtures/ssh/releases/listing/). Pure.

use super::{Flavour, Release, SshVersion};

/// The `ssh -G` listing of one release and build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    pub release: Release,
    /// Debian's patches: `ServerAliveInterval` 300 in batch mode, and
    /// `ForwardX11Trusted` (yes by default there) printed only when set.
    pub debian: bool,
    /// Apple's build: it prints its own flags (`applemultipath`,
    /// `nohostauthenticationforproxycommand`).
    pub apple: bool,
}

const fn at(major: u16, minor: u16) -> Release {
    Release::new(major, minor, 0)
}

/// Default IdentityFile lists (`fill_default_options`), oldest first: each
/// applies from its release until the next one.
const IDENTITY_FILES: &[(Release, &[&str])] = &[
    (
        at(8, 7),
        &[
            "~/.ssh/id_rsa",
            "~/.ssh/id_dsa",
            "~/.ssh/id_ecdsa",
            "~/.ssh/id_ecdsa_sk",
            "~/.ssh/id_ed25519",
            "~/.ssh/id_ed25519_sk",
            "~/.ssh/id_xmss",
        ],
    ),
    // 8.9: id_dsa moves to the end.
    (
        at(8, 9),
        &[
            "~/.ssh/id_rsa",
            "~/.ssh/id_ecdsa",
            "~/.ssh/id_ecdsa_sk",
            "~/.ssh/id_ed25519",
            "~/.ssh/id_ed25519_sk",
            "~/.ssh/id_xmss",
            "~/.ssh/id_dsa",
        ],
    ),
    // 9.8: DSA is off in a default build (`--enable-dsa-keys` brings it back).
    (
        at(9, 8),
        &[
            "~/.ssh/id_rsa",
            "~/.ssh/id_ecdsa",
            "~/.ssh/id_ecdsa_sk",
            "~/.ssh/id_ed25519",
            "~/.ssh/id_ed25519_sk",
            "~/.ssh/id_xmss",
        ],
    ),
    // 10.1: XMSS and DSA gone.
    (
        at(10, 1),
        &[
            "~/.ssh/id_rsa",
            "~/.ssh/id_ecdsa",
            "~/.ssh/id_ecdsa_sk",
            "~/.ssh/id_ed25519",
            "~/.ssh/id_ed25519_sk",
        ],
    ),
    // 10.5: the ML-DSA hybrid key.
    (
        at(10, 5),
        &[
            "~/.ssh/id_rsa",
            "~/.ssh/id_ecdsa",
            "~/.ssh/id_ecdsa_sk",
            "~/.ssh/id_ed25519",
            "~/.ssh/id_ed25519_sk",
            "~/.ssh/id_mldsa44_ed25519",
        ],
    ),
];

/// Lines of `ssh -G` that only some releases print: (keyword, first release).
const PRINTED_SINCE: &[(&str, Release)] = &[
    ("host", at(9, 2)),
    ("requiredrsasize", at(9, 1)),
    ("enableescapecommandline", at(9, 2)),
    ("tag", at(9, 4)),
    ("obscurekeystroketiming", at(9, 5)),
    ("channeltimeout", at(9, 6)),
    ("versionaddendum", at(10, 0)),
    ("warnweakcrypto", at(10, 1)),
];

/// Lines only Apple's build prints: (keyword, first release of that build
/// with it), read off `dump_client_config` in apple-oss-distributions/OpenSSH.
const APPLE_PRINTS: &[(&str, Release)] = &[
    ("nohostauthenticationforproxycommand", at(9, 6)),
    ("applemultipath", at(9, 0)),
];

/// Lines only Debian's build prints (its GSSAPI patch, in every release
/// gord knows).
const DEBIAN_PRINTS: &[&str] = &[
    "gssapiauthentication",
    "gssapikeyexchange",
    "gssapidelegatecredentials",
    "gssapitrustdns",
    "gssapirenewalforcesrekey",
    "gssapiclientidentity",
    "gssapiserveridentity",
    "gssapikexalgorithms",
];

impl Listing {
    /// What gord printed before listings followed the release (Debian's
    /// 9.2p1): `gord ssh resolve` with no ssh to follow prints this.
    pub const fn legacy() -> Listing {
        Listing {
            release: Release::new(9, 2, 1),
            debian: true,
            apple: false,
        }
    }

    /// The listing of `version` (its semantics: the nearest known release).
    pub fn of(version: SshVersion) -> Listing {
        Listing {
            release: version.semantics().release,
            debian: version.flavour == Flavour::Debian,
            apple: version.flavour == Flavour::Apple,
        }
    }

    fn since(&self, release: Release) -> bool {
        self.release >= release
    }

    /// Whether this release prints `keyword` at all.
    pub fn prints(&self, keyword: &str) -> bool {
        if let Some((_, from)) = APPLE_PRINTS.iter().find(|(k, _)| *k == keyword) {
            return self.apple && self.since(*from);
        }
        if DEBIAN_PRINTS.contains(&keyword) {
            return self.debian;
        }
        PRINTED_SINCE
            .iter()
            .find(|(k, _)| *k == keyword)
            .is_none_or(|(_, from)| self.since(*from))
    }

    /// The IdentityFile list used when the config names none.
    pub fn default_identity_files(&self) -> &'static [&'static str] {
        IDENTITY_FILES
            .iter()
            .rev()
            .find(|(from, _)| self.since(*from))
            .map_or(IDENTITY_FILES[0].1, |(_, files)| files)
    }

    /// PubkeyAuthentication became a multistate (true/false/unbound/
    /// host-bound) in 8.9; before, a flag printed yes/no.
    pub fn pubkey_auth_word(&self, stored: &str) -> String {
        match stored {
            "true" if !self.since(at(8, 9)) => String::from("yes"),
            "false" if !self.since(at(8, 9)) => String::from("no"),
            other => other.to_string(),
        }
    }

    /// `%j` (the ProxyJump host) exists, and `%C` hashes it too, from 9.6.
    pub fn knows_jump_token(&self) -> bool {
        self.since(at(9, 6))
    }

    /// `User` and `SetEnv` expand `%` tokens and `${VAR}` from 10.0.
    pub fn expands_user_and_setenv(&self) -> bool {
        self.since(at(10, 0))
    }

    /// A user given on the command line (`user@host`) is expanded with the
    /// configured one in 10.0 only: 10.1 stopped expanding it (35d591765).
    pub fn expands_command_line_user(&self) -> bool {
        self.expands_user_and_setenv() && !self.since(at(10, 1))
    }

    /// Whether ssh.c checks the remote user name (`valid_ruser`): from 9.6
    /// a command-line one (Debian's 9.2 too); in 10.0 every one, after
    /// expansion; from 10.1 a
    /// command-line one or one that expansion changed.
    pub fn checks_user(&self, from_command_line: bool, expanded: bool) -> bool {
        if self.since(at(10, 1)) {
            from_command_line || expanded
        } else if self.since(at(10, 0)) {
            true
        } else {
            // (Debian's 9.2 has the 9.6 check: the CVE-2023-51385 fix.)
            (self.since(at(9, 6)) || self.debian) && from_command_line
        }
    }

    /// The characters ssh.c's `valid_hostname` refuses in the host named on
    /// the command line (besides a leading `-`, blanks and control
    /// characters): from 9.6 (and in Debian's 9.2, the CVE-2023-51385
    /// fix) shell metacharacters, from 10.0 (and Debian's) a comma too.
    /// None: no check.
    pub fn hostname_forbids(&self) -> Option<&'static str> {
        if self.since(at(10, 0)) || self.debian {
            Some("'`\"$\\;&<>|(){},")
        } else if self.since(at(9, 6)) {
            Some("'`\"$\\;&<>|(){}")
        } else {
            None
        }
    }

    /// From 10.3 (and in Debian's 9.2) ssh.c checks the command line's
    /// user before its host.
    pub fn checks_user_before_host(&self) -> bool {
        self.since(at(10, 3)) || self.debian
    }

    /// From 10.3 (openssh-portable 0a0ef4515; Debian's 9.2 has it) a `-J`
    /// list is checked hop by hop as the command line's user and host are
    /// (`parse_jump` strict): ssh passes the hops before the last as `-J`
    /// to the ssh it starts for a ProxyJump.
    pub fn checks_jump_hops(&self) -> bool {
        self.since(at(10, 3)) || self.debian
    }

    /// ssh.c's ProxyJump check lets a ProxyCommand of `none` pass from 10.3
    /// (openssh-portable 0a0ef4515; Debian's 9.2 has it): before, any
    /// ProxyCommand left beside a jump host is fatal.
    pub fn jump_allows_none_proxy_command(&self) -> bool {
        self.since(at(10, 3)) || self.debian
    }

    /// 10.1's `valid_ruser` also refuses control characters.
    pub fn refuses_control_characters_in_users(&self) -> bool {
        self.since(at(10, 1))
    }

    /// RevokedHostKeys expands `~`, `%` tokens and `${VAR}` from 9.4.
    pub fn expands_revoked_host_keys(&self) -> bool {
        self.since(at(9, 4))
    }

    /// SecurityKeyProvider's default: Debian builds have the internal
    /// security key support; a default upstream build does not
    /// (`--with-security-key-builtin` is off) and names the variable.
    pub fn security_key_provider(&self) -> &'static str {
        if self.debian {
            "internal"
        } else {
            "$SSH_SK_PROVIDER"
        }
    }

    /// How a set value prints where a release spells it its own way:
    /// upstream prints LogLevel QUIET as `QUIET` (Debian's as `SILENT`), 9.9
    /// prints `Compression yes` as `UNKNOWN` (its new delayed compression
    /// value has no name in `fmt_intarg` until 10.0), and VersionAddendum
    /// `none` prints empty.
    pub fn printed_value(&self, keyword: &str, stored: &str) -> String {
        match (keyword, stored) {
            ("loglevel", "SILENT") if !self.debian => String::from("QUIET"),
            ("compression", "yes") if self.since(at(9, 9)) && !self.since(at(10, 0)) => {
                String::from("UNKNOWN")
            }
            ("versionaddendum", v) if v.eq_ignore_ascii_case("none") => String::new(),
            ("pubkeyauthentication", v) => self.pubkey_auth_word(v),
            _ => stored.to_string(),
        }
    }

    /// From 10.3 RevokedHostKeys is a list, printed after UserKnownHostsFile
    /// (`none` when empty); before, a string printed among the strings.
    pub fn revoked_host_keys_is_list(&self) -> bool {
        self.since(at(10, 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(text: &str) -> Listing {
        Listing::of(crate::ssh::release::parse_version_argument(text).expect("a version"))
    }

    #[test]
    fn identity_defaults_follow_the_release_that_changed_them() {
        assert_eq!(
            listing("8.7p1").default_identity_files()[1],
            "~/.ssh/id_dsa"
        );
        assert_eq!(
            listing("9.7p1").default_identity_files().last(),
            Some(&"~/.ssh/id_dsa")
        );
        assert_eq!(
            listing("9.8p1").default_identity_files().last(),
            Some(&"~/.ssh/id_xmss")
        );
        assert_eq!(listing("10.2p1").default_identity_files().len(), 5);
        assert_eq!(
            listing("10.5p1").default_identity_files().last(),
            Some(&"~/.ssh/id_mldsa44_ed25519")
        );
    }

    #[test]
    fn lines_appear_in_the_release_that_added_them() {
        assert!(!listing("9.1p1").prints("host"));
        assert!(listing("9.2p1").prints("host"));
        assert!(!listing("9.5p1").prints("channeltimeout"));
        assert!(listing("9.6p1").prints("channeltimeout"));
        assert!(!listing("10.0p2").prints("warnweakcrypto"));
        assert!(listing("10.1p1").prints("warnweakcrypto"));
        assert!(listing("8.7p1").prints("user"));
    }

    #[test]
    fn apple_s_build_prints_its_own_flags() {
        assert!(listing("9.0p1-apple").prints("applemultipath"));
        assert!(!listing("9.4p1-apple").prints("nohostauthenticationforproxycommand"));
        assert!(listing("9.6p1-apple").prints("nohostauthenticationforproxycommand"));
        for other in ["10.0p2", "9.6p1-debian", "9.5p1-windows"] {
            assert!(!listing(other).prints("applemultipath"), "{other}");
            assert!(
                !listing(other).prints("nohostauthenticationforproxycommand"),
                "{other}"
            );
        }
        // Otherwise as upstream: no internal security key support.
        assert_eq!(
            listing("9.9p2-apple").security_key_provider(),
            "$SSH_SK_PROVIDER"
        );
    }

    #[test]
    fn token_rules_change_in_9_6_and_10_0() {
        assert!(!listing("9.5p1").knows_jump_token());
        assert!(listing("9.6p1").knows_jump_token());
        assert!(!listing("9.9p2").expands_user_and_setenv());
        assert!(listing("10.0p1").expands_user_and_setenv());
    }

    #[test]
    fn user_names_are_checked_and_expanded_by_the_release_s_rules() {
        assert!(!listing("9.2p1").checks_user(true, false));
        assert!(listing("9.2p1-debian").checks_user(true, false));
        assert!(listing("9.6p1").checks_user(true, false));
        assert!(!listing("9.9p2").checks_user(false, true));
        assert!(listing("10.0p2").checks_user(false, false));
        assert!(!listing("10.2p1").checks_user(false, false));
        assert!(listing("10.2p1").checks_user(false, true));
        assert!(listing("10.0p2").expands_command_line_user());
        assert!(!listing("10.1p1").expands_command_line_user());
        assert!(!listing("9.9p2").expands_command_line_user());
    }

    #[test]
    fn pubkey_authentication_prints_yes_before_8_9() {
        assert_eq!(listing("8.8p1").pubkey_auth_word("true"), "yes");
        assert_eq!(listing("8.9p1").pubkey_auth_word("true"), "true");
    }

    #[test]
    fn some_values_print_as_the_release_spells_them() {
        assert_eq!(
            listing("9.9p2").printed_value("compression", "yes"),
            "UNKNOWN"
        );
        assert_eq!(listing("10.0p1").printed_value("compression", "yes"), "yes");
        assert_eq!(
            listing("9.2p1").printed_value("loglevel", "SILENT"),
            "QUIET"
        );
        assert_eq!(
            listing("9.2p1-debian").printed_value("loglevel", "SILENT"),
            "SILENT"
        );
        assert_eq!(
            listing("10.0p1").printed_value("versionaddendum", "none"),
            ""
        );
    }

    #[test]
    fn only_debian_s_build_prints_the_gssapi_lines() {
        assert!(listing("9.2p1-debian").prints("gssapikexalgorithms"));
        assert!(listing("10.0p2-debian").prints("gssapiauthentication"));
        for other in ["9.2p1", "10.5p1", "9.9p2-apple"] {
            assert!(!listing(other).prints("gssapiauthentication"), "{other}");
        }
    }

    #[test]
    fn only_debian_builds_get_debian_quirks() {
        assert!(listing("9.2p1-debian").debian);
        assert!(!listing("9.2p1").debian);
        assert_eq!(Listing::legacy(), listing("9.2p1-debian"));
    }
}
