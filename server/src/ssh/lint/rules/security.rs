//! Settings that weaken the connection's security or break other tools:
//! host keys not checked, the agent forwarded everywhere, a RemoteCommand
//! that makes ssh refuse commands.

use crate::finding::{Finding, Severity};
use crate::ssh::config::blocks::blocks;
use crate::ssh::lint::rules::support::{
    block_applied, block_at, delete_line_fix, first_args, keyword_lines, origin_is,
    replace_arg_fix, value_finding, ANY_HOST,
};
use crate::ssh::lint::LintContext;

/// SSH016: StrictHostKeyChecking off.
pub fn host_key_checking_off(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for (line, d, arg) in first_args(file, "stricthostkeychecking") {
            if !matches!(
                arg.value.to_ascii_lowercase().as_str(),
                "no" | "off" | "false"
            ) {
                continue;
            }
            let message = format!(
                "StrictHostKeyChecking {} turns host key checking off: ssh adds any new host's key without asking, and when a known host's key changes it prints \"REMOTE HOST IDENTIFICATION HAS CHANGED!\" but still connects with your key, so a man-in-the-middle can pose as the server; accept-new still adds new hosts silently but refuses changed keys",
                arg.value
            );
            let mut f = value_finding(code, Severity::Warning, file, line, d, message);
            f.fixes.extend(replace_arg_fix(
                file,
                line,
                arg,
                "Use StrictHostKeyChecking accept-new",
                "accept-new",
            ));
            out.push(f);
        }
    }
}

/// SSH017: UserKnownHostsFile /dev/null (or none): no host key is ever
/// remembered.
pub fn known_hosts_discarded(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for (line, d) in keyword_lines(file, "userknownhostsfile") {
            let [arg] = d.args.as_slice() else {
                continue;
            };
            let v = arg.value.as_str();
            if !(v == "/dev/null"
                || v.eq_ignore_ascii_case("none")
                || v.eq_ignore_ascii_case("nul"))
            {
                continue;
            }
            let message = format!(
                "UserKnownHostsFile {v}: ssh never remembers a host key, so every connection meets the server as new: with StrictHostKeyChecking no it accepts whatever key it is shown (a man-in-the-middle goes unnoticed), with the default (ask) you confirm the fingerprint every time, and with yes every connection fails with \"Host key verification failed.\""
            );
            let mut f = value_finding(code, Severity::Warning, file, line, d, message);
            f.fixes.extend(delete_line_fix(
                file,
                line,
                "Remove the line (use ~/.ssh/known_hosts)",
                false,
            ));
            out.push(f);
        }
    }
}

/// Whether the value of `keyword` for a host no block names comes from this
/// line: the line applies to every host.
fn applies_to_every_host(ctx: &LintContext, file_index: usize, line: usize, keyword: &str) -> bool {
    let Some(file) = ctx.files.get(file_index) else {
        return false;
    };
    let all = blocks(file);
    let Some(block) = block_at(&all, line) else {
        return false;
    };
    let r = ctx.resolved(ANY_HOST);
    block_applied(ctx, &r, file, block)
        && r.options
            .get(keyword)
            .is_some_and(|v| origin_is(&r, v.origin, &file.path, line))
}

/// SSH018: ForwardAgent for every host.
pub fn agent_forwarded_everywhere(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for (index, file) in ctx.files.iter().enumerate() {
        for (line, d, arg) in first_args(file, "forwardagent") {
            if matches!(arg.value.to_ascii_lowercase().as_str(), "no" | "false") {
                continue;
            }
            if !applies_to_every_host(ctx, index, line, "forwardagent") {
                continue;
            }
            let message = format!(
                "ForwardAgent {} applies to every host: each server you log in to can use your ssh-agent while you are connected, so anyone with root there can log in elsewhere as you with your keys (ssh_config(5): \"Agent forwarding should be enabled with caution\"); turn it on only in the Host blocks that need it",
                arg.value
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
}

/// SSH028: RemoteCommand, which makes ssh refuse commands on its command line.
pub fn remote_command_set(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for (index, file) in ctx.files.iter().enumerate() {
        for (line, d) in keyword_lines(file, "remotecommand") {
            if d.rest
                .trim_start_matches(['=', ' ', '\t'])
                .eq_ignore_ascii_case("none")
            {
                continue;
            }
            let everywhere = applies_to_every_host(ctx, index, line, "remotecommand");
            let (severity, who) = if everywhere {
                (Severity::Warning, "every host")
            } else {
                (Severity::Info, "the hosts of this block")
            };
            let message = format!(
                "With RemoteCommand set, ssh refuses a command given on its command line for {who}: \"ssh HOST uptime\", git and rsync over ssh stop with \"Cannot execute command-line and remote command.\" (scp and sftp override it); Remote-SSH passes -o RemoteCommand=none, so VS Code skips it unless remote.SSH.enableRemoteCommand is on. Keep RemoteCommand to a separate alias used only for interactive logins"
            );
            out.push(value_finding(code, severity, file, line, d, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::ssh::lint::tests::{assert_says, at, columns, lint_one, lint_text, only};

    #[test]
    fn ssh016_flags_strict_host_key_checking_no() {
        let f = lint_one("Host lab\n  StrictHostKeyChecking no\n", "SSH016");
        assert_eq!(columns(&f), (24, 26));
        assert_says(&f, "REMOTE HOST IDENTIFICATION HAS CHANGED!");
        assert_eq!(f.fix().unwrap().edits[0].new_text, "accept-new");
        let fine = lint_text("Host lab\n  StrictHostKeyChecking accept-new\n");
        assert!(only(&fine, "SSH016").is_empty());
    }

    #[test]
    fn ssh017_flags_known_hosts_in_dev_null() {
        let f = lint_one("Host lab\n  UserKnownHostsFile /dev/null\n", "SSH017");
        assert_eq!(at(&f), (1, 21, 30));
        assert_says(&f, "Host key verification failed.");
    }

    #[test]
    fn ssh018_flags_forward_agent_for_every_host_only() {
        let f = lint_one("Host *\n  ForwardAgent yes\n", "SSH018");
        assert_eq!(columns(&f), (15, 18));
        assert_says(&f, "applies to every host");
        let global = lint_text("ForwardAgent yes\nHost a\n  User b\n");
        assert_eq!(only(&global, "SSH018").len(), 1);
        let specific = lint_text("Host build\n  ForwardAgent yes\n");
        assert!(only(&specific, "SSH018").is_empty());
        let overridden = lint_text("ForwardAgent no\nHost *\n  ForwardAgent yes\n");
        assert!(only(&overridden, "SSH018").is_empty());
    }

    #[test]
    fn ssh028_flags_remote_command_strongly_when_it_applies_everywhere() {
        let f = lint_one(
            "Host *\n  RemoteCommand tmux new -A -s main\n  RequestTTY yes\n",
            "SSH028",
        );
        assert_eq!(f.severity, Severity::Warning);
        assert_says(&f, "Cannot execute command-line and remote command.");
        assert_eq!(columns(&f), (16, 35));
        let one = lint_text("Host box\n  RemoteCommand tmux a\n");
        assert_eq!(only(&one, "SSH028")[0].severity, Severity::Info);
    }
}
