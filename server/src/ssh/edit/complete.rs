//! Completion in an ssh config line: at the start of a line, the keywords
//! the user's release knows (no others); in the first argument of a keyword
//! with a fixed set of values, those values as that release accepts them,
//! the default marked; the `Match` criteria of that release
//! ([`super::criteria`]) and the names of its algorithm lists
//! ([`super::algorithm_names`]). Keywords that take free text (names,
//! paths, commands) get nothing. Pure.

use std::ops::Range;

pub use super::criteria::MatchFacts;
use super::{defaults, docs, keyword_hover_with, knows, spelling};
use crate::ssh::config::keywords::{Kind, ADD_KEYS, FLAG_WORDS, KEYWORDS};
use crate::ssh::release::algorithms;
use crate::ssh::release::history::{Knows, FLAVOUR_KEYWORDS};
use crate::ssh::release::listing::Listing;
use crate::ssh::release::{Release, SshVersion};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Keyword,
    /// A `Match` criterion.
    Criterion,
    Value,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub label: String,
    /// One line: a keyword's summary, or "default" for the default value.
    pub detail: Option<String>,
    /// Markdown (a keyword's hover).
    pub documentation: Option<String>,
    pub default: bool,
}

/// What to offer at a cursor, and the bytes of the line it replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub replace: Range<usize>,
    pub items: Vec<Item>,
}

/// Values some releases do not accept yet: (keyword, value, first release).
/// PubkeyAuthentication became a multistate in 8.9.
const VALUES_SINCE: &[(&str, &str, Release)] = &[
    ("pubkeyauthentication", "unbound", Release::new(8, 9, 0)),
    ("pubkeyauthentication", "host-bound", Release::new(8, 9, 0)),
];

const YES_NO: &[(&str, &str)] = &[("yes", "yes"), ("no", "no")];

const LOG_LEVELS: &[(&str, &str)] = &[
    ("QUIET", "QUIET"),
    ("FATAL", "FATAL"),
    ("ERROR", "ERROR"),
    ("INFO", "INFO"),
    ("VERBOSE", "VERBOSE"),
    ("DEBUG", "DEBUG"),
    ("DEBUG1", "DEBUG1"),
    ("DEBUG2", "DEBUG2"),
    ("DEBUG3", "DEBUG3"),
];

/// The fixed values of a kind: (word as written, word `ssh -G` prints).
/// `true`/`false` are accepted synonyms of yes/no; only yes/no are offered.
fn value_words(kind: Kind) -> Vec<(&'static str, &'static str)> {
    let words: &[(&str, &str)] = match kind {
        Kind::Flag => FLAG_WORDS,
        Kind::Choice(words) => words,
        Kind::AddKeysToAgent => ADD_KEYS,
        Kind::ForwardAgent | Kind::ControlPersist | Kind::ObscureTiming => YES_NO,
        Kind::LogLevel => LOG_LEVELS,
        _ => &[],
    };
    words
        .iter()
        .filter(|(w, _)| *w != "true" && *w != "false")
        .copied()
        .collect()
}

/// The completions at byte `at` of `line` (one line, without its ending)
/// under `version`; `ssh` names the ssh followed (for the documentation),
/// `facts` what `Match` arguments are completed from.
/// None where nothing is offered (a comment, a free-text value, past the
/// first argument).
pub fn complete(
    line: &str,
    at: usize,
    version: SshVersion,
    ssh: &str,
    facts: &MatchFacts,
) -> Option<Completion> {
    let at = at.min(line.len());
    let before = line.get(..at)?;
    let start = before.len() - before.trim_start_matches([' ', '\t']).len();
    let typed = &before[start..];
    if line[start..].starts_with('#') {
        return None;
    }
    let word_end = line[at..]
        .find(|c: char| c.is_whitespace() || c == '=')
        .map_or(line.len(), |p| at + p);
    match typed.find([' ', '\t', '=']) {
        None => Some(Completion {
            replace: start..word_end,
            items: keyword_items(version, ssh),
        }),
        Some(sep) => {
            let keyword = typed[..sep].to_ascii_lowercase();
            let after = &typed[sep..];
            let value_start = after.len() - after.trim_start_matches([' ', '\t', '=']).len();
            let value = &after[value_start..];
            let value_at = start + sep + value_start;
            if keyword == "match" {
                return super::criteria::complete(line, value_at, at, version, facts);
            }
            if value.contains([' ', '\t', '"', '=']) {
                return None;
            }
            if let Some(k) = super::known_keyword(&keyword) {
                if knows(&keyword, version) == Knows::Yes
                    && algorithms::is_algorithm_list(k.canonical)
                {
                    return super::algorithm_names::complete(
                        k.canonical,
                        line,
                        value_at,
                        at,
                        version,
                    );
                }
            }
            let items = value_items(&keyword, version);
            (!items.is_empty()).then_some(Completion {
                replace: value_at..word_end,
                items,
            })
        }
    }
}

/// Every keyword `version` knows, current names only (no aliases, nothing
/// retired), by their ssh_config(5) spelling.
fn keyword_items(version: SshVersion, ssh: &str) -> Vec<Item> {
    let shared = KEYWORDS.iter().filter(|k| {
        k.name == k.canonical
            && !matches!(k.kind, Kind::Deprecated | Kind::Unsupported | Kind::Ignore)
    });
    let defaults = defaults(version);
    let names = shared
        .map(|k| k.name)
        .chain(FLAVOUR_KEYWORDS.iter().map(|b| b.added.name))
        .filter(|name| knows(name, version) == Knows::Yes);
    names
        .map(|name| Item {
            kind: ItemKind::Keyword,
            label: spelling(name),
            detail: docs::lookup(name).map(|d| first_sentence(d.text)),
            documentation: keyword_hover_with(name, version, ssh, &defaults),
            default: false,
        })
        .collect()
}

fn first_sentence(text: &str) -> String {
    match text.find(". ") {
        Some(end) => text[..=end].to_string(),
        None => text.to_string(),
    }
}

/// The values of `keyword` (lowercase, as typed) that `version` accepts,
/// the default marked; none for a keyword of free text or one that release
/// does not know.
fn value_items(keyword: &str, version: SshVersion) -> Vec<Item> {
    let Some(k) = super::known_keyword(keyword) else {
        return Vec::new();
    };
    if knows(keyword, version) != Knows::Yes {
        return Vec::new();
    }
    let listing = Listing::of(version);
    let default = defaults(version)
        .into_iter()
        .find(|(name, _)| *name == k.canonical)
        .map(|(_, value)| value);
    let release = version.semantics().release;
    value_words(k.kind)
        .into_iter()
        .filter(|(word, _)| {
            VALUES_SINCE
                .iter()
                .all(|(kw, value, from)| *kw != k.canonical || value != word || release >= *from)
        })
        .map(|(word, printed)| {
            let printed = listing.printed_value(k.canonical, printed);
            let is_default = default
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(&printed));
            Item {
                kind: ItemKind::Value,
                label: word.to_string(),
                detail: is_default.then(|| String::from("default")),
                documentation: None,
                default: is_default,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn v(text: &str) -> SshVersion {
        parse_version_argument(text).expect("a version")
    }

    fn labels(line: &str, at: usize, version: &str) -> Vec<String> {
        complete(line, at, v(version), "x", &MatchFacts::default())
            .map(|c| c.items.into_iter().map(|i| i.label).collect())
            .unwrap_or_default()
    }

    #[test]
    fn keywords_are_those_the_users_release_knows() {
        let old = labels("  Ta", 4, "9.2p1-debian");
        assert!(old.contains(&"ServerAliveInterval".to_string()));
        assert!(
            old.contains(&"GSSAPIKeyExchange".to_string()),
            "Debian's own"
        );
        assert!(!old.contains(&"Tag".to_string()), "Tag came in 9.4");
        assert!(!old.contains(&"UseKeychain".to_string()));
        let new = labels("", 0, "10.5p1");
        for wanted in [
            "Tag",
            "WarnWeakCrypto",
            "RefuseConnection",
            "Host",
            "Match",
            "Include",
        ] {
            assert!(new.contains(&wanted.to_string()), "{wanted}");
        }
        assert!(!new.contains(&"GSSAPIKeyExchange".to_string()));
        for retired in [
            "UseRoaming",
            "useroaming",
            "Protocol",
            "protocol",
            "PubkeyAcceptedKeyTypes",
            "pubkeyacceptedkeytypes",
        ] {
            assert!(!new.contains(&retired.to_string()), "{retired}");
        }
        assert!(labels("", 0, "9.9p2-apple").contains(&"UseKeychain".to_string()));
    }

    #[test]
    fn a_keyword_completion_replaces_the_word_under_the_cursor() {
        let c = complete("  ServerAl 30", 6, v("10.5p1"), "x", &MatchFacts::default()).unwrap();
        assert_eq!(c.replace, 2..10);
        let item = c
            .items
            .iter()
            .find(|i| i.label == "ServerAliveInterval")
            .unwrap();
        assert_eq!(item.kind, ItemKind::Keyword);
        assert!(item
            .detail
            .as_deref()
            .unwrap()
            .starts_with("Seconds of silence"));
        assert!(item
            .documentation
            .as_deref()
            .unwrap()
            .contains("Default: `0`."));
    }

    #[test]
    fn enumerated_values_come_with_the_default_marked() {
        let c = complete(
            "  StrictHostKeyChecking a",
            25,
            v("10.5p1"),
            "x",
            &MatchFacts::default(),
        )
        .unwrap();
        assert_eq!(c.replace, 24..25);
        let items: Vec<(&str, bool)> = c
            .items
            .iter()
            .map(|i| (i.label.as_str(), i.default))
            .collect();
        assert_eq!(
            items,
            [
                ("yes", false),
                ("no", false),
                ("ask", true),
                ("off", false),
                ("accept-new", false)
            ]
        );
        let flags = complete(
            "ForwardX11Trusted=",
            18,
            v("9.2p1-debian"),
            "x",
            &MatchFacts::default(),
        )
        .unwrap();
        let default: Vec<&str> = flags
            .items
            .iter()
            .filter(|i| i.default)
            .map(|i| i.label.as_str())
            .collect();
        assert_eq!(default, ["yes"], "Debian trusts X11 forwarding by default");
        let upstream = complete(
            "ForwardX11Trusted ",
            18,
            v("9.2p1"),
            "x",
            &MatchFacts::default(),
        )
        .unwrap();
        assert_eq!(
            upstream
                .items
                .iter()
                .filter(|i| i.default)
                .map(|i| i.label.as_str())
                .collect::<Vec<_>>(),
            ["no"]
        );
        assert_eq!(
            labels("LogLevel ", 9, "10.5p1"),
            ["QUIET", "FATAL", "ERROR", "INFO", "VERBOSE", "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3"]
        );
        assert_eq!(
            labels("ControlMaster ", 14, "10.5p1"),
            ["yes", "no", "auto", "ask", "autoask"]
        );
    }

    #[test]
    fn values_follow_the_release() {
        assert_eq!(labels("PubkeyAuthentication ", 21, "8.7p1"), ["yes", "no"]);
        assert_eq!(
            labels("PubkeyAuthentication ", 21, "10.5p1"),
            ["yes", "no", "unbound", "host-bound"]
        );
        // A keyword the release does not know has no values to offer.
        assert!(labels("WarnWeakCrypto ", 15, "9.2p1").is_empty());
        assert_eq!(
            labels("WarnWeakCrypto ", 15, "10.5p1"),
            ["yes", "no", "no-pq-kex"]
        );
    }

    #[test]
    fn free_text_comments_and_later_arguments_get_nothing() {
        assert!(complete("  HostName ", 11, v("10.5p1"), "x", &MatchFacts::default()).is_none());
        assert!(complete("  # Host", 8, v("10.5p1"), "x", &MatchFacts::default()).is_none());
        assert!(complete("  # Host", 2, v("10.5p1"), "x", &MatchFacts::default()).is_none());
        assert!(complete(
            "Compression yes ",
            16,
            v("10.5p1"),
            "x",
            &MatchFacts::default()
        )
        .is_none());
        assert!(complete("Nosuch ", 7, v("10.5p1"), "x", &MatchFacts::default()).is_none());
        // Past the end of the line, and in the middle of a character.
        assert!(complete("é", 1, v("10.5p1"), "x", &MatchFacts::default()).is_none());
        assert!(complete("Port", 99, v("10.5p1"), "x", &MatchFacts::default()).is_some());
    }
}
