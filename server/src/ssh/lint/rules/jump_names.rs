//! SSH034: a ProxyJump hop whose user or host name the ssh that makes the
//! jump refuses. `ssh -G` accepts the line, but to connect ssh starts
//! `ssh -l USER -p PORT -J EARLIER-HOPS -W '[%h]:%p' LAST-HOST`: from 9.6
//! (and in Debian's 9.2) that ssh refuses a command-line user or host with
//! shell characters (`valid_ruser`, `valid_hostname`), and from 10.3 (and
//! in Debian's 9.2) its `-J` list hop by hop (`parse_jump` strict).

use std::ops::Range;

use crate::finding::{Finding, Severity};
use crate::ssh::config::effective::{valid_hostname, valid_ruser};
use crate::ssh::config::options::parse_hop;
use crate::ssh::lint::rules::support::{directives, span_finding};
use crate::ssh::lint::LintContext;
use crate::ssh::release::listing::Listing;

/// Each hop of a ProxyJump value with its byte range in `text`, blanks
/// around it left out.
fn hops(text: &str) -> Vec<(&str, Range<usize>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for hop in text.split(',') {
        let lead = hop.len() - hop.trim_start().len();
        let trimmed = hop.trim();
        out.push((trimmed, offset + lead..offset + lead + trimmed.len()));
        offset += hop.len() + 1;
    }
    out
}

/// What the jump ssh says of one hop, if it refuses it: the last hop is
/// its destination (`-l` user, host), the others its `-J` list.
fn refusal(hop: &str, last: bool, listing: Listing) -> Option<String> {
    let forbidden = listing.hostname_forbids()?;
    let (user, host, _) = parse_hop(hop)?;
    let bad_user = user.filter(|u| {
        let control = listing.refuses_control_characters_in_users() || !last;
        !valid_ruser(u, control)
    });
    let bad_host = (!valid_hostname(&host, forbidden)).then_some(host);
    if last {
        let user_said = "remote username contains invalid characters";
        let host_said = "hostname contains invalid characters";
        return match (bad_user, bad_host) {
            (Some(_), Some(_)) if listing.checks_user_before_host() => Some(user_said.into()),
            (_, Some(_)) => Some(host_said.into()),
            (Some(_), None) => Some(user_said.into()),
            (None, None) => None,
        };
    }
    if !listing.checks_jump_hops() {
        return None;
    }
    match (bad_user, bad_host) {
        (_, Some(host)) => Some(format!("parse_jump: invalid hostname \"{host}\"")),
        (Some(user), None) => Some(format!("parse_jump: invalid username \"{user}\"")),
        (None, None) => None,
    }
}

/// SSH034: a ProxyJump hop the jump ssh refuses.
pub fn refused_hop_names(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let listing = ctx.ssh.listing();
    let named = ctx.ssh.reported.unwrap_or(ctx.ssh.semantics);
    for file in &ctx.files {
        for (line, d) in directives(file) {
            if d.keyword != "proxyjump" {
                continue;
            }
            let rest = d.rest.trim_start_matches(['=', ' ', '\t']);
            if rest.eq_ignore_ascii_case("none") {
                continue;
            }
            let offset = d.rest_span.start + (d.rest.len() - rest.len());
            let all = hops(rest);
            let count = all.len();
            for (i, (hop, span)) in all.into_iter().enumerate() {
                let last = i + 1 == count;
                let Some(said) = refusal(hop, last, listing) else {
                    continue;
                };
                let how = if last {
                    "the ssh it starts for the jump is given this hop's user (-l) and host on its command line"
                } else {
                    "the ssh it starts for the jump is given the hops before the last as -J"
                };
                let message = format!(
                    "ssh -G accepts \"{hop}\", but your {named} cannot jump through it: {how}, and it stops with \"{said}\"; give the hop a Host alias (Host name with HostName and User lines) and name the alias here"
                );
                let span = span.start + offset..span.end + offset;
                out.push(span_finding(
                    code,
                    Severity::Error,
                    file,
                    line,
                    span,
                    message,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Severity;
    use crate::ssh::lint::tests::{columns, lint_text_for, only};
    use crate::ssh::release::parse_version_argument;
    use crate::ssh::release::which::Choice;

    fn version(text: &str) -> Choice {
        Choice::of_version(parse_version_argument(text).unwrap())
    }

    const HOPS: &str = "Host db\n  ProxyJump a$b@first.test,ok@second.test,x;y@last.test\n";

    #[test]
    fn the_last_hop_is_refused_from_9_6_and_the_others_from_10_3() {
        assert!(only(&lint_text_for(HOPS, version("9.2p1")), "SSH034").is_empty());
        let findings = lint_text_for(HOPS, version("10.2p1"));
        let refused = only(&findings, "SSH034");
        assert_eq!(refused.len(), 1, "{refused:#?}");
        assert_eq!(refused[0].severity, Severity::Error);
        assert!(refused[0]
            .message
            .contains("\"remote username contains invalid characters\""));
        assert_eq!(columns(refused[0]), (42, 55));
        // 10.3 checks the -J list too (the first hop's user; `$` is fine in
        // a user name, not in a host name).
        let text = HOPS.replace("a$b@first.test", "a;b@first$.test");
        let findings = lint_text_for(&text, version("10.3p1"));
        let said: Vec<&str> = only(&findings, "SSH034")
            .iter()
            .map(|f| f.message.split("stops with ").nth(1).unwrap_or(""))
            .collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].starts_with("\"parse_jump: invalid hostname \"first$.test\"\""));
        // Debian's 9.2 has both checks.
        assert_eq!(
            only(&lint_text_for(&text, version("9.2p1-debian")), "SSH034").len(),
            2
        );
    }

    #[test]
    fn plain_hops_and_none_are_fine() {
        let text = "Host db\n  ProxyJump alice@bastion.example.com:2222,ssh://bob@[::1]:22\nHost x\n  ProxyJump none\n";
        assert!(only(&lint_text_for(text, version("10.5p1")), "SSH034").is_empty());
    }
}
