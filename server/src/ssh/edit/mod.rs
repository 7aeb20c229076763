//! Editing an ssh config: keyword documentation, completion, the outline
//! and formatting, each by the release of the user's ssh. Pure: the LSP
//! handlers (`crate::lsp::ssh_edit`) turn these into protocol types.

mod algorithm_names;
pub mod complete;
mod criteria;
pub mod docs;
pub mod format;
pub mod outline;

use std::path::PathBuf;

use crate::render::escape::{md_code, md_text};
use crate::ssh::config::effective::effective_as;
use crate::ssh::config::keywords::{self, Keyword, Kind};
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::options::Options;
use crate::ssh::config::resolve::Resolution;
use crate::ssh::release::history::{self, Knows};
use crate::ssh::release::listing::Listing;
use crate::ssh::release::SshVersion;

/// A keyword gord knows: in the table every build has, or one build's.
pub fn known_keyword(name: &str) -> Option<&'static Keyword> {
    keywords::lookup(name).or_else(|| keywords::lookup_build(name))
}

/// Whether `name` is in the table every build shares.
fn in_table(name: &str) -> bool {
    keywords::lookup(name).is_some()
}

/// What `version` makes of keyword `name` (lowercase).
pub fn knows(name: &str, version: SshVersion) -> Knows {
    history::keyword(name, version, in_table(name))
}

/// The defaults `version`'s `ssh -G` prints for a config that sets nothing,
/// by keyword (several lines of one keyword joined by `, `). The keywords
/// whose default depends on the host or the local user (host, user,
/// hostname) are left out; home directories print as `~`.
pub fn defaults(version: SshVersion) -> Vec<(&'static str, String)> {
    let nothing = Resolution {
        host_arg: String::from("example"),
        files: Vec::new(),
        options: Options::default(),
        errors: Vec::new(),
        notes: Vec::new(),
        applied_blocks: Vec::new(),
    };
    let local = LocalFacts {
        user: String::from("you"),
        uid: 1000,
        home: PathBuf::from("~"),
        hostname: String::from("localhost"),
    };
    let listing = Listing::of(version);
    let Ok(lines) = effective_as(&nothing, &local, &|_| None, listing) else {
        return Vec::new();
    };
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for line in lines {
        if ["host", "user", "hostname"].contains(&line.keyword) {
            continue;
        }
        match out.iter_mut().find(|(k, _)| *k == line.keyword) {
            Some((_, value)) => {
                value.push_str(", ");
                value.push_str(&line.value);
            }
            None => out.push((line.keyword, line.value.into_owned())),
        }
    }
    // Debian's build trusts X11 forwarding unless told otherwise, and its
    // `ssh -G` leaves the line out.
    if listing.debian && !out.iter().any(|(k, _)| *k == "forwardx11trusted") {
        out.push(("forwardx11trusted", String::from("yes")));
    }
    out
}

/// The default of `canonical` under `version`, as `ssh -G` prints it.
pub fn default_of(canonical: &str, version: SshVersion) -> Option<String> {
    defaults(version)
        .into_iter()
        .find(|(k, _)| *k == canonical)
        .map(|(_, v)| v)
}

/// Since when a keyword exists, in words.
fn since(name: &str) -> String {
    if let Some(a) = history::KEYWORDS_ADDED.iter().find(|a| a.name == name) {
        return format!("Since OpenSSH {}.", a.release.short());
    }
    if let Some(b) = history::build_keyword(name) {
        let first = if b.added.release == crate::ssh::release::oldest() {
            String::from("in every release gord knows")
        } else {
            format!("since its {}", b.added.release.short())
        };
        return format!("Only in {} ({first}).", b.flavour.describe());
    }
    format!(
        "In every release gord knows (OpenSSH {} and later).",
        crate::ssh::release::oldest().short()
    )
}

/// The conventional spelling of keyword `name` (the lowercase name for
/// aliases and retired keywords, which have no documentation).
pub fn spelling(name: &str) -> String {
    docs::lookup(name).map_or_else(|| name.to_string(), |d| d.spelling.to_string())
}

/// Markdown documentation of keyword `name` (lowercase) for `version`:
/// what it does, its default there, since which release, and whether that
/// ssh knows it. `ssh` names the ssh followed. None for a name no build has.
pub fn keyword_hover(name: &str, version: SshVersion, ssh: &str) -> Option<String> {
    keyword_hover_with(name, version, ssh, &defaults(version))
}

/// [`keyword_hover`] with `version`'s [`defaults`] computed once by the caller.
pub fn keyword_hover_with(
    name: &str,
    version: SshVersion,
    ssh: &str,
    defaults: &[(&'static str, String)],
) -> Option<String> {
    let keyword = known_keyword(name)
        .or_else(|| history::build_keyword(name).map(|_| &UNMODELLED_BUILD_KEYWORD))?;
    let canonical = if keyword.name == UNMODELLED_BUILD_KEYWORD.name {
        name
    } else {
        keyword.canonical
    };
    let mut text = format!("**{}**", md_text(&spelling(name)));
    match keyword.kind {
        Kind::Deprecated => text.push_str(
            ": a keyword OpenSSH no longer has. ssh accepts the line and ignores it; remove it.",
        ),
        Kind::Unsupported => text.push_str(
            ": not part of this ssh (removed, or not compiled in). ssh says so and ignores the line.",
        ),
        Kind::Ignore => text.push_str(": ignored by ssh (only protocol 2 exists now)."),
        _ => {
            if canonical != name {
                text.push_str(&format!(
                    " is another name of **{}**.",
                    md_text(&spelling(canonical))
                ));
            }
            if let Some(doc) = docs::lookup(canonical) {
                text.push_str("\n\n");
                text.push_str(doc.text);
            }
            let default = match canonical {
                "user" => Some(String::from("your local user name")),
                "hostname" => Some(String::from("the name given to ssh")),
                _ => defaults
                    .iter()
                    .find(|(k, _)| *k == canonical)
                    .map(|(_, v)| md_code(v)),
            };
            if let Some(default) = default {
                text.push_str(&format!("\n\nDefault: {default}."));
            }
        }
    }
    text.push_str(&format!("\n\n{}", since(name)));
    match knows(name, version) {
        Knows::Yes => {}
        Knows::AddedIn(a) => text.push_str(&format!(
            "\n\n**Your {} does not know it** (added in {}): ssh stops at this line.",
            md_text(&version.to_string()),
            a.release.short()
        )),
        Knows::OtherFlavour(_, flavour) => text.push_str(&format!(
            "\n\n**Your {} does not know it**: only {} has it.",
            md_text(&version.to_string()),
            flavour.describe()
        )),
        Knows::No => {}
    }
    text.push_str(&format!("\n\nRules of: {}", md_text(ssh)));
    Some(text)
}

/// Debian's GSSAPI keywords are known to the release tables but not
/// modelled in the keyword table: their hover needs only a kind.
const UNMODELLED_BUILD_KEYWORD: Keyword = Keyword {
    name: "",
    canonical: "",
    kind: Kind::Opaque,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn v(text: &str) -> SshVersion {
        parse_version_argument(text).expect("a version")
    }

    #[test]
    fn defaults_follow_the_release_and_the_build() {
        assert_eq!(
            default_of("stricthostkeychecking", v("10.5p1")).as_deref(),
            Some("ask")
        );
        assert_eq!(default_of("port", v("9.2p1")).as_deref(), Some("22"));
        assert_eq!(
            default_of("forwardx11trusted", v("9.2p1")).as_deref(),
            Some("no")
        );
        assert_eq!(
            default_of("forwardx11trusted", v("9.2p1-debian")).as_deref(),
            Some("yes")
        );
        assert!(default_of("identityfile", v("9.7p1"))
            .unwrap()
            .ends_with("~/.ssh/id_dsa"));
        assert!(!default_of("identityfile", v("10.5p1"))
            .unwrap()
            .contains("id_dsa"));
        assert_eq!(default_of("user", v("10.5p1")), None);
        assert_eq!(default_of("tag", v("9.2p1")), None);
    }

    #[test]
    fn the_hover_says_what_the_keyword_does_its_default_and_since_when() {
        let text = keyword_hover("serveraliveinterval", v("10.5p1"), "OpenSSH 10.5p1").unwrap();
        assert!(
            text.starts_with("**ServerAliveInterval**\n\nSeconds of silence"),
            "{text}"
        );
        assert!(text.contains("Default: `0`."), "{text}");
        assert!(text.contains("In every release gord knows (OpenSSH 8.7 and later)."));
        assert!(text.ends_with("Rules of: OpenSSH 10.5p1"), "{text}");
    }

    #[test]
    fn a_keyword_the_users_ssh_lacks_says_so_and_since_when_it_exists() {
        let text = keyword_hover("tag", v("9.2p1-debian"), "Debian's OpenSSH 9.2p1").unwrap();
        assert!(text.contains("Since OpenSSH 9.4."), "{text}");
        assert!(
            text.contains("**Your Debian's OpenSSH 9.2p1 does not know it** (added in 9.4)"),
            "{text}"
        );
        let apple = keyword_hover("usekeychain", v("10.5p1"), "OpenSSH 10.5p1").unwrap();
        assert!(apple.contains("Only in Apple's OpenSSH (in every release gord knows)."));
        assert!(apple.contains("only Apple's OpenSSH has it"), "{apple}");
        assert!(!keyword_hover("usekeychain", v("9.9p2-apple"), "x")
            .unwrap()
            .contains("does not know"));
        let gss = keyword_hover("gssapikeyexchange", v("9.2p1-debian"), "x").unwrap();
        assert!(
            gss.starts_with("**GSSAPIKeyExchange**\n\nUses Kerberos"),
            "{gss}"
        );
    }

    #[test]
    fn aliases_and_retired_keywords_explain_themselves() {
        let alias = keyword_hover("pubkeyacceptedkeytypes", v("10.5p1"), "x").unwrap();
        assert!(
            alias.contains(
                " is another name of **PubkeyAcceptedAlgorithms**.\n\nThe signature types"
            ),
            "{alias}"
        );
        let old = keyword_hover("useroaming", v("10.5p1"), "x").unwrap();
        assert!(old.contains("no longer has"), "{old}");
        assert_eq!(keyword_hover("nosuchkeyword", v("10.5p1"), "x"), None);
    }
}
