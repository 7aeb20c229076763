//! ProxyJump and ProxyCommand: jump hosts that cannot be found, and jump
//! chains that loop.

use crate::ssh::config::resolve::ConfigFs;
use std::collections::HashSet;
use std::ops::Range;

use crate::finding::{Finding, Severity};
use crate::ssh::config::pattern::match_pattern;
use crate::ssh::lint::rules::support::{
    aliases, directives, distance, edit_fix, origin_path, place, replace, span_finding,
};
use crate::ssh::lint::LintContext;

/// The host part of one hop (`[user@]host[:port]`, `ssh://...`, `[v6]:port`),
/// as a byte range of `hop`.
fn hop_host(hop: &str) -> Range<usize> {
    let mut start = 0;
    let mut end = hop.len();
    if let Some(rest) = hop.strip_prefix("ssh://") {
        start = hop.len() - rest.len();
        if hop.ends_with('/') {
            end -= 1;
        }
    }
    let body = hop.get(start..end).unwrap_or("");
    if let Some(at) = body.rfind('@') {
        start += at + 1;
    }
    let body = hop.get(start..end).unwrap_or("");
    if let Some(inner) = body.strip_prefix('[') {
        let close = inner.find(']').unwrap_or(inner.len());
        return start + 1..start + 1 + close;
    }
    if let Some(at) = body.find([':', '/']) {
        end = start + at;
    }
    start..end.max(start)
}

/// Each hop of a ProxyJump value with the byte range of its host in `text`.
pub(super) fn jump_hosts(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for hop in text.split(',') {
        let trimmed_start = hop.len() - hop.trim_start().len();
        let trimmed = hop.trim();
        let host = hop_host(trimmed);
        let start = offset + trimmed_start + host.start;
        let end = offset + trimmed_start + host.end;
        if let Some(name) = trimmed.get(host) {
            out.push((name.to_string(), start..end));
        }
        offset += hop.len() + 1;
    }
    out
}

/// ssh options that take an argument.
const SSH_ARG_OPTIONS: &str = "BbcDEeFIiJLlmOopQRSWw";

/// The destination of a `ssh ... host` ProxyCommand, with its byte range.
fn proxy_command_host(text: &str) -> Option<(String, Range<usize>)> {
    let mut words = Vec::new();
    let mut at = 0;
    for word in text.split([' ', '\t']) {
        if !word.is_empty() {
            words.push((word, at));
        }
        at += word.len() + 1;
    }
    let (program, _) = words.first()?;
    let base = program.rsplit(['/', '\\']).next().unwrap_or(program);
    if !base.eq_ignore_ascii_case("ssh") && !base.eq_ignore_ascii_case("ssh.exe") {
        return None;
    }
    let mut skip_next = false;
    for (word, start) in words.iter().skip(1) {
        if skip_next {
            skip_next = false;
            continue;
        }
        if *word == "--" {
            continue;
        }
        if let Some(flags) = word.strip_prefix('-') {
            for (i, c) in flags.char_indices() {
                if SSH_ARG_OPTIONS.contains(c) {
                    skip_next = i + c.len_utf8() == flags.len();
                    break;
                }
            }
            continue;
        }
        let host = hop_host(word);
        let name = word.get(host.clone())?;
        return Some((name.to_string(), start + host.start..start + host.end));
    }
    None
}

fn looks_resolvable(name: &str) -> bool {
    name.contains(['.', ':'])
        || name.parse::<std::net::IpAddr>().is_ok()
        || name.eq_ignore_ascii_case("localhost")
}

/// Names listed in /etc/hosts.
fn etc_hosts(ctx: &LintContext) -> Vec<String> {
    let Ok(bytes) = ctx.fs.read(std::path::Path::new("/etc/hosts")) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// SSH009: a jump host that no Host block defines and that is not a DNS name.
pub fn unknown_jump_host(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let mut patterns: Vec<String> = Vec::new();
    for file in &ctx.files {
        for (_, d) in directives(file) {
            if d.keyword == "host" {
                patterns.extend(
                    d.args
                        .iter()
                        .map(|a| a.value.clone())
                        .filter(|p| !p.starts_with('!') && !p.chars().all(|c| c == '*')),
                );
            }
        }
    }
    let known_aliases: Vec<String> = aliases(ctx).into_iter().map(|a| a.name).collect();
    let mut hosts_file: Option<Vec<String>> = None;
    for file in &ctx.files {
        for (line, d) in directives(file) {
            let (keyword, hops) = match d.keyword.as_str() {
                "proxyjump" => {
                    let rest = d.rest.trim_start_matches(['=', ' ', '\t']);
                    if rest.eq_ignore_ascii_case("none") {
                        continue;
                    }
                    let offset = d.rest_span.start + (d.rest.len() - rest.len());
                    let hops: Vec<(String, Range<usize>)> = jump_hosts(rest)
                        .into_iter()
                        .map(|(n, r)| (n, r.start + offset..r.end + offset))
                        .collect();
                    ("ProxyJump", hops)
                }
                "proxycommand" => {
                    let rest = d.rest.trim_start_matches(['=', ' ', '\t']);
                    let offset = d.rest_span.start + (d.rest.len() - rest.len());
                    match proxy_command_host(rest) {
                        Some((n, r)) => {
                            ("ProxyCommand", vec![(n, r.start + offset..r.end + offset)])
                        }
                        None => continue,
                    }
                }
                _ => continue,
            };
            for (name, span) in hops {
                if name.is_empty() || name.contains(['%', '$']) || looks_resolvable(&name) {
                    continue;
                }
                if patterns.iter().any(|p| match_pattern(&name, p)) {
                    continue;
                }
                let r = ctx.resolved(&name);
                let renamed = r.options.get("hostname").is_some_and(|v| v.text != name);
                let canonical = r
                    .options
                    .get("canonicalizehostname")
                    .is_some_and(|v| v.text != "false");
                if renamed || canonical {
                    continue;
                }
                let listed = hosts_file.get_or_insert_with(|| etc_hosts(ctx));
                if listed.iter().any(|h| h.eq_ignore_ascii_case(&name)) {
                    continue;
                }
                let suggestion = known_aliases
                    .iter()
                    .find(|a| a.eq_ignore_ascii_case(&name))
                    .or_else(|| {
                        known_aliases
                            .iter()
                            .filter(|a| name.len() >= 3 && distance(a, &name) <= 2)
                            .min_by_key(|a| distance(a, &name))
                    });
                let mut message = format!(
                    "{keyword} goes through \"{name}\", but no Host block names it and it is not a DNS name: ssh looks \"{name}\" up as it is and fails with \"Could not resolve hostname {name}\" unless /etc/hosts or your DNS search domains know it"
                );
                if let Some(alias) = suggestion {
                    message.push_str(&format!(
                        "; did you mean \"{alias}\" (Host patterns are case-sensitive)?"
                    ));
                }
                let mut f =
                    span_finding(code, Severity::Warning, file, line, span.clone(), message);
                f.fixes.extend(suggestion.and_then(|alias| {
                    edit_fix(
                        file,
                        format!("Change to {alias}"),
                        vec![replace(file, line, span.clone(), alias)],
                        false,
                    )
                }));
                out.push(f);
            }
        }
    }
}

const MAX_HOPS: usize = 16;

/// The host ssh connects to first for a resolved ProxyJump: the first hop.
fn first_hop(jump: &crate::ssh::config::options::Jump) -> String {
    match &jump.extra {
        Some(extra) => {
            let first = extra.split(',').next().unwrap_or("").trim();
            first.get(hop_host(first)).unwrap_or("").to_string()
        }
        None => jump.host.clone(),
    }
}

/// SSH010: ProxyJump chains that come back to where they started.
pub fn jump_loop(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let mut starts: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    for alias in aliases(ctx) {
        if seen.insert(alias.name.clone()) {
            starts.push(alias.name);
        }
    }
    let mut reported = HashSet::new();
    for start in starts.iter().take(200) {
        let first = ctx.resolved(start);
        let Some(origin) = first
            .options
            .jump
            .as_ref()
            .filter(|j| j.host != "none")
            .map(|j| j.origin)
        else {
            continue;
        };
        let mut chain = vec![start.clone()];
        let mut current = start.clone();
        let mut looped = false;
        for _ in 0..MAX_HOPS {
            let r = ctx.resolved(&current);
            let Some(jump) = r.options.jump.as_ref().filter(|j| j.host != "none") else {
                break;
            };
            let next = first_hop(jump);
            if next.is_empty() {
                break;
            }
            if &next == start {
                chain.push(next);
                looped = true;
                break;
            }
            if chain.contains(&next) {
                break;
            }
            chain.push(next.clone());
            current = next;
        }
        if !looped {
            continue;
        }
        let Some(path) = origin_path(&first, origin) else {
            continue;
        };
        let Some(file) = ctx.file(path) else {
            continue;
        };
        if !reported.insert((path.to_path_buf(), origin.line)) {
            continue;
        }
        let Some(d) = crate::ssh::config::blocks::directive(file, origin.line) else {
            continue;
        };
        let message = if chain.len() == 2 {
            format!(
                "{start} jumps through itself: ssh stops with \"jumphost loop via {start}\", or, when its HostName, User or Port differ, starts one ssh after another without ever connecting; give {start} its own \"ProxyJump none\" in a Host {start} block above {}",
                place(ctx, path, origin.line)
            )
        } else {
            format!(
                "ProxyJump loops: {}. Each hop's ssh reads this config again and starts an ssh for the next hop, so the connection never completes (ssh keeps starting processes until it is killed); break the loop, e.g. with \"ProxyJump none\" for one of these hosts",
                chain.join(" → ")
            )
        };
        let span = d.rest_span.clone();
        out.push(span_finding(
            code,
            Severity::Error,
            file,
            origin.line,
            span,
            message,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{assert_says, at, lint_files, lint_one, lint_text, only};

    #[test]
    fn hops_split_into_hosts_with_their_ranges() {
        let text = "alice@hop1:2200, ssh://bob@[::1]:22/,plain";
        let hosts = jump_hosts(text);
        let names: Vec<&str> = hosts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["hop1", "::1", "plain"]);
        for (name, range) in &hosts {
            assert_eq!(&text[range.clone()], name);
        }
        let (name, range) = proxy_command_host("ssh -q -W %h:%p -l me jump").unwrap();
        assert_eq!(name, "jump");
        assert_eq!(range, 22..26);
        assert!(proxy_command_host("nc -X 5 -x proxy:1080 %h %p").is_none());
    }

    #[test]
    fn ssh009_flags_a_jump_host_no_block_defines_with_a_did_you_mean() {
        let f = lint_one("Host Bastion\n  HostName bastion.example.com\nHost db\n  ProxyJump admin@bastion:2222\n", "SSH009");
        assert_eq!(at(&f), (3, 18, 25));
        assert_says(&f, "Could not resolve hostname bastion");
        assert_says(&f, "did you mean \"Bastion\"");
        assert_eq!(f.fix().unwrap().edits[0].new_text, "Bastion");
    }

    #[test]
    fn ssh009_accepts_defined_aliases_dns_names_and_etc_hosts() {
        let findings = lint_files(&[
            (
                "/home/me/.ssh/config",
                "Host jump\n  HostName 10.0.0.1\nHost a\n  ProxyJump jump,gw.example.com,10.1.1.1,buildbox\nHost b\n  ProxyCommand ssh -W %h:%p jump\n",
            ),
            ("/etc/hosts", "127.0.0.1 localhost\n10.0.0.9 buildbox # lab\n"),
        ]);
        assert!(
            only(&findings, "SSH009").is_empty(),
            "{:?}",
            only(&findings, "SSH009")
        );
        let f = lint_one("Host b\n  ProxyCommand ssh -W %h:%p gatewy\n", "SSH009");
        assert!(f
            .message
            .starts_with("ProxyCommand goes through \"gatewy\""));
        assert_eq!(f.range().unwrap().start.character, 28);
    }

    #[test]
    fn ssh010_flags_a_two_host_jump_loop() {
        let findings = lint_text("Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n");
        let loops = only(&findings, "SSH010");
        assert_eq!(loops.len(), 2);
        assert_eq!(at(loops[0]), (1, 12, 13));
        assert_says(loops[0], "a → b → a");
    }

    #[test]
    fn ssh010_flags_a_host_star_jump_that_reaches_the_jump_host_itself() {
        let f = lint_one(
            "Host *\n  ProxyJump bastion\nHost bastion\n  ProxyJump none\n  HostName 10.0.0.1\n",
            "SSH010",
        );
        assert_eq!(f.range().unwrap().start.line, 1);
        assert_says(&f, "jumphost loop via bastion");
        let fixed = lint_text(
            "Host bastion\n  ProxyJump none\n  HostName 10.0.0.1\nHost *\n  ProxyJump bastion\n",
        );
        assert!(only(&fixed, "SSH010").is_empty());
    }
}
