//! Rules about keywords themselves: unknown, misspelt, deprecated.

use crate::ssh::config::keywords::{lookup, suggest};
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::lint::{span_range, LintContext, LintFinding, Rule, Severity, SshFix, TextEdit};

/// SSH001: a keyword OpenSSH does not know. ssh stops with "Bad configuration
/// option" and refuses to connect to any host.
pub struct UnknownKeyword;

impl Rule for UnknownKeyword {
    fn code(&self) -> &'static str {
        "SSH001"
    }

    fn title(&self) -> &'static str {
        "Unknown keyword"
    }

    fn check(&self, ctx: &LintContext, out: &mut Vec<LintFinding>) {
        for file in &ctx.files {
            for line in &file.lines {
                let LineSyntax::Directive(d) = &line.syntax else {
                    continue;
                };
                if lookup(&d.keyword).is_some() {
                    continue;
                }
                let written = &file.line_text(line)[d.keyword_span.clone()];
                let range = span_range(file, line.index, d.keyword_span.clone());
                let suggestion = suggest(&d.keyword);
                let mut message = format!(
                    "Unknown keyword \"{written}\": ssh stops with \"Bad configuration option: {}\" and connects to no host",
                    d.keyword
                );
                if let Some(name) = suggestion {
                    message.push_str(&format!("; did you mean \"{name}\"?"));
                }
                let fix = suggestion.map(|name| SshFix {
                    title: format!("Change to {}", camel(name)),
                    edits: vec![TextEdit {
                        file: file.path.clone(),
                        range,
                        new_text: camel(name),
                    }],
                    command: None,
                    safe: true,
                });
                out.push(LintFinding {
                    code: self.code(),
                    severity: Severity::Error,
                    file: file.path.clone(),
                    range,
                    message,
                    fix,
                });
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
    use crate::ssh::lint::tests::lint_text;

    #[test]
    fn ssh001_flags_an_unknown_keyword_with_a_did_you_mean_fix() {
        let findings = lint_text("Host a\n  ServerAliveInterva 30\n");
        let f = findings.iter().find(|f| f.code == "SSH001").unwrap();
        assert_eq!(f.range.start.line, 1);
        assert_eq!((f.range.start.character, f.range.end.character), (2, 20));
        assert!(f
            .message
            .contains("Bad configuration option: serveraliveinterva"));
        assert!(f.message.ends_with("did you mean \"serveraliveinterval\"?"));
        let fix = f.fix.as_ref().unwrap();
        assert_eq!(fix.edits[0].new_text, "ServerAliveInterval");
        assert!(fix.safe);
    }

    #[test]
    fn camel_case_spells_keywords_conventionally() {
        assert_eq!(camel("serveraliveinterval"), "ServerAliveInterval");
        assert_eq!(camel("hostname"), "HostName");
        assert_eq!(camel("identityfile"), "IdentityFile");
        assert_eq!(camel("proxyjump"), "ProxyJump");
    }
}
