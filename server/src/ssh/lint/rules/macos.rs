//! macOS's ssh and its agent: Apple's build reads passphrases from the
//! keychain (`UseKeychain`) unless a PKCS#11 provider is set (SSH048), and
//! the agent launchd starts at login listens on a socket whose directory
//! changes at every login, so a config must not name it (SSH049).

use std::collections::BTreeMap;

use crate::finding::{Finding, Severity};
use crate::ssh::lint::rules::support::{
    first_args, host_words, name_list, origin_directive, place, probe_hosts, replace_arg_fix,
    value_finding,
};
use crate::ssh::lint::LintContext;
use crate::ssh::release::Flavour;

/// SSH048: `UseKeychain yes` for a host that also has a PKCS11Provider:
/// Apple's ssh then turns UseKeychain off (its ssh.c: "UseKeychain=yes is
/// incompatible with PKCS11Provider; disabling", a debug message only).
pub fn keychain_off_with_pkcs11(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let uses_keychain = || {
        ctx.files
            .iter()
            .any(|f| first_args(f, "usekeychain").next().is_some())
    };
    if ctx.ssh.semantics.flavour != Flavour::Apple || !uses_keychain() {
        return;
    }
    // By UseKeychain line: the hosts, and where their provider is set.
    let mut lines: BTreeMap<(usize, usize), (Vec<String>, String)> = BTreeMap::new();
    let files: Vec<_> = ctx.files.iter().map(|f| f.path.clone()).collect();
    for host in probe_hosts(ctx) {
        let r = ctx.resolved(&host);
        let keychain = r.options.get("usekeychain").filter(|v| v.text == "yes");
        let provider = r
            .options
            .get("pkcs11provider")
            .filter(|v| !v.text.eq_ignore_ascii_case("none"));
        let (Some(keychain), Some(provider)) = (keychain, provider) else {
            continue;
        };
        let Some((file, _)) = origin_directive(ctx, &r, keychain.origin) else {
            continue;
        };
        let Some(index) = files.iter().position(|p| *p == file.path) else {
            continue;
        };
        let provider_at = match r.files.get(provider.origin.file) {
            Some(f) => place(ctx, &f.path, provider.origin.line),
            None => String::from("the command line"),
        };
        let entry = lines
            .entry((index, keychain.origin.line))
            .or_insert_with(|| (Vec::new(), provider_at));
        entry.0.push(host_words(&host));
    }
    for ((index, line), (hosts, provider_at)) in lines {
        let Some(file) = ctx.files.get(index) else {
            continue;
        };
        let Some((_, d, _)) = first_args(file, "usekeychain").find(|(l, _, _)| *l == line) else {
            continue;
        };
        let message = format!(
            "UseKeychain yes does nothing for {}: PKCS11Provider is set there ({provider_at}), and Apple's ssh then turns UseKeychain off, saying so only in its debug output, so key passphrases are neither read from nor saved to the keychain and ssh asks for them each time; set PKCS11Provider only in the Host blocks that use the token, or load the keys once with ssh-add --apple-use-keychain",
            name_list(&hosts)
        );
        out.push(value_finding(
            code,
            Severity::Warning,
            file,
            line,
            d,
            message,
        ));
    }
}

/// Whether `path` is inside the directory launchd makes for the agent's
/// socket at each login (`/private/tmp/com.apple.launchd.XXXXXXXXXX/Listeners`).
pub fn is_launchd_agent_socket(path: &str) -> bool {
    let path = path.trim_matches('"');
    ["/private/tmp/com.apple.launchd.", "/tmp/com.apple.launchd."]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// SSH049: IdentityAgent names launchd's per-login agent socket. The
/// directory's name is random and new at each login, so the line points at
/// nothing after the next one, and ssh goes on without the agent; the
/// default (`SSH_AUTH_SOCK`) follows launchd.
pub fn launchd_socket_named(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for (line, d, arg) in first_args(file, "identityagent") {
            if !is_launchd_agent_socket(&arg.value) {
                continue;
            }
            let message = format!(
                "IdentityAgent names the socket of the agent launchd started for this login ({}): launchd makes that directory anew, with a random name, at every login, so after the next one ssh cannot reach the agent and goes on without it (agent keys are not offered); IdentityAgent SSH_AUTH_SOCK (the default) follows launchd's socket",
                arg.value
            );
            let mut f = value_finding(code, Severity::Warning, file, line, d, message);
            f.fixes.extend(
                replace_arg_fix(
                    file,
                    line,
                    arg,
                    "Use SSH_AUTH_SOCK (launchd's agent at every login)",
                    "SSH_AUTH_SOCK",
                )
                .map(|fix| fix.safe()),
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{assert_says, at, lint_text, lint_text_for, only};
    use crate::ssh::release::parse_version_argument;
    use crate::ssh::release::which::Choice;

    fn apple() -> Choice {
        Choice::of_version(parse_version_argument("9.9p2-apple").unwrap())
    }

    #[test]
    fn ssh048_flags_use_keychain_where_a_pkcs11_provider_turns_it_off() {
        let text = "Host token\n  PKCS11Provider /usr/local/lib/opensc-pkcs11.so\nHost other\n  User me\nHost *\n  UseKeychain yes\n  AddKeysToAgent yes\n";
        let findings = lint_text_for(text, apple());
        let f = only(&findings, "SSH048");
        assert_eq!(f.len(), 1, "{findings:#?}");
        assert_eq!(at(f[0]), (5, 14, 17));
        assert_says(
            f[0],
            "UseKeychain yes does nothing for token: PKCS11Provider is set there (~/.ssh/config line 2)",
        );
        // Not for other builds (SSH001 says what they make of UseKeychain),
        // nor without a provider, nor with UseKeychain no.
        assert!(only(&lint_text(text), "SSH048").is_empty());
        for fine in [
            "Host *\n  UseKeychain yes\n",
            "Host *\n  UseKeychain no\n  PKCS11Provider /x.so\n",
            "Host *\n  UseKeychain yes\n  PKCS11Provider none\n",
        ] {
            assert!(
                only(&lint_text_for(fine, apple()), "SSH048").is_empty(),
                "{fine}"
            );
        }
    }

    #[test]
    fn launchd_sockets_are_told_from_others() {
        assert!(is_launchd_agent_socket(
            "/private/tmp/com.apple.launchd.AbCdEf1234/Listeners"
        ));
        assert!(is_launchd_agent_socket(
            "/tmp/com.apple.launchd.x/Listeners"
        ));
        assert!(!is_launchd_agent_socket("~/.1password/agent.sock"));
        assert!(!is_launchd_agent_socket("SSH_AUTH_SOCK"));
    }

    #[test]
    fn ssh049_replaces_launchd_s_socket_by_ssh_auth_sock() {
        let text = "Host *\n  IdentityAgent /private/tmp/com.apple.launchd.AbCdEf1234/Listeners\n";
        let findings = lint_text(text);
        let f = only(&findings, "SSH049");
        assert_eq!(f.len(), 1);
        assert_eq!(at(f[0]), (1, 16, 67));
        assert_says(f[0], "at every login");
        let fix = f[0].fix().unwrap();
        assert!(fix.safe);
        assert_eq!(fix.edits[0].new_text, "SSH_AUTH_SOCK");
        let others = "Host *\n  IdentityAgent SSH_AUTH_SOCK\nHost b\n  IdentityAgent ~/.1password/agent.sock\n";
        assert!(only(&lint_text(others), "SSH049").is_empty());
    }
}
