//! Rules about keywords themselves: unknown, misspelt, renamed, removed, or
//! written twice in one block.

use std::collections::HashMap;

use crate::finding::{Edit, Finding, Severity};
use crate::ssh::config::blocks::blocks;
use crate::ssh::config::keywords::{lookup, suggest, Kind};
use crate::ssh::lint::rules::support::{
    delete_line_fix, directive_span, directives, edit_fix, finding, first_value_wins,
    insert_line_before, line_text, origin_is, place, probe_hosts, replace, sets_slot, slot,
    span_finding, written_keyword,
};
use crate::ssh::lint::{span_range, LintContext};
use crate::ssh::release::history::{self, Knows};

/// SSH001: a keyword OpenSSH does not know. ssh stops with "Bad configuration
/// option" and refuses to connect to any host (unless IgnoreUnknown lists it).
pub fn unknown_keyword(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    // IgnoreUnknown depends on which blocks are active: when the config
    // has one, a line counts only if some host's resolution rejects it.
    let uses_ignore_unknown = ctx
        .files
        .iter()
        .any(|f| directives(f).any(|(_, d)| d.keyword == "ignoreunknown"));
    let probes = if uses_ignore_unknown {
        probe_hosts(ctx)
    } else {
        Vec::new()
    };
    for file in &ctx.files {
        for (line, d) in directives(file) {
            let version = ctx.ssh.semantics;
            let known = history::keyword(&d.keyword, version, lookup(&d.keyword).is_some());
            if known == Knows::Yes {
                continue;
            }
            if uses_ignore_unknown {
                let rejected = probes.iter().any(|host| {
                    let r = ctx.resolved(host);
                    r.errors.iter().any(|e| {
                        e.origin.is_some_and(|o| origin_is(&r, o, &file.path, line))
                            && e.message.starts_with("Bad configuration option")
                    })
                });
                if !rejected {
                    continue;
                }
            }
            let written = written_keyword(file, line, d);
            let range = span_range(file, line, d.keyword_span.clone());
            let suggestion = suggest(&d.keyword).filter(|name| {
                let in_table = lookup(name).is_some();
                history::keyword(name, version, in_table) == Knows::Yes
            });
            let stops = format!(
                "ssh stops with \"Bad configuration option: {}\" and connects to no host",
                d.keyword
            );
            let mut message = match known {
                Knows::AddedIn(added) => format!(
                    "your {} does not know {} (added in {}): {stops}; upgrade ssh, or add \"IgnoreUnknown {}\" before it if older clients read this file",
                    ctx.ssh.reported.unwrap_or(version),
                    added.spelling,
                    added.release.short(),
                    added.spelling
                ),
                Knows::OtherFlavour(spelling, flavour) => format!(
                    "{spelling} is a keyword of {} only: your {version} does not know it and {stops}; add \"IgnoreUnknown {spelling}\" before it",
                    flavour.describe()
                ),
                _ => format!("Unknown keyword \"{written}\": {stops}"),
            };
            if let Some(name) = suggestion {
                message.push_str(&format!("; did you mean \"{name}\"?"));
            }
            // A keyword some ssh knows: skip it where it is unknown. ssh
            // looks every keyword up, in active blocks or not, so the
            // IgnoreUnknown goes at the top of the main file, before any
            // Host, Match or Include; and only when the config has none yet
            // (the first value wins, so a second would change nothing).
            let spelling = match known {
                Knows::AddedIn(added) => Some(added.spelling),
                Knows::OtherFlavour(spelling, _) => Some(spelling),
                _ => None,
            };
            let ignore = spelling.and_then(|spelling| {
                let main = ctx.file(&ctx.main)?;
                ignore_unknown_fix(main, spelling, uses_ignore_unknown, &known)
            });
            let fix = suggestion.and_then(|name| {
                edit_fix(
                    file,
                    format!("Change to {}", camel(name)),
                    vec![Edit {
                        path: file.path.clone(),
                        range,
                        new_text: camel(name),
                    }],
                    true,
                )
            });
            let mut f = finding(code, Severity::Error, file, range, message);
            f.fixes.extend(fix);
            f.fixes.extend(ignore);
            out.push(f);
        }
    }
}

/// The fix that makes ssh skip `spelling` everywhere: a new first line
/// `IgnoreUnknown SPELLING` in the main config when the config has no
/// IgnoreUnknown; `,SPELLING` added to the main config's own one when that
/// one comes first for every host (in its global section, before any
/// Include or Host/Match); else none, as a second IgnoreUnknown would
/// change nothing (the first value wins).
fn ignore_unknown_fix(
    main: &crate::ssh::config::source::SourceFile,
    spelling: &str,
    config_has_one: bool,
    known: &Knows,
) -> Option<crate::finding::Fix> {
    // Another build's keyword means nothing to this ssh; a newer release's
    // would be dropped silently by it.
    let safe = matches!(known, Knows::OtherFlavour(..));
    if !config_has_one {
        return edit_fix(
            main,
            format!("Add \"IgnoreUnknown {spelling}\" at the top of the config"),
            vec![insert_line_before(
                main,
                0,
                &format!("IgnoreUnknown {spelling}"),
            )],
            safe,
        );
    }
    let global = blocks(main).first().cloned()?;
    let first = global
        .lines
        .iter()
        .find_map(|line| match &main.lines.get(*line)?.syntax {
            crate::ssh::config::lexer::LineSyntax::Directive(d)
                if matches!(d.keyword.as_str(), "ignoreunknown" | "include") =>
            {
                Some((*line, d))
            }
            _ => None,
        });
    let (line, d) = first?;
    let arg = d.args.first().filter(|_| d.keyword == "ignoreunknown")?;
    if arg.value.is_empty() || arg.value.contains(|c: char| c.is_whitespace() || c == '"') {
        return None;
    }
    edit_fix(
        main,
        format!("Add {spelling} to the IgnoreUnknown on line {}", line + 1),
        vec![replace(
            main,
            line,
            arg.span.clone(),
            &format!("{},{spelling}", arg.value),
        )],
        safe,
    )
}

/// An old keyword name OpenSSH still reads as an alias of a newer one.
struct Rename {
    old: &'static str,
    new: &'static str,
    /// When the new name appeared, if recently: the rename is then not
    /// applied automatically, as an older ssh reading the file would stop.
    since: Option<&'static str>,
}

const RENAMES: &[Rename] = &[
    Rename {
        old: "pubkeyacceptedkeytypes",
        new: "PubkeyAcceptedAlgorithms",
        since: Some("8.5"),
    },
    Rename {
        old: "hostbasedkeytypes",
        new: "HostbasedAcceptedAlgorithms",
        since: Some("8.5"),
    },
    Rename {
        old: "challengeresponseauthentication",
        new: "KbdInteractiveAuthentication",
        since: None,
    },
    Rename {
        old: "skeyauthentication",
        new: "KbdInteractiveAuthentication",
        since: None,
    },
    Rename {
        old: "tisauthentication",
        new: "KbdInteractiveAuthentication",
        since: None,
    },
    Rename {
        old: "dsaauthentication",
        new: "PubkeyAuthentication",
        since: None,
    },
    Rename {
        old: "identityfile2",
        new: "IdentityFile",
        since: None,
    },
    Rename {
        old: "keepalive",
        new: "TCPKeepAlive",
        since: None,
    },
];

/// SSH003: a keyword OpenSSH removed (ignored, or reported as unsupported on
/// every run), or an old name of a renamed one.
pub fn deprecated_keyword(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for (line, d) in directives(file) {
            let Some(keyword) = lookup(&d.keyword) else {
                continue;
            };
            let rename = RENAMES.iter().find(|r| r.old == d.keyword);
            let outdated = matches!(
                keyword.kind,
                Kind::Deprecated | Kind::Unsupported | Kind::Ignore
            );
            if rename.is_none() && !outdated {
                continue;
            }
            let written = written_keyword(file, line, d);
            let range = span_range(file, line, d.keyword_span.clone());
            let where_ = place(ctx, &file.path, line);
            let (severity, message, fix) = if let Some(rename) = rename {
                let mut message = format!(
                    "{written} is an old name of {}: ssh still reads it as an alias, but ssh_config(5) documents only {}",
                    rename.new, rename.new
                );
                if let Some(version) = rename.since {
                    message.push_str(&format!(
                        "; the new name needs OpenSSH {version} or later on every machine that reads this file (older ssh stops with \"Bad configuration option\")"
                    ));
                }
                let fix = edit_fix(
                    file,
                    format!("Rename to {}", rename.new),
                    vec![replace(file, line, d.keyword_span.clone(), rename.new)],
                    rename.since.is_none(),
                );
                (Severity::Info, message, fix)
            } else {
                let message = match keyword.kind {
                    Kind::Deprecated => format!(
                        "{written} was removed from OpenSSH: ssh ignores this line (ssh -v shows \"{where_}: Deprecated option \"{}\"\"), so it has no effect",
                        d.keyword
                    ),
                    Kind::Unsupported => format!(
                        "{written} is not supported by this ssh: it prints \"{where_}: Unsupported option \"{}\"\" on every connection and ignores the line",
                        d.keyword
                    ),
                    Kind::Ignore => format!(
                        "{written} is ignored: OpenSSH 7.6 removed SSH protocol 1 and always speaks protocol 2, so this line has no effect"
                    ),
                    _ => continue,
                };
                let fix = delete_line_fix(file, line, &format!("Remove the {written} line"), false);
                let severity = if keyword.kind == Kind::Ignore {
                    Severity::Info
                } else {
                    Severity::Warning
                };
                (severity, message, fix)
            };
            let mut f = finding(code, severity, file, range, message);
            f.fixes.extend(fix);
            out.push(f);
        }
    }
}

/// SSH004: a keyword whose first value wins, written again in the same
/// block: the later line never takes effect.
pub fn repeated_keyword(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for block in blocks(file).iter() {
            let mut first: HashMap<&'static str, usize> = HashMap::new();
            for &line in &block.lines {
                let Some(d) = crate::ssh::config::blocks::directive(file, line) else {
                    continue;
                };
                let Some(keyword) = lookup(&d.keyword) else {
                    continue;
                };
                if !first_value_wins(keyword.kind) {
                    continue;
                }
                let slot = slot(keyword);
                let Some(&earlier) = first.get(slot) else {
                    if sets_slot(keyword, d, ctx.ssh.semantics.semantics().release) {
                        first.insert(slot, line);
                    }
                    continue;
                };
                let earlier_text = line_text(file, earlier).trim();
                let written = line_text(file, line).trim();
                let message = format!(
                    "\"{written}\" is ignored: \"{earlier_text}\" on line {} of the same block already set it, and ssh keeps the first value it obtains; remove one of the two lines",
                    earlier + 1
                );
                let span = directive_span(d);
                let mut f = span_finding(code, Severity::Warning, file, line, span, message);
                f.fixes
                    .extend(delete_line_fix(file, line, "Remove the ignored line", true));
                out.push(f);
            }
        }
    }
}

/// The conventional spelling of a keyword (ServerAliveInterval), for edits.
pub fn camel(name: &str) -> String {
    const WORDS: &[&str] = &[
        "server",
        "alive",
        "interval",
        "count",
        "max",
        "identity",
        "identities",
        "file",
        "only",
        "host",
        "name",
        "user",
        "port",
        "proxy",
        "jump",
        "command",
        "control",
        "master",
        "path",
        "persist",
        "connect",
        "timeout",
        "forward",
        "agent",
        "strict",
        "key",
        "checking",
        "known",
        "hosts",
        "local",
        "remote",
        "dynamic",
        "send",
        "set",
        "env",
        "request",
        "tty",
        "batch",
        "mode",
        "exit",
        "on",
        "failure",
        "alias",
        "log",
        "level",
        "compression",
        "add",
        "keys",
        "to",
        "certificate",
        "include",
        "match",
        "password",
        "authentication",
        "pubkey",
        "preferred",
        "tcp",
        "keep",
        "x11",
        "trusted",
        "canonicalize",
        "canonical",
        "domains",
        "update",
        "visual",
        "address",
        "family",
        "gateway",
        "ports",
        "hash",
        "bind",
        "interface",
        "ignore",
        "unknown",
        "clear",
        "all",
        "forwardings",
        "escape",
        "char",
        "global",
        "number",
        "of",
        "prompts",
        "permit",
        "stdin",
        "null",
        "session",
        "type",
        "fork",
        "after",
        "use",
        "fdpass",
        "stream",
        "unlink",
        "revoked",
        "fingerprint",
        "security",
        "provider",
        "required",
        "rsa",
        "size",
        "enable",
        "line",
        "tunnel",
        "device",
        "verify",
        "dns",
        "kbd",
        "interactive",
        "devices",
        "ciphers",
        "macs",
        "kex",
        "algorithms",
        "accepted",
        "signature",
        "ca",
        "check",
        "ip",
        "attempts",
        "no",
        "for",
        "localhost",
        "sk",
        "ssh",
        "keysign",
        "rekey",
        "limit",
        "ipqos",
        "fallback",
        "dots",
        "permitted",
        "cnames",
        "mask",
    ];
    let mut out = String::new();
    let mut rest = name;
    'outer: while !rest.is_empty() {
        // Longest known word first, so "hostname" is Host+Name, not Hostn...
        let mut best: Option<&str> = None;
        for word in WORDS {
            if rest.starts_with(word) && best.is_none_or(|b| word.len() > b.len()) {
                best = Some(word);
            }
        }
        match best {
            Some(word) => {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.push(first.to_ascii_uppercase());
                    out.push_str(chars.as_str());
                }
                rest = &rest[word.len()..];
            }
            None => {
                out.push_str(rest);
                break 'outer;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{assert_says, at, columns, lint_one, lint_text, one, only};

    #[test]
    fn ssh001_flags_an_unknown_keyword_with_a_did_you_mean_fix() {
        let f = lint_one("Host a\n  ServerAliveInterva 30\n", "SSH001");
        assert_eq!(at(&f), (1, 2, 20));
        assert_says(&f, "Bad configuration option: serveraliveinterva");
        assert!(f.message.ends_with("did you mean \"serveraliveinterval\"?"));
        let fix = f.fix().unwrap();
        assert_eq!(fix.edits[0].new_text, "ServerAliveInterval");
        assert!(fix.safe);
    }

    #[test]
    fn ssh001_respects_ignore_unknown_where_it_is_in_effect() {
        let findings = lint_text("IgnoreUnknown UseKeychain\nHost a\n  UseKeychain yes\n");
        assert!(only(&findings, "SSH001").is_empty(), "{findings:?}");
        // Only inside `Host mac`: every other host still stops on the line.
        let f = lint_one(
            "Host mac\n  IgnoreUnknown UseKeychain\nHost *\n  UseKeychain yes\n",
            "SSH001",
        );
        assert_eq!(f.range().unwrap().start.line, 3);
    }

    #[test]
    fn ssh001_puts_ignore_unknown_at_the_top_of_the_main_config() {
        let findings = crate::ssh::lint::tests::lint_files(&[
            (
                "/home/me/.ssh/config",
                "# mine\nInclude mac.conf\nHost a\n  User b\n",
            ),
            ("/home/me/.ssh/mac.conf", "Host *\n  UseKeychain yes\n"),
        ]);
        let f = one(&findings, "SSH001");
        assert_eq!(
            f.path().map(|p| p.display().to_string()),
            Some(String::from("/home/me/.ssh/mac.conf"))
        );
        let fix = f.fix().unwrap();
        assert!(fix.safe);
        let edit = &fix.edits[0];
        assert_eq!(edit.path.display().to_string(), "/home/me/.ssh/config");
        assert_eq!((edit.range.start.line, edit.range.start.character), (0, 0));
        assert_eq!(edit.new_text, "IgnoreUnknown UseKeychain\n");
    }

    #[test]
    fn ssh003_renames_an_old_keyword_and_flags_a_removed_one() {
        let findings = lint_text(
            "Host a\n  ChallengeResponseAuthentication no\n  PubkeyAcceptedKeyTypes +ssh-rsa\n  UseRoaming no\n  RSAAuthentication yes\n  Protocol 2\n",
        );
        let found = only(&findings, "SSH003");
        assert_eq!(found.len(), 5, "{found:#?}");
        let rename = found[0];
        assert_eq!(rename.severity, Severity::Info);
        assert_eq!(columns(rename), (2, 33));
        let fix = rename.fix().unwrap();
        assert_eq!(fix.edits[0].new_text, "KbdInteractiveAuthentication");
        assert!(fix.safe);
        let newer = found[1].fix().unwrap();
        assert_eq!(newer.edits[0].new_text, "PubkeyAcceptedAlgorithms");
        assert!(!newer.safe, "needs OpenSSH 8.5");
        assert_says(found[1], "OpenSSH 8.5");
        assert_eq!(found[2].severity, Severity::Warning);
        assert_says(found[2], "Deprecated option \"useroaming\"");
        assert_says(
            found[3],
            "~/.ssh/config line 5: Unsupported option \"rsaauthentication\"",
        );
        assert_eq!(found[4].severity, Severity::Info);
    }

    #[test]
    fn ssh004_flags_the_second_value_in_one_block() {
        let f = lint_one(
            "Host web\n  User deploy\n  Port 2222\n  user admin\n",
            "SSH004",
        );
        assert_eq!(at(&f), (3, 2, 12));
        assert_says(&f, "\"User deploy\" on line 2");
        let fix = f.fix().unwrap();
        assert!(fix.safe);
        assert_eq!(fix.edits[0].range.start.line, 3);
        assert_eq!(fix.edits[0].range.end.line, 4);
    }

    #[test]
    fn ssh004_ignores_accumulating_keywords_and_a_none_time() {
        let findings = lint_text(
            "Host web\n  IdentityFile ~/.ssh/a\n  IdentityFile ~/.ssh/b\n  ConnectTimeout none\n  ConnectTimeout 5\n",
        );
        assert!(only(&findings, "SSH004").is_empty(), "{findings:?}");
        let proxy = lint_text("Host web\n  ProxyJump gw.example.com\n  ProxyCommand nc %h %p\n");
        let f = one(&proxy, "SSH004");
        assert_eq!(f.range().unwrap().start.line, 2);
    }

    #[test]
    fn ssh004_knows_a_lone_permit_remote_open_argument_kept_nothing_before_9_2() {
        use crate::ssh::lint::tests::lint_text_for;
        use crate::ssh::release::{parse_version_argument, which::Choice};
        let text = "Host web\n  PermitRemoteOpen h:22\n  PermitRemoteOpen [::1]:80 h:*\n";
        let by = |version: &str| {
            let ssh = Choice::of_version(parse_version_argument(version).unwrap());
            only(&lint_text_for(text, ssh), "SSH004").len()
        };
        // 8.7-9.1 skip the first argument: the second line is the one kept.
        assert_eq!(by("8.7p1"), 0);
        assert_eq!(by("9.1p1"), 0);
        assert_eq!(by("9.2p1"), 1);
    }

    #[test]
    fn camel_case_spells_keywords_conventionally() {
        for (name, spelt) in [
            ("serveraliveinterval", "ServerAliveInterval"),
            ("hostname", "HostName"),
            ("identityfile", "IdentityFile"),
            ("proxyjump", "ProxyJump"),
        ] {
            assert_eq!(camel(name), spelt);
        }
    }
}
