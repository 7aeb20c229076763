//! Rules about the ssh that reads the config: which release gord follows
//! when it is not the ssh's own (SSH032), and `Match` criteria newer than
//! the user's release (SSH033; keywords are SSH001's).

use crate::finding::{Finding, Range, Severity, Subject};
use crate::ssh::lint::rules::support::{directives, finding, BARE_CRITERIA};
use crate::ssh::lint::{span_range, LintContext};
use crate::ssh::release::history::{self, Knows};

/// SSH032: gord could not follow the user's own ssh (missing, not OpenSSH,
/// `-V` failed or hung) or follows another release's rules (newer or older
/// than gord knows).
pub fn ssh_followed(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let Some((text, info)) = ctx.ssh.note() else {
        return;
    };
    let severity = if info {
        Severity::Info
    } else {
        Severity::Warning
    };
    out.push(
        Finding::new(
            code,
            severity,
            text,
            Subject::file(&ctx.main, Range::default()),
        )
        .with_rule_page(),
    );
}

/// SSH033: a `Match` criterion the user's release does not know yet.
pub fn newer_match_criterion(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let version = ctx.ssh.semantics;
    let named = ctx.ssh.reported.unwrap_or(version);
    for file in &ctx.files {
        for (line, d) in directives(file) {
            if d.keyword != "match" {
                continue;
            }
            let mut args = d.args.iter();
            while let Some(arg) = args.next() {
                let criterion = arg.value.trim_start_matches('!').to_ascii_lowercase();
                if BARE_CRITERIA.contains(&criterion.as_str()) {
                    continue;
                }
                // Every release complains of a missing argument before it
                // looks the criterion up (SSH025 quotes it).
                let argument = args.next();
                if argument.is_none_or(|a| a.value.is_empty()) {
                    break;
                }
                if let Knows::AddedIn(added) = history::criterion(&criterion, version, false) {
                    let message = format!(
                        "your {named} does not know Match {} (added in {}): ssh stops with \"Unsupported Match attribute {criterion}\" and connects to no host; upgrade ssh, or use Match exec or Host patterns instead",
                        added.spelling,
                        added.release.short()
                    );
                    let range = span_range(file, line, arg.span.clone());
                    out.push(finding(code, Severity::Error, file, range, message));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::ssh::lint::tests::{columns, lint_text, lint_text_for, only};
    use crate::ssh::release::parse_version_argument;
    use crate::ssh::release::which::Choice;

    fn version(text: &str) -> Choice {
        Choice::of_version(parse_version_argument(text).unwrap())
    }

    const NEWER: &str = "Host a\n  Tag work\n  ChannelTimeout session=5m\nMatch tagged work\n  User me\nMatch version OpenSSH_10* localnetwork 10.0.0.0/8\n  Port 2\n";

    #[test]
    fn a_release_that_knows_every_line_gets_no_finding_about_them() {
        let findings = lint_text_for(NEWER, version("10.5p1"));
        for code in ["SSH001", "SSH025", "SSH032", "SSH033"] {
            assert!(only(&findings, code).is_empty(), "{code}: {findings:#?}");
        }
    }

    #[test]
    fn an_older_release_is_told_which_release_added_each_line() {
        let findings = lint_text_for(NEWER, version("9.2p1-debian"));
        let keywords = only(&findings, "SSH001");
        assert_eq!(keywords.len(), 2, "{keywords:#?}");
        assert!(
            keywords[0]
                .message
                .starts_with("your Debian's OpenSSH 9.2p1 does not know Tag (added in 9.4): ssh stops with \"Bad configuration option: tag\""),
            "{}",
            keywords[0].message
        );
        assert!(keywords[1]
            .message
            .contains("ChannelTimeout (added in 9.6)"));
        let criteria = only(&findings, "SSH033");
        let said: Vec<(&str, (u32, u32))> = criteria
            .iter()
            .map(|f| (f.message.split(':').next().unwrap(), columns(f)))
            .collect();
        assert_eq!(
            said,
            [
                (
                    "your Debian's OpenSSH 9.2p1 does not know Match tagged (added in 9.4)",
                    (6, 12)
                ),
                (
                    "your Debian's OpenSSH 9.2p1 does not know Match version (added in 10.0)",
                    (6, 13)
                ),
                (
                    "your Debian's OpenSSH 9.2p1 does not know Match localnetwork (added in 9.4)",
                    (26, 38)
                ),
            ]
        );
        // SSH025 leaves the criteria to SSH033: one finding per problem.
        assert!(only(&findings, "SSH025").is_empty(), "{findings:#?}");
        // 9.4 knows Tag and tagged, not version.
        let findings = lint_text_for(NEWER, version("9.4p1"));
        assert_eq!(only(&findings, "SSH001").len(), 1);
        assert_eq!(only(&findings, "SSH033").len(), 1);
    }

    #[test]
    fn match_localnetwork_is_judged_by_release() {
        let text = "Match localnetwork 10.0.0.0/8\n  User a\nMatch localnetwork 10.0.0.1/8\n  User b\nMatch localnetwork\n  User c\n";
        // Before 9.4 an unknown criterion, but a missing argument is what
        // ssh says first (SSH025), never both.
        let findings = lint_text_for(text, version("9.2p1"));
        let unknown = only(&findings, "SSH033");
        assert_eq!(unknown.len(), 2, "{unknown:#?}");
        assert!(unknown[0]
            .message
            .contains("Match localnetwork (added in 9.4)"));
        let refused = only(&findings, "SSH025");
        assert_eq!(refused.len(), 1, "{refused:#?}");
        assert!(refused[0]
            .message
            .contains("Missing Match criteria for localnetwork"));
        // From 9.4 the networks are checked as addrmatch.c does; 10.0
        // words the missing argument its own way.
        let findings = lint_text_for(text, version("9.4p1"));
        assert!(only(&findings, "SSH033").is_empty());
        let refused: Vec<&str> = only(&findings, "SSH025")
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(refused.len(), 2, "{refused:#?}");
        assert!(refused[0].contains("Inconsistent mask length for network \"10.0.0.1/8\""));
        let findings = lint_text_for(text, version("10.0p1"));
        let refused = only(&findings, "SSH025");
        assert!(refused[1]
            .message
            .contains("missing argument for Match 'localnetwork'"));
    }

    #[test]
    fn the_default_rules_are_9_2p1s_and_say_nothing_about_the_ssh() {
        let findings = lint_text(NEWER);
        assert_eq!(only(&findings, "SSH001").len(), 2);
        assert!(only(&findings, "SSH032").is_empty());
    }

    #[test]
    fn a_newer_ssh_than_gord_knows_is_one_info_finding() {
        let findings = lint_text_for("Host a\n  Tag x\n", version("11.0p1"));
        let notes = only(&findings, "SSH032");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].severity, Severity::Info);
        assert!(notes[0].message.contains("gord follows 10.5p1's rules"));
        assert!(only(&findings, "SSH001").is_empty());
    }

    #[test]
    fn a_build_s_own_keyword_is_known_to_that_build_only() {
        let text = "Host mac\n  UseKeychain yes\n";
        assert!(only(&lint_text_for(text, version("9.9p2-apple")), "SSH001").is_empty());
        let upstream = lint_text_for(text, version("9.9p2"));
        let f = only(&upstream, "SSH001");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message
                .starts_with("UseKeychain is a keyword of Apple's OpenSSH only"),
            "{}",
            f[0].message
        );
    }

    fn applied(text: &str, fix: &crate::finding::Fix) -> String {
        let edits: Vec<_> = fix
            .edits
            .iter()
            .map(|e| (e.range, e.new_text.clone()))
            .collect();
        crate::edit::apply_edits(text, &edits).expect("the edits apply")
    }

    #[test]
    fn another_build_s_keyword_is_fixed_by_ignore_unknown_at_the_top() {
        let text = "Host mac\n  UseKeychain yes\n  AddKeysToAgent yes\n";
        let findings = lint_text_for(text, version("9.6p1-debian"));
        let f = only(&findings, "SSH001");
        assert_eq!(f.len(), 1);
        let fix = &f[0].fixes[0];
        assert_eq!(
            fix.title,
            "Add \"IgnoreUnknown UseKeychain\" at the top of the config"
        );
        assert!(fix.safe);
        let fixed = applied(text, fix);
        assert_eq!(
            fixed,
            "IgnoreUnknown UseKeychain\nHost mac\n  UseKeychain yes\n  AddKeysToAgent yes\n"
        );
        // The fixed config is clean for that ssh and still means the same to
        // Apple's.
        assert!(only(&lint_text_for(&fixed, version("9.6p1-debian")), "SSH001").is_empty());
        assert!(only(&lint_text_for(&fixed, version("9.9p2-apple")), "SSH001").is_empty());
    }

    #[test]
    fn a_newer_release_s_keyword_gets_the_same_fix_but_not_applied_unasked() {
        let text = "Host a\n  Tag work\n";
        let findings = lint_text_for(text, version("9.2p1-debian"));
        let fix = &only(&findings, "SSH001")[0].fixes[0];
        assert_eq!(
            fix.title,
            "Add \"IgnoreUnknown Tag\" at the top of the config"
        );
        assert!(!fix.safe, "the user's ssh would drop Tag silently");
        // A config whose IgnoreUnknown comes first for every host gets the
        // keyword added to it (a second line would change nothing: the first
        // value wins) ...
        let text = "# mine\nIgnoreUnknown Foo\nHost mac\n  UseKeychain yes\n";
        let findings = lint_text_for(text, version("9.6p1"));
        let f = only(&findings, "SSH001");
        assert_eq!(f.len(), 1);
        let fix = &f[0].fixes[0];
        assert_eq!(fix.title, "Add UseKeychain to the IgnoreUnknown on line 2");
        assert!(fix.safe);
        let fixed = applied(text, fix);
        assert_eq!(
            fixed,
            "# mine\nIgnoreUnknown Foo,UseKeychain\nHost mac\n  UseKeychain yes\n"
        );
        assert!(only(&lint_text_for(&fixed, version("9.6p1")), "SSH001").is_empty());
        // ... and none when it is in a block or after an Include.
        for text in [
            "Host a\n  IgnoreUnknown Foo\nHost mac\n  UseKeychain yes\n",
            "Include nothing.conf\nIgnoreUnknown Foo\nHost mac\n  UseKeychain yes\n",
        ] {
            let findings = lint_text_for(text, version("9.6p1"));
            let f = only(&findings, "SSH001");
            assert_eq!(f.len(), 1, "{text}");
            assert!(f[0].fixes.is_empty(), "{text}: {:?}", f[0].fixes);
        }
    }

    #[test]
    fn an_algorithm_the_release_lacks_is_an_error_on_its_line() {
        let text = "Host a\n  KexAlgorithms mlkem768x25519-sha256\nHost b\n  Ciphers +aes128-cbc\n";
        let older = lint_text_for(text, version("9.6p1"));
        let rejected = only(&older, "SSH025");
        assert_eq!(rejected.len(), 1, "{older:#?}");
        assert_eq!(rejected[0].severity, Severity::Error);
        assert_eq!(rejected[0].range().map(|r| r.start.line), Some(1));
        assert!(
            rejected[0]
                .message
                .contains("Bad SSH2 KexAlgorithms 'mlkem768x25519-sha256'."),
            "{}",
            rejected[0].message
        );
        assert!(only(&lint_text_for(text, version("9.9p1")), "SSH025").is_empty());
        // A name no release knows is refused by every one, in any block.
        let typo = "Host nowhere\n  MACs hmac-sha2-256-etm@openssh.com,hmac-sha3\n";
        for v in ["8.7p1", "10.5p1"] {
            assert_eq!(
                only(&lint_text_for(typo, version(v)), "SSH025").len(),
                1,
                "{v}"
            );
        }
    }

    #[test]
    fn refused_values_of_the_hand_parsed_keywords_are_errors_by_release() {
        // (config, release, what ssh says, or None when it accepts)
        let cases: &[(&str, &str, Option<&str>)] = &[
            ("IPQoS 256", "10.5p1", Some("Bad IPQoS value: 256")),
            ("IPQoS 0x10", "9.6p1", None),
            ("IPQoS 0x10", "9.9p2", Some("Bad IPQoS value: 0x10")),
            ("IPQoS va", "10.2p1", Some("Bad IPQoS value: va")),
            ("IPQoS va", "10.5p1", None),
            ("EscapeChar ^?", "10.5p1", Some("Bad escape character.")),
            ("TunnelDevice tun0", "9.2p1", Some("Bad tun device.")),
            (
                "CanonicalDomains _srv.test",
                "9.9p2",
                Some("starts with invalid character"),
            ),
            ("CanonicalDomains _srv.test", "10.0p2", None),
            (
                "CanonicalDomains a..b",
                "10.5p1",
                Some("contains consecutive separators"),
            ),
            (
                "CanonicalizePermittedCNAMEs a.test:",
                "10.5p1",
                Some("Invalid permitted CNAME \"a.test:\""),
            ),
            (
                "LogVerbose a.c none",
                "10.5p1",
                Some("keyword logverbose \"none\" argument must appear alone."),
            ),
            (
                "PermitRemoteOpen h:0",
                "10.5p1",
                Some("bad port number in permitremoteopen"),
            ),
            (
                "PermitRemoteOpen h/80",
                "10.5p1",
                Some("missing host in permitremoteopen"),
            ),
            // 8.7 to 9.1 never look at the first pair.
            ("PermitRemoteOpen h/80", "8.7p1", None),
        ];
        for (line, release, says) in cases {
            // In a block for another host: ssh checks every line.
            let text = format!("Host elsewhere.invalid\n  {line}\n");
            let findings = lint_text_for(&text, version(release));
            let rejected = only(&findings, "SSH025");
            match says {
                None => assert!(rejected.is_empty(), "{line} {release}: {rejected:#?}"),
                Some(says) => {
                    assert_eq!(rejected.len(), 1, "{line} {release}: {findings:#?}");
                    assert_eq!(rejected[0].severity, Severity::Error);
                    assert_eq!(rejected[0].range().map(|r| r.start.line), Some(1));
                    assert!(
                        rejected[0].message.contains(says),
                        "{line} {release}: {}",
                        rejected[0].message
                    );
                }
            }
        }
    }

    #[test]
    fn apple_s_flags_are_checked_like_any_flag_and_by_release() {
        let bad = lint_text_for("Host a\n  UseKeychain maybe\n", version("9.9p2-apple"));
        let rejected = only(&bad, "SSH025");
        assert_eq!(rejected.len(), 1, "{bad:#?}");
        assert!(
            rejected[0]
                .message
                .contains("unsupported option \"maybe\"."),
            "{}",
            rejected[0].message
        );
        let text = "Host a\n  AppleMultipath yes\n  NoHostAuthenticationForProxyCommand yes\n";
        assert!(only(&lint_text_for(text, version("10.0p2-apple")), "SSH001").is_empty());
        // macOS 14.0's ssh (Apple's 9.4p1) has AppleMultipath only.
        let older = lint_text_for(text, version("9.4p1-apple"));
        let f = only(&older, "SSH001");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.starts_with(
                "your Apple's OpenSSH 9.4p1 does not know NoHostAuthenticationForProxyCommand (added in 9.6)"
            ),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_token_newer_than_the_release_is_flagged_with_the_release() {
        let text = "Host a\n  ControlPath ~/.ssh/cm-%j\n";
        assert!(only(&lint_text_for(text, version("9.6p1")), "SSH030").is_empty());
        let old = lint_text_for(text, version("9.5p1"));
        let f = only(&old, "SSH030");
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("%j needs OpenSSH 9.6"),
            "{}",
            f[0].message
        );
    }
}
