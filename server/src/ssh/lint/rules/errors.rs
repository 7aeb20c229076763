//! Lines ssh rejects: broken syntax, values OpenSSH refuses, `%` tokens it
//! cannot expand. Each of these stops ssh before it connects.

use std::collections::BTreeMap;

use crate::finding::{Finding, Severity};
use crate::ssh::config::blocks::blocks;
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::lint::rules::support::{
    block_at, directives, final_pass_only, line_text, origin_path, place, probe_hosts,
    span_finding, value_finding,
};
use crate::ssh::lint::LintContext;
use crate::ssh::release::history;

/// SSH024: a line OpenSSH cannot split (no value, unbalanced quotes).
pub fn syntax_error(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        for line in &file.lines {
            let LineSyntax::Error { message, span } = &line.syntax else {
                continue;
            };
            let advice = if message.starts_with("no argument") {
                "give the keyword a value, or remove the line"
            } else {
                "close the quote, or escape a literal quote as \\\""
            };
            let text = format!(
                "ssh stops with \"{}: {message}\" and connects to no host (it reads every line, even in blocks that do not apply); {advice}",
                place(ctx, &file.path, line.index)
            );
            let span = span.clone();
            out.push(span_finding(
                code,
                Severity::Error,
                file,
                line.index,
                span,
                text,
            ));
        }
    }
}

/// SSH025: a value OpenSSH rejects (bad port, unknown choice, a Match it
/// cannot parse, include loops...): every such error ssh prints is a finding.
pub fn rejected_value(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    // (file index, line) -> messages, in order, once each.
    let mut found: BTreeMap<(usize, usize), Vec<String>> = BTreeMap::new();
    for host in probe_hosts(ctx) {
        let r = ctx.resolved(&host);
        for error in &r.errors {
            let Some(origin) = error.origin else {
                continue;
            };
            // Covered by their own rules: SSH001, SSH014, SSH024, SSH030.
            if error.message.starts_with("Bad configuration option")
                || error.message.starts_with("vdollar_percent_expand:")
                || error.message.starts_with("Bad owner or permissions")
                || newer_criterion(&error.message)
                || (error.message == "Bad Match condition"
                    && r.errors
                        .iter()
                        .any(|e| e.origin == error.origin && newer_criterion(&e.message)))
            {
                continue;
            }
            let Some(path) = origin_path(&r, origin) else {
                continue;
            };
            let Some(index) = ctx.files.iter().position(|f| f.path == path) else {
                continue;
            };
            let syntax_error = ctx
                .files
                .get(index)
                .and_then(|f| f.lines.get(origin.line))
                .is_some_and(|l| matches!(l.syntax, LineSyntax::Error { .. }));
            if syntax_error {
                continue;
            }
            let messages = found.entry((index, origin.line)).or_default();
            if !messages.contains(&error.message) {
                messages.push(error.message.clone());
            }
        }
    }
    for ((index, line), messages) in found {
        let Some(file) = ctx.files.get(index) else {
            continue;
        };
        let Some(d) = crate::ssh::config::blocks::directive(file, line) else {
            continue;
        };
        let quoted = messages
            .iter()
            .map(|m| format!("\"{}: {m}\"", place(ctx, &file.path, line)))
            .collect::<Vec<_>>()
            .join(" and ");
        let text = format!(
            "ssh rejects this line with {quoted} and stops before connecting to any host (it checks every line, even in blocks that do not apply)"
        );
        out.push(value_finding(code, Severity::Error, file, line, d, text));
    }
}

/// "Unsupported Match attribute X" for a criterion a later release added:
/// SSH033 says which.
fn newer_criterion(message: &str) -> bool {
    message
        .strip_prefix("Unsupported Match attribute ")
        .is_some_and(|name| {
            crate::ssh::release::history::CRITERIA_ADDED
                .iter()
                .any(|a| a.name == name)
        })
}

const CONNECTION_TOKENS: &str = "CdhikLlnpru";

/// Which `%` tokens a keyword's value may use (ssh_config(5) TOKENS), and
/// whether the whole rest of the line is expanded (commands) or each
/// argument.
fn tokens_for(keyword: &str) -> Option<(&'static str, bool)> {
    Some(match keyword {
        "certificatefile" | "controlpath" | "identityagent" | "identityfile"
        | "userknownhostsfile" | "localforward" | "remoteforward" => (CONNECTION_TOKENS, false),
        "remotecommand" => (CONNECTION_TOKENS, true),
        "knownhostscommand" => ("CdhikLlnprufHIKt", true),
        "localcommand" => ("CdhikLlnprufHIKtT", true),
        "proxycommand" | "proxyjump" => ("hnpr", true),
        "hostname" => ("h", false),
        _ => return None,
    })
}

/// SSH030: a `%` token the keyword does not accept, or a lone `%` at the end.
pub fn unknown_token(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for file in &ctx.files {
        let all = blocks(file);
        for (line, d) in directives(file) {
            // Include paths expand the connection's tokens from 9.9.
            let include_tokens = d.keyword == "include"
                && ctx.ssh.semantics.release >= crate::ssh::release::Release::new(9, 9, 0);
            let Some((allowed, whole_line)) = tokens_for(&d.keyword)
                .or_else(|| include_tokens.then_some((CONNECTION_TOKENS, false)))
            else {
                continue;
            };
            // ssh sets HostName before its final pass and the first value
            // wins: a HostName only that pass could set is never expanded.
            if d.keyword == "hostname"
                && block_at(&all, line).is_some_and(|b| final_pass_only(file, b))
            {
                continue;
            }
            let spans = if whole_line {
                vec![d.rest_span.clone()]
            } else {
                d.args
                    .iter()
                    .filter(|a| {
                        !matches!(d.keyword.as_str(), "localforward" | "remoteforward")
                            || a.value.contains('/')
                    })
                    .map(|a| a.span.clone())
                    .collect()
            };
            let text = line_text(file, line);
            for span in spans {
                let Some(raw) = text.get(span.clone()) else {
                    continue;
                };
                let mut chars = raw.char_indices().peekable();
                while let Some((at, c)) = chars.next() {
                    if c != '%' {
                        continue;
                    }
                    let start = span.start + at;
                    let (problem, end) = match chars.next() {
                        Some((_, '%')) => continue,
                        Some((_, t)) if allowed.contains(t) => continue,
                        // %j: where the connection tokens are, from 9.6.
                        Some((_, 'j'))
                            if allowed.contains('C')
                                && history::token("j", ctx.ssh.semantics, false)
                                    == history::Knows::Yes =>
                        {
                            continue
                        }
                        Some((next_at, t)) => (
                            format!("unknown key %{t}"),
                            span.start + next_at + t.len_utf8(),
                        ),
                        None => (String::from("invalid format"), start + 1),
                    };
                    let list = allowed
                        .chars()
                        .map(|t| format!("%{t}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let mut message = format!(
                        "ssh stops with \"vdollar_percent_expand: {problem}\" when it expands this {}: it accepts only %% {list}; write %% for a literal %",
                        crate::ssh::lint::rules::keywords::camel(&d.keyword)
                    );
                    if problem == "unknown key %j" && allowed.contains('C') {
                        message.push_str(&format!(
                            " (%j needs OpenSSH 9.6; this is {})",
                            ctx.ssh.reported.unwrap_or(ctx.ssh.semantics)
                        ));
                    }
                    let span = start..end;
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
}

#[cfg(test)]
mod tests {
    use crate::ssh::lint::tests::{assert_says, at, columns, lint_one, lint_text, only};

    #[test]
    fn ssh024_flags_a_keyword_without_a_value_and_unbalanced_quotes() {
        // (config, where the finding is, what the message quotes)
        let cases = [
            (
                "Host a\n  User\n",
                (1, 2, 6),
                "\"~/.ssh/config line 2: no argument after keyword \"user\"\"",
            ),
            (
                "IdentityFile \"~/.ssh/my key\n",
                (0, 13, 27),
                "invalid quotes",
            ),
        ];
        for (text, place, says) in cases {
            let f = lint_one(text, "SSH024");
            assert_eq!(at(&f), place);
            assert_says(&f, says);
        }
    }

    #[test]
    fn ssh025_reports_every_value_ssh_rejects_on_its_line() {
        let findings = lint_text("Host a\n  Port abc\nHost b\n  StrictHostKeyChecking maybe\n");
        let rejected = only(&findings, "SSH025");
        let on_line = |line| {
            rejected
                .iter()
                .find(|f| f.range().unwrap().start.line == line)
                .unwrap()
        };
        let port = on_line(1);
        assert_says(port, "Bad port 'abc'.");
        assert_eq!(columns(port), (7, 10));
        assert!(on_line(3).message.contains("unsupported option \"maybe\"."));
        assert!(!rejected
            .iter()
            .any(|f| f.message.contains("Bad configuration option")));
    }

    #[test]
    fn ssh025_reports_a_bad_match_once() {
        let f = lint_one("Match colour blue\n  User x\n", "SSH025");
        assert_says(&f, "Unsupported Match attribute colour");
        assert_says(&f, "Bad Match condition");
    }

    #[test]
    fn ssh030_flags_a_token_the_keyword_does_not_accept() {
        // (config, where the finding is, what the message says)
        let cases: [(&str, _, &[&str]); 2] = [
            (
                "Host *\n  ControlPath ~/.ssh/cm-%z\n  ProxyCommand nc %h %p\n",
                (1, 24, 26),
                &["unknown key %z"],
            ),
            (
                "Host a\n  ProxyCommand ssh -W %h:%p %C\n",
                (1, 28, 30),
                &["unknown key %C", "%h %n %p %r"],
            ),
        ];
        for (text, place, says) in cases {
            let f = lint_one(text, "SSH030");
            assert_eq!(at(&f), place);
            for words in says {
                assert_says(&f, words);
            }
        }
    }

    #[test]
    fn ssh030_leaves_a_hostname_that_only_the_final_pass_could_set() {
        // ssh fixes HostName before the final pass (the first value wins), so
        // a HostName under `Match final` or `Match canonical` is never
        // expanded and its tokens never fail.
        for text in [
            "Match final\n  HostName %C.example.com\n",
            "Match host web final\n  HostName %C\n",
            "Match canonical host *.corp\n  HostName %C\n",
        ] {
            assert!(only(&lint_text(text), "SSH030").is_empty(), "{text}");
        }
        // The same line elsewhere is expanded, and so are other keywords
        // under `Match final`. (config, the lines flagged)
        let cases: [(&str, &[u32]); 4] = [
            ("Match host web\n  HostName %C\n", &[1]),
            ("Match !final\n  HostName %C\n", &[1]),
            ("Match host final\n  HostName %C\n", &[1]),
            (
                "Match final\n  ControlPath ~/.ssh/%z\nHost a\n  HostName %C\n",
                &[1, 3],
            ),
        ];
        for (text, lines) in cases {
            let findings = lint_text(text);
            let found: Vec<u32> = only(&findings, "SSH030")
                .iter()
                .map(|f| f.range().unwrap().start.line)
                .collect();
            assert_eq!(found, lines, "{text}");
        }
    }
}
