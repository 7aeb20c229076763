//! Settings a Remote-SSH target needs: keep-alives so an idle connection
//! behind NAT is noticed, and a connect timeout so a dead host fails fast.

use std::collections::HashSet;
use std::rc::Rc;

use crate::finding::{Finding, Fix, Severity};
use crate::ssh::config::blocks::{blocks, Block, Header};
use crate::ssh::config::resolve::{effective_hostname, Resolution};
use crate::ssh::config::source::SourceFile;
use crate::ssh::lint::rules::support::{
    add_line_fix, aliases, block_applied, block_indent, block_last_line, directives, name_list,
    place, probe_hosts, span_finding,
};
use crate::ssh::lint::LintContext;

/// Git hosting services: their aliases are not Remote-SSH targets.
const GIT_HOSTS: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "ssh.dev.azure.com",
    "vs-ssh.visualstudio.com",
    "codeberg.org",
    "source.developers.google.com",
];

fn is_git_host(r: &Resolution) -> bool {
    let user_git = r.options.get("user").is_some_and(|v| v.text == "git");
    let host = effective_hostname(&r.options, &r.host_arg).unwrap_or_default();
    user_git
        || GIT_HOSTS.iter().any(|g| {
            host.strip_suffix(g)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
        })
}

/// A Host block naming hosts one connects to (a Remote-SSH target), with
/// those of its literal aliases it names first, each with its resolution.
pub(crate) struct Target {
    /// The block's file (an index into the context's files).
    file: usize,
    block: Block,
    hosts: Vec<(String, std::ops::Range<usize>, Rc<Resolution>)>,
}

impl Target {
    fn file<'c>(&self, ctx: &'c LintContext) -> &'c SourceFile {
        &ctx.files[self.file]
    }

    /// A finding on the host name at `span` of the block's Host line.
    fn finding(
        &self,
        ctx: &LintContext,
        code: &'static str,
        severity: Severity,
        span: &std::ops::Range<usize>,
        message: String,
    ) -> Finding {
        let header = self.block.header_line.unwrap_or(0);
        span_finding(
            code,
            severity,
            self.file(ctx),
            header,
            span.clone(),
            message,
        )
    }

    /// The safe fix that adds `setting` as the last line of the block.
    fn add_setting_fix(&self, ctx: &LintContext, setting: &str) -> Option<Fix> {
        let last = block_last_line(&self.block)?;
        let file = self.file(ctx);
        let indent = block_indent(file, &self.block);
        add_line_fix(
            file,
            last,
            &format!("{indent}{setting}"),
            &format!("Add {setting} to this block"),
            true,
        )
    }
}

/// The Remote-SSH targets, found once per run (SSH019 and SSH020 both ask).
fn targets(ctx: &LintContext) -> Rc<Vec<Target>> {
    Rc::clone(
        ctx.remote_targets
            .get_or_init(|| Rc::new(find_targets(ctx))),
    )
}

fn find_targets(ctx: &LintContext) -> Vec<Target> {
    let mut seen: HashSet<String> = HashSet::new();
    let all_aliases = aliases(ctx);
    // Aliases by (file, header line): one lookup per block, not a scan.
    let mut by_block: std::collections::HashMap<(usize, usize), Vec<_>> =
        std::collections::HashMap::new();
    for alias in &all_aliases {
        by_block
            .entry((alias.file, alias.header))
            .or_default()
            .push(alias);
    }
    let mut out: Vec<Target> = Vec::new();
    for (index, file) in ctx.files.iter().enumerate() {
        for block in blocks(file).iter() {
            let (Some(header), Header::Host(_)) = (block.header_line, &block.header) else {
                continue;
            };
            let mut hosts = Vec::new();
            for alias in by_block.get(&(index, header)).into_iter().flatten() {
                if !seen.insert(alias.name.clone()) {
                    continue;
                }
                let r = ctx.resolved(&alias.name);
                // A config ssh refuses has more urgent findings than these.
                if !r.errors.is_empty() || !block_applied(ctx, &r, file, block) || is_git_host(&r) {
                    continue;
                }
                hosts.push((alias.name.clone(), alias.span.clone(), r));
            }
            if !hosts.is_empty() {
                out.push(Target {
                    file: index,
                    block: block.clone(),
                    hosts,
                });
            }
        }
    }
    out
}

/// SSH019: a Remote-SSH target without ServerAliveInterval.
pub fn no_keep_alive(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for target in targets(ctx).iter() {
        let lacking: Vec<_> = target
            .hosts
            .iter()
            .filter(|(_, _, r)| {
                r.options
                    .get("serveraliveinterval")
                    .is_none_or(|v| v.text == "0")
            })
            .collect();
        let Some((_, span, _)) = lacking.first() else {
            continue;
        };
        let names: Vec<String> = lacking.iter().map(|(n, _, _)| n.clone()).collect();
        let explicit = lacking.iter().find_map(|(_, _, r)| {
            let v = r.options.get("serveraliveinterval")?;
            let path = r.files.get(v.origin.file)?.path.clone();
            Some(place(ctx, &path, v.origin.line))
        });
        let setting = match &explicit {
            Some(at) => format!("ServerAliveInterval is 0 ({at})"),
            None => String::from("ServerAliveInterval is 0, the default"),
        };
        let verb = if names.len() == 1 { "sends" } else { "send" };
        let message = format!(
            "{} {verb} no keep-alives ({setting}): when a NAT, VPN or firewall drops the idle connection, ssh does not notice and Remote-SSH hangs until the operating system gives up; ServerAliveInterval 15 makes ssh check every 15 s and disconnect after ServerAliveCountMax (3) unanswered checks, so Remote-SSH reconnects (or set it once for every host under a \"Host *\" at the end of the file)",
            name_list(&names)
        );
        let mut f = target.finding(ctx, code, Severity::Warning, span, message);
        if explicit.is_none() {
            f.fixes
                .extend(target.add_setting_fix(ctx, "ServerAliveInterval 15"));
        }
        out.push(f);
    }
}

/// The hosts other hosts jump through: from every ProxyJump line (wildcard
/// blocks included) and every resolved alias.
fn jump_hosts(ctx: &LintContext) -> HashSet<String> {
    let mut out = HashSet::new();
    for file in &ctx.files {
        for (_, d) in directives(file) {
            if d.keyword == "proxyjump" {
                let rest = d.rest.trim_start_matches(['=', ' ', '\t']);
                out.extend(
                    crate::ssh::lint::rules::proxy::jump_hosts(rest)
                        .into_iter()
                        .map(|(n, _)| n),
                );
            }
        }
    }
    for host in probe_hosts(ctx) {
        let r = ctx.resolved(&host);
        let Some(jump) = r.options.jump.as_ref().filter(|j| j.host != "none") else {
            continue;
        };
        out.insert(jump.host.clone());
        if let Some(extra) = &jump.extra {
            for hop in extra.split(',') {
                let hop = hop.trim();
                let hop = hop.rsplit('@').next().unwrap_or(hop);
                let hop = hop.split(':').next().unwrap_or(hop);
                out.insert(hop.to_string());
            }
        }
    }
    out
}

/// SSH020: a Remote-SSH target without ConnectTimeout.
pub fn no_connect_timeout(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let jumps = jump_hosts(ctx);
    for target in targets(ctx).iter() {
        let lacking: Vec<_> = target
            .hosts
            .iter()
            .filter(|(_, _, r)| r.options.get("connecttimeout").is_none())
            .collect();
        let Some((_, span, _)) = lacking.first() else {
            continue;
        };
        let names: Vec<String> = lacking.iter().map(|(n, _, _)| n.clone()).collect();
        let jumped: Vec<String> = names
            .iter()
            .filter(|n| jumps.contains(*n))
            .cloned()
            .collect();
        let (severity, why) = if jumped.is_empty() {
            (
                Severity::Info,
                String::from("Remote-SSH passes -o ConnectTimeout=15 for its own connection, but a terminal ssh, git or scp does not"),
            )
        } else {
            (
                Severity::Warning,
                format!(
                    "{} is a jump host (ProxyJump): the ssh started to reach it gets no -o ConnectTimeout from Remote-SSH, so a dead jump host hangs the Remote-SSH connection too",
                    name_list(&jumped)
                ),
            )
        };
        let message = format!(
            "No ConnectTimeout for {}: when the host is down or unreachable ssh waits for the operating system's TCP timeout (about 2 minutes on Linux) before failing; {why}. ConnectTimeout 10 makes it give up after 10 s",
            name_list(&names)
        );
        let mut f = target.finding(ctx, code, severity, span, message);
        f.fixes
            .extend(target.add_setting_fix(ctx, "ConnectTimeout 10"));
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::ssh::lint::tests::{assert_says, at, lint_text, only};

    #[test]
    fn ssh019_flags_a_remote_host_without_keepalives_and_inserts_one() {
        let findings = lint_text("Host dev\r\n    HostName 10.0.0.5\r\n    User me\r\n\r\nHost github.com\r\n  IdentityFile ~/.ssh/gh\r\n");
        let keep = only(&findings, "SSH019");
        assert_eq!(keep.len(), 1, "git hosts are not Remote-SSH targets");
        let f = keep[0];
        assert_eq!(at(f), (0, 5, 8));
        assert!(
            f.message.starts_with("dev sends no keep-alives"),
            "{}",
            f.message
        );
        let fix = f.fix().unwrap();
        assert!(fix.safe);
        assert_eq!(fix.edits[0].new_text, "\r\n    ServerAliveInterval 15");
        assert_eq!(fix.edits[0].range.start.line, 2);
        assert_eq!(fix.edits[0].range.start.character, 11);
    }

    #[test]
    fn ssh019_accepts_a_keepalive_from_host_star_and_names_an_explicit_zero() {
        let fine = lint_text("Host dev\n  User me\nHost *\n  ServerAliveInterval 30\n");
        assert!(only(&fine, "SSH019").is_empty());
        let zero = lint_text("Host *\n  ServerAliveInterval 0\nHost dev\n  User me\n");
        let f = only(&zero, "SSH019")[0];
        assert_says(f, "(~/.ssh/config line 2)");
        assert!(f.fix().is_none());
    }

    #[test]
    fn ssh020_flags_no_connect_timeout_more_strongly_for_jump_hosts() {
        let findings = lint_text("Host dev\n  ProxyJump gw\nHost gw\n  HostName gw.example.com\nHost gpu-*\n  ProxyJump dev\n");
        let found = only(&findings, "SSH020");
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].severity,
            Severity::Warning,
            "dev is the jump host of gpu-*"
        );
        assert_eq!(found[1].severity, Severity::Warning);
        assert_says(found[1], "gw is a jump host");
        let fix = found[1].fix().unwrap();
        assert_eq!(fix.edits[0].new_text, "\n  ConnectTimeout 10");
        assert_eq!(fix.edits[0].range.start.line, 3);
        let fine = lint_text("Host dev\n  ConnectTimeout 5\n");
        assert!(only(&fine, "SSH020").is_empty());
    }
}
