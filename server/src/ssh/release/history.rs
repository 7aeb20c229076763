//! What each release knows: the keywords, `Match` criteria and `%` tokens
//! that appeared between 8.7p1 and 10.5p1, and the keywords only some
//! builds have. Read from readconf.c's `keywords[]` table and
//! `match_cfg_line` at each release tag of openssh-portable (no keyword was
//! removed between 8.7p1 and 10.5p1: they only became aliases, deprecated or
//! unsupported earlier); checked against the recorded `ssh -G` runs of the
//! reference clients (tests/fixtures/ssh/releases).

use super::{Flavour, Release, SshVersion};

/// A keyword, criterion or token and the release that added it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    /// Lowercase, as readconf.c's table spells it.
    pub name: &'static str,
    /// As ssh_config(5) spells it.
    pub spelling: &'static str,
    pub release: Release,
}

const fn added(name: &'static str, spelling: &'static str, release: Release) -> Added {
    Added {
        name,
        spelling,
        release,
    }
}

/// Keywords added from 8.8p1 on (all older ones are in 8.7p1).
pub const KEYWORDS_ADDED: &[Added] = &[
    added("requiredrsasize", "RequiredRSASize", Release::new(9, 1, 1)),
    added(
        "enableescapecommandline",
        "EnableEscapeCommandline",
        Release::new(9, 2, 1),
    ),
    added("tag", "Tag", Release::new(9, 4, 1)),
    added(
        "obscurekeystroketiming",
        "ObscureKeystrokeTiming",
        Release::new(9, 5, 1),
    ),
    added("channeltimeout", "ChannelTimeout", Release::new(9, 6, 1)),
    added("versionaddendum", "VersionAddendum", Release::new(10, 0, 1)),
    added(
        "refuseconnection",
        "RefuseConnection",
        Release::new(10, 1, 1),
    ),
    added("warnweakcrypto", "WarnWeakCrypto", Release::new(10, 1, 1)),
];

/// `Match` criteria added from 8.8p1 on.
pub const CRITERIA_ADDED: &[Added] = &[
    added("tagged", "tagged", Release::new(9, 4, 1)),
    added("localnetwork", "localnetwork", Release::new(9, 4, 1)),
    added("command", "command", Release::new(10, 0, 1)),
    added("sessiontype", "sessiontype", Release::new(10, 0, 1)),
    added("version", "version", Release::new(10, 0, 1)),
];

/// `Match` criteria that take no argument (every release has them).
pub const BARE_CRITERIA: &[&str] = &["all", "canonical", "final"];

/// `%` tokens added from 8.8p1 on.
pub const TOKENS_ADDED: &[Added] = &[added("j", "%j", Release::new(9, 6, 1))];

/// A keyword only one flavour's build knows, and the release of that build
/// that first had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildKeyword {
    pub added: Added,
    pub flavour: Flavour,
}

const fn build(
    name: &'static str,
    spelling: &'static str,
    release: Release,
    flavour: Flavour,
) -> BuildKeyword {
    BuildKeyword {
        added: added(name, spelling, release),
        flavour,
    }
}

/// Keywords only one flavour's build knows. Apple's are those its
/// readconf.c compiles in (apple-oss-distributions/OpenSSH, every tag from
/// OpenSSH-220, 7.5p1, to OpenSSH-354, 10.0p2): `UseKeychain` in all of
/// them, `AppleMultipath` (undocumented) from its 9.0p1 build,
/// `NoHostAuthenticationForProxyCommand` from its 9.6p1 build.
pub const FLAVOUR_KEYWORDS: &[BuildKeyword] = &[
    build(
        "usekeychain",
        "UseKeychain",
        Release::new(8, 7, 1),
        Flavour::Apple,
    ),
    build(
        "applemultipath",
        "AppleMultipath",
        Release::new(9, 0, 1),
        Flavour::Apple,
    ),
    build(
        "nohostauthenticationforproxycommand",
        "NoHostAuthenticationForProxyCommand",
        Release::new(9, 6, 1),
        Flavour::Apple,
    ),
    build(
        "gssapikeyexchange",
        "GSSAPIKeyExchange",
        Release::new(8, 7, 1),
        Flavour::Debian,
    ),
    build(
        "gssapiclientidentity",
        "GSSAPIClientIdentity",
        Release::new(8, 7, 1),
        Flavour::Debian,
    ),
    build(
        "gssapiserveridentity",
        "GSSAPIServerIdentity",
        Release::new(8, 7, 1),
        Flavour::Debian,
    ),
    build(
        "gssapirenewalforcesrekey",
        "GSSAPIRenewalForcesRekey",
        Release::new(8, 7, 1),
        Flavour::Debian,
    ),
    build(
        "gssapitrustdns",
        "GSSAPITrustDns",
        Release::new(8, 7, 1),
        Flavour::Debian,
    ),
    build(
        "gssapikexalgorithms",
        "GSSAPIKexAlgorithms",
        Release::new(8, 7, 1),
        Flavour::Debian,
    ),
];

/// The build keyword `name` (lowercase), if it is one.
pub fn build_keyword(name: &str) -> Option<&'static BuildKeyword> {
    FLAVOUR_KEYWORDS.iter().find(|b| b.added.name == name)
}

/// What a release makes of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Knows {
    /// The release knows it.
    Yes,
    /// A later release added it.
    AddedIn(&'static Added),
    /// Another flavour's build has it (`UseKeychain` is Apple's).
    OtherFlavour(&'static str, Flavour),
    /// No release gord knows has it.
    No,
}

/// Whether some releases gord knows have keyword `name` and others do not.
pub fn by_release(name: &str) -> bool {
    KEYWORDS_ADDED.iter().any(|a| a.name == name)
}

/// What `version` makes of keyword `name` (lowercase), given whether
/// gord's keyword table has it (`crate::ssh::config::keywords`).
pub fn keyword(name: &str, version: SshVersion, in_table: bool) -> Knows {
    if let Some(a) = KEYWORDS_ADDED.iter().find(|a| a.name == name) {
        return if version.release >= a.release {
            Knows::Yes
        } else {
            Knows::AddedIn(a)
        };
    }
    if in_table {
        return Knows::Yes;
    }
    match build_keyword(name) {
        Some(b)
            if b.flavour == version.flavour && version.semantics().release >= b.added.release =>
        {
            Knows::Yes
        }
        Some(b) if b.flavour == version.flavour => Knows::AddedIn(&b.added),
        Some(b) => Knows::OtherFlavour(b.added.spelling, b.flavour),
        None => Knows::No,
    }
}

/// What `version` makes of `Match` criterion `name` (lowercase), given
/// whether 9.2p1 has it.
pub fn criterion(name: &str, version: SshVersion, in_9_2: bool) -> Knows {
    from_list(CRITERIA_ADDED, name, version, in_9_2)
}

/// What `version` makes of `%` token `name` (the letter), given whether
/// 9.2p1 has it.
pub fn token(name: &str, version: SshVersion, in_9_2: bool) -> Knows {
    from_list(TOKENS_ADDED, name, version, in_9_2)
}

fn from_list(list: &'static [Added], name: &str, version: SshVersion, known: bool) -> Knows {
    match list.iter().find(|a| a.name == name) {
        Some(a) if version.release >= a.release => Knows::Yes,
        Some(a) => Knows::AddedIn(a),
        None if known => Knows::Yes,
        None => Knows::No,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn at(text: &str) -> SshVersion {
        parse_version_argument(text).unwrap()
    }

    #[test]
    fn a_keyword_is_known_from_the_release_that_added_it() {
        assert_eq!(keyword("tag", at("9.4p1"), false), Knows::Yes);
        let Knows::AddedIn(tag) = keyword("tag", at("9.2p1-debian"), false) else {
            panic!("9.2p1 does not know Tag");
        };
        assert_eq!((tag.spelling, tag.release.short()), ("Tag", "9.4".into()));
        // In gord's table, but newer than 8.7p1.
        assert!(matches!(
            keyword("requiredrsasize", at("8.7p1"), true),
            Knows::AddedIn(_)
        ));
        assert_eq!(keyword("requiredrsasize", at("9.1p1"), true), Knows::Yes);
        assert_eq!(keyword("warnweakcrypto", at("10.1p1"), false), Knows::Yes);
        assert_eq!(keyword("hostname", at("8.7p1"), true), Knows::Yes);
        assert_eq!(keyword("bogus", at("10.5p1"), false), Knows::No);
    }

    #[test]
    fn flavour_keywords_belong_to_their_build() {
        assert_eq!(keyword("usekeychain", at("9.9p2-apple"), false), Knows::Yes);
        assert_eq!(
            keyword("usekeychain", at("9.9p2"), false),
            Knows::OtherFlavour("UseKeychain", Flavour::Apple)
        );
        assert_eq!(
            keyword("gssapikeyexchange", at("9.2p1-debian"), false),
            Knows::Yes
        );
        assert_eq!(
            keyword("usekeychain", at("9.2p1-debian"), false),
            Knows::OtherFlavour("UseKeychain", Flavour::Apple)
        );
    }

    #[test]
    fn apple_s_keywords_follow_the_release_of_its_build() {
        // macOS 13's ssh (Apple's 9.0p1) has AppleMultipath, macOS 14.4's
        // (9.6p1) also NoHostAuthenticationForProxyCommand.
        assert_eq!(
            keyword("applemultipath", at("9.0p1-apple"), false),
            Knows::Yes
        );
        assert!(matches!(
            keyword("nohostauthenticationforproxycommand", at("9.4p1-apple"), false),
            Knows::AddedIn(a) if a.release.short() == "9.6"
                && a.spelling == "NoHostAuthenticationForProxyCommand"
        ));
        assert_eq!(
            keyword(
                "nohostauthenticationforproxycommand",
                at("10.0p2-apple"),
                false
            ),
            Knows::Yes
        );
        assert_eq!(
            keyword("applemultipath", at("10.0p2"), false),
            Knows::OtherFlavour("AppleMultipath", Flavour::Apple)
        );
        assert_eq!(keyword("usekeychain", at("8.6p1-apple"), false), Knows::Yes);
    }

    #[test]
    fn criteria_and_tokens_by_release() {
        assert_eq!(criterion("tagged", at("9.4p1"), false), Knows::Yes);
        assert!(matches!(
            criterion("version", at("9.9p2"), false),
            Knows::AddedIn(a) if a.release.short() == "10.0"
        ));
        assert_eq!(criterion("host", at("8.7p1"), true), Knows::Yes);
        assert_eq!(criterion("nosuch", at("10.5p1"), false), Knows::No);
        assert_eq!(token("j", at("9.6p1"), false), Knows::Yes);
        assert!(matches!(token("j", at("9.5p1"), false), Knows::AddedIn(_)));
    }

    #[test]
    fn the_tables_are_in_release_order_and_within_the_known_range() {
        for list in [KEYWORDS_ADDED, CRITERIA_ADDED, TOKENS_ADDED] {
            assert!(list.windows(2).all(|w| w[0].release <= w[1].release));
            for a in list.iter().chain(FLAVOUR_KEYWORDS.iter().map(|b| &b.added)) {
                assert!(crate::ssh::release::KNOWN.contains(&a.release), "{a:?}");
                assert_eq!(
                    a.spelling.to_ascii_lowercase().trim_start_matches('%'),
                    a.name
                );
            }
        }
    }
}
