//! The rule catalogue, one file per family of rules.

mod blocks;
mod control;
mod errors;
mod files;
mod keys;
mod keywords;
mod proxy;
mod remote;
mod security;
mod support;

use crate::ssh::lint::Rule;

/// Every rule, in code order.
pub fn catalogue() -> Vec<&'static dyn Rule> {
    vec![
        &keywords::UnknownKeyword,
        &blocks::ShadowedSetting,
        &keywords::DeprecatedKeyword,
        &keywords::RepeatedKeyword,
        &control::ControlMasterWithoutPath,
        &control::SharedControlPath,
        &control::ControlPathTooLong,
        &control::ControlMasterOnWindows,
        &proxy::UnknownJumpHost,
        &proxy::JumpLoop,
        &keys::MissingIdentityFile,
        &keys::PublicKeyAsIdentity,
        &keys::KeyPermissions,
        &files::ConfigPermissions,
        &keys::WeakKey,
        &security::HostKeyCheckingOff,
        &security::KnownHostsDiscarded,
        &security::AgentForwardedEverywhere,
        &remote::NoKeepAlive,
        &remote::NoConnectTimeout,
        &files::EmptyInclude,
        &blocks::NeverMatches,
        &blocks::MatchExecNotEvaluated,
        &errors::SyntaxError,
        &errors::RejectedValue,
        &blocks::ConditionalInclude,
        &blocks::CommaInHostPattern,
        &security::RemoteCommandSet,
        &blocks::LooksGlobal,
        &errors::UnknownToken,
        &control::ControlPathDirectoryMissing,
    ]
}

#[cfg(test)]
mod tests {
    use super::catalogue;
    use crate::ssh::lint::tests::{lint_files, lint_text};

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
        ];
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
