//! Completion of `Match` criteria: at each place of a `Match` line where a
//! criterion goes, the criteria the user's release knows, each with what it
//! matches; in a criterion's argument, after the start and each comma of
//! its list, what it can match ([`MatchFacts`]): the config's Host aliases
//! (`host`, `originalhost`), its Tag values (`tagged`), the local user
//! (`user`, `localuser`), this machine's networks (`localnetwork`), the
//! session types (`sessiontype`) and the release (`version`); nothing for
//! `exec` and `command`. Pure.

use std::path::PathBuf;

use super::complete::{Completion, Item, ItemKind};
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::config::source::SourceFile;
use crate::ssh::release::history::{self, Knows, BARE_CRITERIA};
use crate::ssh::release::SshVersion;

/// What the arguments of `Match` criteria are completed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchFacts {
    /// Host aliases of the config: Host patterns without wildcards or `!`.
    pub hosts: Vec<String>,
    /// Tag values of the config.
    pub tags: Vec<String>,
    /// The local user name.
    pub local_user: Option<String>,
    /// This machine's networks as CIDR (`192.168.1.0/24`).
    pub networks: Vec<String>,
}

impl MatchFacts {
    /// The Host aliases and Tag values of the config `text`, in order,
    /// each once.
    pub fn of_config(text: &str) -> MatchFacts {
        let file = SourceFile::parse(PathBuf::new(), text);
        let mut facts = MatchFacts::default();
        for line in &file.lines {
            let LineSyntax::Directive(d) = &line.syntax else {
                continue;
            };
            let (list, words): (&mut Vec<String>, Vec<&str>) =
                match d.keyword.to_ascii_lowercase().as_str() {
                    "host" => (
                        &mut facts.hosts,
                        d.args
                            .iter()
                            .flat_map(|a| a.value.split(','))
                            .filter(|p| !p.is_empty() && !p.contains(['*', '?', '!']))
                            .collect(),
                    ),
                    "tag" => (
                        &mut facts.tags,
                        d.args
                            .first()
                            .map(|a| a.value.as_str())
                            .into_iter()
                            .collect(),
                    ),
                    _ => continue,
                };
            for word in words {
                if !list.iter().any(|w| w == word) {
                    list.push(word.to_string());
                }
            }
        }
        facts
    }
}

/// The session types `Match sessiontype` tells apart (readconf.c).
const SESSION_TYPES: &[(&str, &str)] = &[
    ("shell", "An interactive shell: no remote command."),
    (
        "exec",
        "A remote command (on the command line or RemoteCommand).",
    ),
    (
        "subsystem",
        "A subsystem such as sftp (`ssh -s`, SessionType subsystem).",
    ),
    ("none", "No session at all (`ssh -N`, SessionType none)."),
];

/// Every criterion of readconf.c's `match_cfg_line`, in ssh_config(5)'s
/// order, with what it matches in gord's words. Which release added the
/// newer ones is [`history::CRITERIA_ADDED`].
const CRITERIA: &[(&str, &str)] = &[
    ("all", "Always matches; it stands alone, or right after `canonical` or `final`."),
    ("canonical", "Matches when ssh rereads the config after canonicalising the host name (CanonicalizeHostname)."),
    ("final", "Matches in the final pass ssh makes over the config once the host name is settled; asks for that pass."),
    ("exec", "Runs a command through the shell and matches when it exits with 0. `ssh -G` runs it too."),
    ("host", "Matches the host name ssh connects to (after HostName and canonicalisation) against a pattern list."),
    ("originalhost", "Matches the host name as typed on the command line against a pattern list."),
    ("user", "Matches the remote user name against a pattern list."),
    ("localuser", "Matches your local user name against a pattern list."),
    ("localnetwork", "Matches when an address of a local network interface is in one of the CIDR ranges given."),
    ("tagged", "Matches the tag set by Tag (or `ssh -P`) against a pattern list."),
    ("version", "Matches this ssh's version (`OpenSSH_10.0p2`) against a pattern list."),
    ("sessiontype", "Matches the kind of session asked for: `shell`, `exec`, `subsystem` or `none`."),
    ("command", "Matches the remote command given to ssh against a pattern list."),
];

/// The criteria completions of the `Match` line `line` at byte `at`, its
/// arguments starting at byte `args`. None inside an argument, a quoted
/// word or a comment, and after `all`.
pub fn complete(
    line: &str,
    args: usize,
    at: usize,
    version: SshVersion,
    facts: &MatchFacts,
) -> Option<Completion> {
    let before = line.get(args..at)?;
    if before.contains('"') {
        return None;
    }
    let typed_start = before.rfind([' ', '\t']).map_or(0, |p| p + 1);
    let (done, typed) = before.split_at(typed_start);
    let mut used: Vec<String> = Vec::new();
    let mut words = done.split_whitespace();
    while let Some(word) = words.next() {
        if word.starts_with('#') {
            return None;
        }
        let criterion = word.trim_start_matches('!').to_ascii_lowercase();
        if criterion == "all" {
            return None;
        }
        if !BARE_CRITERIA.contains(&criterion.as_str()) && words.next().is_none() {
            // The cursor is in its argument.
            return argument(&criterion, line, args + typed_start, at, version, facts);
        }
        used.push(criterion);
    }
    if typed.starts_with('#') {
        return None;
    }
    let negated = usize::from(typed.starts_with('!'));
    let word_end = line[at..]
        .find(char::is_whitespace)
        .map_or(line.len(), |p| at + p);
    let items: Vec<Item> = CRITERIA
        .iter()
        .filter(|(name, _)| !used.iter().any(|u| u == name))
        .filter(|(name, _)| *name != "all" || all_may_follow(&used))
        .filter(|(name, _)| history::criterion(name, version, true) == Knows::Yes)
        .map(|(name, text)| item(name, text))
        .collect();
    (!items.is_empty()).then(|| Completion {
        replace: args + typed_start + negated..word_end,
        items,
    })
}

/// The completions of the argument of `criterion`, the argument starting
/// at byte `start` of `line` and the cursor at `at`: after its start and
/// after each comma, the values not yet in the list.
fn argument(
    criterion: &str,
    line: &str,
    start: usize,
    at: usize,
    version: SshVersion,
    facts: &MatchFacts,
) -> Option<Completion> {
    let typed = line.get(start..at)?;
    if typed.starts_with(['"', '#']) {
        return None;
    }
    let item_start = typed.rfind(',').map_or(0, |p| p + 1);
    let negated = usize::from(typed[item_start..].starts_with('!'));
    let listed: Vec<&str> = typed[..item_start]
        .split(',')
        .map(|w| w.trim_start_matches('!'))
        .collect();
    let word_end = line[at..]
        .find(|c: char| c.is_whitespace() || c == ',')
        .map_or(line.len(), |p| at + p);
    let value = |label: &str, detail: &str| Item {
        kind: ItemKind::Value,
        label: label.to_string(),
        detail: Some(detail.to_string()),
        documentation: None,
        default: false,
    };
    let items: Vec<Item> = match criterion {
        "host" | "originalhost" => facts
            .hosts
            .iter()
            .map(|h| value(h, "a Host of this config"))
            .collect(),
        "tagged" => facts
            .tags
            .iter()
            .map(|t| value(t, "a Tag of this config"))
            .collect(),
        "user" | "localuser" => facts
            .local_user
            .iter()
            .map(|u| value(u, "your local user"))
            .collect(),
        "localnetwork" => facts
            .networks
            .iter()
            .map(|n| value(n, "a network of this machine"))
            .collect(),
        "sessiontype" => SESSION_TYPES
            .iter()
            .map(|(name, text)| value(name, text))
            .collect(),
        "version" => {
            let release = version.release;
            vec![
                value(&format!("OpenSSH_{release}"), "this release"),
                value(
                    &format!("OpenSSH_{}.*", release.major),
                    "every release of this major version",
                ),
            ]
        }
        _ => Vec::new(),
    };
    let items: Vec<Item> = items
        .into_iter()
        .filter(|i| !listed.contains(&i.label.as_str()))
        .collect();
    (!items.is_empty()).then(|| Completion {
        replace: start + item_start + negated..word_end,
        items,
    })
}

/// `all` stands alone, or right after `canonical` or `final`.
fn all_may_follow(used: &[String]) -> bool {
    match used {
        [] => true,
        [one] => one == "canonical" || one == "final",
        _ => false,
    }
}

fn item(name: &str, text: &str) -> Item {
    let since = match history::CRITERIA_ADDED.iter().find(|a| a.name == name) {
        Some(a) => format!("Since OpenSSH {}.", a.release.short()),
        None => format!(
            "In every release gord knows (OpenSSH {} and later).",
            crate::ssh::release::oldest().short()
        ),
    };
    let argument = if BARE_CRITERIA.contains(&name) {
        "Takes no argument."
    } else {
        "Takes one argument."
    };
    Item {
        kind: ItemKind::Criterion,
        label: name.to_string(),
        detail: Some(text.to_string()),
        documentation: Some(format!("**Match {name}**\n\n{text} {argument}\n\n{since}")),
        default: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn labels(line: &str, version: &str) -> Vec<String> {
        let version = parse_version_argument(version).expect("a version");
        let args = line.find(' ').map_or(line.len(), |p| p + 1);
        complete(line, args, line.len(), version, &MatchFacts::default())
            .map(|c| c.items.into_iter().map(|i| i.label).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_criteria_are_those_the_release_knows() {
        assert_eq!(
            labels("Match ", "9.2p1-debian"),
            [
                "all",
                "canonical",
                "final",
                "exec",
                "host",
                "originalhost",
                "user",
                "localuser"
            ]
        );
        let new = labels("Match ", "9.6p1");
        assert!(new.contains(&"tagged".to_string()) && new.contains(&"localnetwork".to_string()));
        assert!(
            !new.contains(&"version".to_string()),
            "version came in 10.0"
        );
        assert_eq!(labels("Match ", "10.0p2").len(), CRITERIA.len());
    }

    #[test]
    fn a_criterion_goes_where_the_last_one_s_argument_ended() {
        let after_host = labels("Match host a*,b ", "10.5p1");
        assert!(!after_host.contains(&"host".to_string()), "already used");
        assert!(!after_host.contains(&"all".to_string()), "all stands alone");
        assert!(after_host.contains(&"user".to_string()));
        // `final` takes no argument: the next word is a criterion.
        let after_final = labels("Match final ", "10.5p1");
        assert!(after_final.contains(&"host".to_string()));
        assert!(after_final.contains(&"all".to_string()), "Match final all");
        // In an argument, after `all`, in a comment or a quoted word: nothing.
        assert!(labels("Match host ", "10.5p1").is_empty());
        assert!(labels("Match exec \"test -f x\" ", "10.5p1").is_empty());
        assert!(labels("Match all ", "10.5p1").is_empty());
        assert!(labels("Match host x #", "10.5p1").is_empty());
    }

    #[test]
    fn a_negated_criterion_keeps_its_bang() {
        let v = parse_version_argument("10.5p1").expect("a version");
        let c = complete("Match !lo user", 6, 9, v, &MatchFacts::default()).expect("criteria");
        assert_eq!(c.replace, 7..9);
        let local = c
            .items
            .iter()
            .find(|i| i.label == "localuser")
            .expect("localuser");
        assert!(local
            .documentation
            .as_deref()
            .is_some_and(|d| d.contains("In every release")));
        let v96 = parse_version_argument("9.6p1").expect("a version");
        let tagged = complete("Match ", 6, 6, v96, &MatchFacts::default())
            .and_then(|c| c.items.into_iter().find(|i| i.label == "tagged"))
            .expect("tagged");
        assert!(tagged
            .documentation
            .is_some_and(|d| d.ends_with("Since OpenSSH 9.4.")));
    }

    fn facts() -> MatchFacts {
        MatchFacts {
            local_user: Some(String::from("me")),
            networks: vec![String::from("10.1.2.0/24"), String::from("fe80::/64")],
            ..MatchFacts::of_config(
                "Host db db2 *.test !bad\nHost web,api\n  Tag work\nMatch host x\n  Tag home\nHost db\n",
            )
        }
    }

    fn arguments(line: &str, version: &str) -> Vec<String> {
        let version = parse_version_argument(version).expect("a version");
        complete(line, 6, line.len(), version, &facts())
            .map(|c| c.items.into_iter().map(|i| i.label).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_config_gives_its_host_aliases_and_tags() {
        let f = facts();
        assert_eq!(f.hosts, ["db", "db2", "web", "api"]);
        assert_eq!(f.tags, ["work", "home"]);
    }

    #[test]
    fn each_criterion_s_argument_completes_from_what_it_matches() {
        assert_eq!(
            arguments("Match host ", "10.5p1"),
            ["db", "db2", "web", "api"]
        );
        assert_eq!(
            arguments("Match originalhost d", "10.5p1"),
            ["db", "db2", "web", "api"]
        );
        // After a comma, the names not yet in the list; a `!` is kept.
        assert_eq!(arguments("Match host db,!web,", "10.5p1"), ["db2", "api"]);
        let v = parse_version_argument("10.5p1").expect("a version");
        let c = complete("Match host db,!w x", 6, 16, v, &facts()).expect("hosts");
        assert_eq!(c.replace, 15..16);
        assert_eq!(arguments("Match tagged ", "10.5p1"), ["work", "home"]);
        assert_eq!(arguments("Match user ", "10.5p1"), ["me"]);
        assert_eq!(arguments("Match final localuser ", "10.5p1"), ["me"]);
        assert_eq!(
            arguments("Match localnetwork ", "10.5p1"),
            ["10.1.2.0/24", "fe80::/64"]
        );
        assert_eq!(
            arguments("Match sessiontype ", "10.5p1"),
            ["shell", "exec", "subsystem", "none"]
        );
        assert_eq!(
            arguments("Match version ", "10.0p2"),
            ["OpenSSH_10.0p2", "OpenSSH_10.*"]
        );
        // Commands get nothing, nor a quoted argument.
        assert!(arguments("Match exec ", "10.5p1").is_empty());
        assert!(arguments("Match command ", "10.5p1").is_empty());
        assert!(arguments("Match host \"d", "10.5p1").is_empty());
        // The criterion after an argument is a criterion again.
        assert!(arguments("Match host db ", "10.5p1").contains(&String::from("user")));
    }
}
