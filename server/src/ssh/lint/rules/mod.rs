//! The rule catalogue, one file per family of rules.

mod blocks;
mod control;
mod errors;
mod files;
mod jump_names;
mod keys;
mod keywords;
mod macos;
mod proxy;
mod release;
pub(crate) mod remote;
mod security;
mod sockets;
mod support;
mod windows;

use crate::ssh::lint::Rule;

/// Every rule, in code order.
pub fn catalogue() -> Vec<Rule> {
    vec![
        Rule::new("SSH001", "Unknown keyword", keywords::unknown_keyword),
        Rule::new(
            "SSH002",
            "Setting shadowed by an earlier block",
            blocks::shadowed_setting,
        ),
        Rule::new(
            "SSH003",
            "Deprecated, removed or renamed keyword",
            keywords::deprecated_keyword,
        ),
        Rule::new(
            "SSH004",
            "Keyword repeated in one block",
            keywords::repeated_keyword,
        ),
        Rule::new(
            "SSH005",
            "ControlMaster without ControlPath",
            control::control_master_without_path,
        ),
        Rule::new(
            "SSH006",
            "ControlPath shared by different connections",
            control::shared_control_path,
        ),
        Rule::new(
            "SSH007",
            "ControlPath too long for a Unix socket",
            control::control_path_too_long,
        ),
        Rule::new(
            "SSH008",
            "ControlMaster on Windows",
            control::control_master_on_windows,
        ),
        Rule::new("SSH009", "Jump host not defined", proxy::unknown_jump_host),
        Rule::new("SSH010", "ProxyJump loop", proxy::jump_loop),
        Rule::new(
            "SSH011",
            "IdentityFile missing",
            keys::missing_identity_file,
        ),
        Rule::new(
            "SSH012",
            "IdentityFile names a public key",
            keys::public_key_as_identity,
        ),
        Rule::new(
            "SSH013",
            "Private key readable by others",
            keys::key_permissions,
        ),
        Rule::new(
            "SSH014",
            "Config file or ~/.ssh with bad owner or permissions",
            files::config_permissions,
        ),
        Rule::new("SSH015", "DSA or short RSA key", keys::weak_key),
        Rule::new(
            "SSH016",
            "StrictHostKeyChecking disabled",
            security::host_key_checking_off,
        ),
        Rule::new(
            "SSH017",
            "Known hosts thrown away",
            security::known_hosts_discarded,
        ),
        Rule::new(
            "SSH018",
            "ForwardAgent for every host",
            security::agent_forwarded_everywhere,
        ),
        Rule::new(
            "SSH019",
            "No ServerAliveInterval for a remote host",
            remote::no_keep_alive,
        ),
        Rule::new(
            "SSH020",
            "No ConnectTimeout for a remote host",
            remote::no_connect_timeout,
        ),
        Rule::new("SSH021", "Include that reads nothing", files::empty_include),
        Rule::new(
            "SSH022",
            "Host block that never applies",
            blocks::never_matches,
        ),
        Rule::new(
            "SSH023",
            "Match exec not evaluated",
            blocks::match_exec_not_evaluated,
        ),
        Rule::new("SSH024", "Line ssh cannot parse", errors::syntax_error),
        Rule::new("SSH025", "Value ssh rejects", errors::rejected_value),
        Rule::new(
            "SSH026",
            "Include of Host blocks inside a Host block",
            blocks::conditional_include,
        ),
        Rule::new(
            "SSH027",
            "Comma in a Host pattern",
            blocks::comma_in_host_pattern,
        ),
        Rule::new(
            "SSH028",
            "RemoteCommand blocks command-line commands",
            security::remote_command_set,
        ),
        Rule::new(
            "SSH029",
            "Unindented line inside a Host block",
            blocks::looks_global,
        ),
        Rule::new("SSH030", "Unknown % token", errors::unknown_token),
        Rule::new(
            "SSH031",
            "ControlPath directory missing",
            control::control_path_directory_missing,
        ),
        Rule::new("SSH032", "Not the user's own ssh", release::ssh_followed),
        Rule::new(
            "SSH033",
            "Match criterion newer than the user's ssh",
            release::newer_match_criterion,
        ),
        Rule::new(
            "SSH034",
            "ProxyJump hop the jump ssh refuses",
            jump_names::refused_hop_names,
        ),
        Rule::new(
            "SSH043",
            "File Win32-OpenSSH refuses for its owner or ACL",
            windows::acl_refused,
        ),
        Rule::new(
            "SSH044",
            "Owner and ACL not readable",
            windows::acl_unreadable,
        ),
        Rule::new(
            "SSH045",
            "Path starting with ~\\ on Windows",
            windows::tilde_backslash,
        ),
        Rule::new(
            "SSH047",
            "Socket path too long for a Unix socket",
            sockets::socket_path_too_long,
        ),
        Rule::new(
            "SSH048",
            "UseKeychain turned off by PKCS11Provider",
            macos::keychain_off_with_pkcs11,
        ),
        Rule::new(
            "SSH049",
            "IdentityAgent names launchd's per-login socket",
            macos::launchd_socket_named,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::catalogue;
    use crate::ssh::lint::tests::{lint_files, lint_text, lint_text_for};

    #[test]
    fn codes_are_unique_in_order_and_documented() {
        let codes: Vec<&str> = catalogue().iter().map(|r| r.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "one rule per code, in code order");
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules");
        let index = std::fs::read_to_string(docs.join("README.md")).unwrap();
        for rule in catalogue() {
            let page = std::fs::read_to_string(docs.join(format!("{}.md", rule.code())))
                .unwrap_or_else(|_| panic!("docs/rules/{}.md", rule.code()));
            assert!(
                page.starts_with(&format!("# {} — {}", rule.code(), rule.title())),
                "{} page title",
                rule.code()
            );
            assert!(
                index.contains(&format!("| {} |", rule.code())),
                "{} in README",
                rule.code()
            );
        }
    }

    /// Lines made of the pieces configs are made of, shuffled by a fixed
    /// generator: every rule must survive them and point inside the text.
    #[test]
    fn rules_survive_noise_and_stay_in_range() {
        const PIECES: &[&str] = &[
            "Host",
            "Match",
            "Include",
            "ProxyJump",
            "ProxyCommand",
            "ControlMaster",
            "ControlPath",
            "IdentityFile",
            "User",
            "Port",
            "HostName",
            "ForwardAgent",
            "RemoteCommand",
            "exec",
            "all",
            "*",
            "!",
            "a",
            "b,c",
            "%C",
            "%z",
            "%",
            "~/",
            "/dev/null",
            "none",
            "\"",
            "'",
            "=",
            "#",
            "\t",
            "é",
            "😀",
            "ssh://x@[::1]:22/",
            "auto",
            "yes",
            "no",
            "host",
            "final",
            ",",
            "@",
            ":",
            "-W",
            "\\",
            "..",
            "conf.d/*",
            "UseKeychain",
            "PKCS11Provider",
            "LocalForward",
            "IdentityAgent",
            "/private/tmp/com.apple.launchd.x/Listeners",
            "canonical",
        ];
        let apple = crate::ssh::release::which::Choice::of_version(
            crate::ssh::release::parse_version_argument("10.0p2-apple").unwrap(),
        );
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % n as u64).unwrap_or(0)
        };
        for _ in 0..300 {
            let mut text = String::new();
            for _ in 0..next(12) {
                if next(3) == 0 {
                    text.push_str("  ");
                }
                for _ in 0..next(6) {
                    text.push_str(PIECES[next(PIECES.len())]);
                    if next(4) != 0 {
                        text.push(' ');
                    }
                }
                text.push_str(if next(5) == 0 { "\r\n" } else { "\n" });
            }
            let findings = lint_files(&[
                ("/home/me/.ssh/config", &text),
                ("/home/me/.ssh/conf.d/x", &text),
            ]);
            let mut findings = findings;
            // As macOS's ssh too: Apple's keywords and 104-byte sockets.
            findings.extend(lint_text_for(&text, apple.clone()));
            let lines: Vec<&str> = text.split('\n').collect();
            for f in &findings {
                let line = lines.get(f.range().unwrap().start.line as usize);
                assert!(line.is_some(), "{f:?} in {text:?}");
                assert!(f.range().unwrap().start <= f.range().unwrap().end, "{f:?}");
            }
        }
        assert!(lint_text("").is_empty());
    }
}
