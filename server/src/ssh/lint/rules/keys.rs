//! IdentityFile: keys that are missing, public instead of private, readable
//! by others, or of a type or size ssh refuses.

use crate::ssh::config::resolve::ConfigFs;
use std::path::{Path, PathBuf};

use crate::finding::{Edit, Finding, Severity};
use crate::ssh::config::keywords::Kind;
use crate::ssh::config::lexer::Arg;
use crate::ssh::config::source::SourceFile;
use crate::ssh::lint::rules::support::{
    command_fix, directives, edit_fix, keyword_of, line_text, local_path, show_path, span_finding,
};
use crate::ssh::lint::{span_range, LintContext, Platform};

/// ssh's default identity files (tried when no IdentityFile applies).
const DEFAULT_KEYS: &[&str] = &[
    "id_rsa",
    "id_ecdsa",
    "id_ecdsa_sk",
    "id_ed25519",
    "id_ed25519_sk",
    "id_xmss",
    "id_dsa",
];

/// One IdentityFile line whose path gord can work out.
pub(super) struct Identity<'c> {
    pub file: &'c SourceFile,
    pub line: usize,
    pub arg: &'c Arg,
    pub path: PathBuf,
}

impl Identity<'_> {
    /// A finding on the path as the line writes it.
    pub fn finding(&self, code: &'static str, severity: Severity, message: String) -> Finding {
        let span = self.arg.span.clone();
        span_finding(code, severity, self.file, self.line, span, message)
    }
}

pub(super) fn identities<'c>(ctx: &'c LintContext) -> Vec<Identity<'c>> {
    let mut out = Vec::new();
    for file in &ctx.files {
        for (line, d) in directives(file) {
            let is_identity = keyword_of(d).is_some_and(|k| k.kind == Kind::IdentityFile);
            if !is_identity {
                continue;
            }
            let Some(arg) = d.args.first() else {
                continue;
            };
            if arg.value.eq_ignore_ascii_case("none") {
                continue;
            }
            if let Some(path) = local_path(ctx, &arg.value) {
                out.push(Identity {
                    file,
                    line,
                    arg,
                    path,
                });
            }
        }
    }
    out
}

fn exists(ctx: &LintContext, path: &Path) -> bool {
    // Not `mode_and_owner`: Windows has no Unix mode, and its keys exist too.
    ctx.fs.exists(path)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut text = path.as_os_str().to_os_string();
    text.push(suffix);
    PathBuf::from(text)
}

fn is_default(ctx: &LintContext, path: &Path) -> bool {
    let dir = ctx.local.home.join(".ssh");
    DEFAULT_KEYS.iter().any(|name| dir.join(name) == path)
}

/// SSH011: an IdentityFile that does not exist.
pub fn missing_identity_file(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for id in identities(ctx) {
        if is_default(ctx, &id.path) || exists(ctx, &id.path) {
            continue;
        }
        // A public key alone is how agent-held keys (1Password, a token)
        // are selected: fine.
        if exists(ctx, &with_suffix(&id.path, ".pub")) {
            continue;
        }
        let shown = id.path.display();
        let message = format!(
            "IdentityFile {} does not exist ({shown}): unless the key is in your agent, ssh prints \"no such identity: {shown}: No such file or directory\" and goes on with other keys, so the server may answer \"Permission denied (publickey)\"",
            id.arg.value
        );
        out.push(id.finding(code, Severity::Warning, message));
    }
}

/// The edit removing `.pub` from the end of an argument as written.
fn drop_pub_suffix(file: &SourceFile, line: usize, arg: &Arg) -> Option<Edit> {
    let text = line_text(file, line);
    let raw = text.get(arg.span.clone())?;
    let quote = usize::from(raw.ends_with(['"', '\'']));
    let end = arg.span.end.checked_sub(quote)?;
    let start = end.checked_sub(4)?;
    (text.get(start..end)? == ".pub").then(|| Edit {
        path: file.path.clone(),
        range: span_range(file, line, start..end),
        new_text: String::new(),
    })
}

/// SSH012: an IdentityFile naming a `.pub` file.
pub fn public_key_as_identity(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    for id in identities(ctx) {
        let Some(private) = id
            .path
            .to_str()
            .and_then(|p| p.strip_suffix(".pub"))
            .map(PathBuf::from)
        else {
            continue;
        };
        let shown = id.path.display();
        if exists(ctx, &private) {
            let message = format!(
                "IdentityFile names the public key {}, while the private key {} is next to it: unless the key is in your agent, ssh tries to read the .pub file as a private key and fails with \"Load key \"{shown}\": invalid format\" (or \"bad permissions\"); name the private key",
                id.arg.value,
                show_path(ctx, &private)
            );
            let mut f = id.finding(code, Severity::Warning, message);
            f.fixes
                .extend(drop_pub_suffix(id.file, id.line, id.arg).and_then(|edit| {
                    edit_fix(
                        id.file,
                        format!("Use the private key {}", show_path(ctx, &private)),
                        vec![edit],
                        false,
                    )
                }));
            out.push(f);
        } else {
            let message = format!(
                "IdentityFile names the public key {}: that works only while the matching private key is in your agent (1Password, Secretive, a hardware token); otherwise ssh fails with \"Load key \"{shown}\": invalid format\"",
                id.arg.value
            );
            out.push(id.finding(code, Severity::Info, message));
        }
    }
}

/// SSH013: a private key others can read, which ssh refuses to use.
pub fn key_permissions(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    if ctx.platform == Platform::Windows {
        return;
    }
    for id in identities(ctx) {
        if id.path.to_str().is_some_and(|p| p.ends_with(".pub")) {
            continue;
        }
        let Some((mode, owner)) = ctx.fs.mode_and_owner(&id.path) else {
            continue;
        };
        if owner != ctx.local.uid || mode & 0o077 == 0 {
            continue;
        }
        let path = id.path.display().to_string();
        let message = format!(
            "ssh ignores this key: \"Permissions 0{:03o} for '{path}' are too open.\" (\"It is required that your private key files are NOT accessible by others. This private key will be ignored.\"); run chmod 600 on it",
            mode & 0o777
        );
        let mut f = id.finding(code, Severity::Error, message);
        f.fixes.extend(Some(command_fix(
            format!("Make {} readable only by you", show_path(ctx, &id.path)),
            vec![String::from("chmod"), String::from("600"), path],
            true,
        )));
        out.push(f);
    }
}

/// The type and, for RSA, the modulus size of a public key file's first key.
fn key_kind(text: &str) -> Option<(String, Option<usize>)> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let mut fields = line.split_whitespace();
    let kind = fields.next()?.to_string();
    if kind != "ssh-rsa" {
        return Some((kind, None));
    }
    let blob = base64_decode(fields.next()?)?;
    let mut rest = blob.as_slice();
    let name = take_string(&mut rest)?;
    if name != b"ssh-rsa" {
        return None;
    }
    let _exponent = take_string(&mut rest)?;
    let modulus = take_string(&mut rest)?;
    Some((kind, Some(bits(modulus))))
}

/// One SSH wire-format string (u32 length, bytes).
fn take_string<'b>(rest: &mut &'b [u8]) -> Option<&'b [u8]> {
    let len_bytes: [u8; 4] = rest.get(..4)?.try_into().ok()?;
    let len = usize::try_from(u32::from_be_bytes(len_bytes)).ok()?;
    let value = rest.get(4..4usize.checked_add(len)?)?;
    *rest = rest.get(4 + len..)?;
    Some(value)
}

/// The significant bits of a big-endian unsigned number.
fn bits(number: &[u8]) -> usize {
    let significant: Vec<u8> = number.iter().copied().skip_while(|b| *b == 0).collect();
    match significant.first() {
        None => 0,
        Some(top) => (significant.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut count = 0;
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        count += 1;
        if count == 4 {
            out.extend_from_slice(&buffer.to_be_bytes()[1..]);
            buffer = 0;
            count = 0;
        }
    }
    match count {
        1 => return None,
        2 => out.push((buffer >> 4) as u8),
        3 => {
            out.push((buffer >> 10) as u8);
            out.push((buffer >> 2) as u8);
        }
        _ => {}
    }
    Some(out)
}

/// SSH015: a DSA key, or an RSA key under 2048 bits.
pub fn weak_key(code: &'static str, ctx: &LintContext, out: &mut Vec<Finding>) {
    let dss_allowed = ctx.files.iter().any(|f| {
        directives(f).any(|(_, d)| {
            (d.keyword.contains("acceptedalgorithms") || d.keyword.contains("keytypes"))
                && d.rest.contains("ssh-dss")
        })
    });
    for id in identities(ctx) {
        let public = if id.path.to_str().is_some_and(|p| p.ends_with(".pub")) {
            id.path.clone()
        } else {
            with_suffix(&id.path, ".pub")
        };
        let Ok(bytes) = ctx.fs.read(&public) else {
            continue;
        };
        let Some((kind, size)) = key_kind(&String::from_utf8_lossy(&bytes)) else {
            continue;
        };
        let shown = show_path(ctx, &id.path);
        let (severity, message) = match (kind.as_str(), size) {
            ("ssh-dss", _) => (
                if dss_allowed { Severity::Warning } else { Severity::Error },
                format!(
                    "{shown} is a DSA (ssh-dss) key: OpenSSH 7.0 stopped offering DSA keys by default and OpenSSH 10.0 removed DSA entirely, so ssh skips it (ssh -v: \"Skipping ssh-dss key {} - corresponding algo not in PubkeyAcceptedAlgorithms\"); make an Ed25519 key with ssh-keygen -t ed25519 and install it on your servers",
                    id.path.display()
                ),
            ),
            ("ssh-rsa", Some(n)) if n < 1024 => (
                Severity::Error,
                format!(
                    "{shown} is a {n}-bit RSA key: ssh refuses RSA keys under 1024 bits (RequiredRSASize defaults to 1024) with \"load pubkey \"{}\": Invalid key length\" and never offers it; make an Ed25519 key with ssh-keygen -t ed25519",
                    id.path.display()
                ),
            ),
            ("ssh-rsa", Some(n)) if n < 2048 => (
                Severity::Warning,
                format!(
                    "{shown} is a {n}-bit RSA key: too weak by current guidance (NIST SP 800-131A disallows RSA under 2048 bits), and servers or clients with RequiredRSASize 2048 refuse it; make an Ed25519 key with ssh-keygen -t ed25519"
                ),
            ),
            _ => continue,
        };
        out.push(id.finding(code, severity, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{assert_says, columns, lint_files, lint_modes, one, only};

    const RSA_1024: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDqs68H5i7xkcsFtuoheIjBIbOKg1tYWrioiO+AtiITn5eZGQJXwzaUZq19Xn9Sh+qjDlJSWH2bCmVCocK7bXmpxYlGxy0XQs69v8maTAzmqUJ8AN22p+3rlCcC1LYzU3gQ1LJJ4Rs8DUWcRbccZ9nvwLWgCI4CgzeDbgF+ziu2WQ== t\n";
    const RSA_512: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAQQDBERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERER\n";

    /// Lints a config of one block, `Host a`, with an IdentityFile line for
    /// each of `identities`, while `files` (path, text) exist.
    fn lint_identities(identities: &[&str], files: &[(&str, &str)]) -> Vec<Finding> {
        let config: String = std::iter::once(String::from("Host a\n"))
            .chain(identities.iter().map(|id| format!("  IdentityFile {id}\n")))
            .collect();
        let mut all = vec![("/home/me/.ssh/config", config.as_str())];
        all.extend_from_slice(files);
        lint_files(&all)
    }

    #[test]
    fn ssh011_flags_a_missing_identity_file() {
        let findings = lint_identities(&["~/.ssh/work_key", "~/.ssh/id_rsa"], &[]);
        // ~/.ssh/id_rsa is one of the keys ssh tries anyway: not reported.
        let f = one(&findings, "SSH011");
        assert_eq!(columns(f), (15, 30));
        assert_says(
            f,
            "no such identity: /home/me/.ssh/work_key: No such file or directory",
        );
    }

    #[test]
    fn ssh011_accepts_existing_keys_agent_keys_and_tokens() {
        let findings = lint_identities(
            &["~/.ssh/k1", "%d/.ssh/agentkey", "~/.ssh/%h"],
            &[
                ("/home/me/.ssh/k1", "key"),
                ("/home/me/.ssh/agentkey.pub", "ssh-ed25519 AAAA"),
            ],
        );
        assert!(only(&findings, "SSH011").is_empty());
    }

    #[test]
    fn ssh012_flags_a_pub_file_next_to_its_private_key_with_a_fix() {
        let findings = lint_identities(
            &["\"~/.ssh/k.pub\""],
            &[
                ("/home/me/.ssh/k", "key"),
                ("/home/me/.ssh/k.pub", "ssh-ed25519 AAAA"),
            ],
        );
        let f = only(&findings, "SSH012")[0];
        assert_eq!(f.severity, Severity::Warning);
        assert_says(f, "invalid format");
        let edit = &f.fix().unwrap().edits[0];
        assert_eq!(edit.new_text, "");
        assert_eq!(
            (edit.range.start.character, edit.range.end.character),
            (24, 28)
        );
        let agent = lint_identities(
            &["~/.ssh/op.pub"],
            &[("/home/me/.ssh/op.pub", "ssh-ed25519 AAAA")],
        );
        assert_eq!(only(&agent, "SSH012")[0].severity, Severity::Info);
    }

    #[test]
    fn ssh013_flags_a_private_key_readable_by_others() {
        let findings = lint_modes(&[
            (
                "/home/me/.ssh/config",
                "Host a\n  IdentityFile ~/.ssh/k\n",
                0o600,
            ),
            ("/home/me/.ssh/k", "key", 0o644),
        ]);
        let f = only(&findings, "SSH013")[0];
        assert_says(
            f,
            "\"Permissions 0644 for '/home/me/.ssh/k' are too open.\"",
        );
        let fix = f.fix().unwrap();
        assert_eq!(
            fix.command.as_deref().unwrap(),
            ["chmod", "600", "/home/me/.ssh/k"]
        );
        assert!(fix.safe);
        let ok = lint_modes(&[
            (
                "/home/me/.ssh/config",
                "Host a\n  IdentityFile ~/.ssh/k\n",
                0o600,
            ),
            ("/home/me/.ssh/k", "key", 0o400),
        ]);
        assert!(only(&ok, "SSH013").is_empty());
    }

    #[test]
    fn ssh015_flags_dsa_and_short_rsa_keys() {
        let findings = lint_identities(
            &["~/.ssh/old_dsa", "~/.ssh/small", "~/.ssh/tiny"],
            &[
                ("/home/me/.ssh/old_dsa", "key"),
                (
                    "/home/me/.ssh/old_dsa.pub",
                    "ssh-dss AAAAB3NzaC1kc3MAAACBANik t\n",
                ),
                ("/home/me/.ssh/small", "key"),
                ("/home/me/.ssh/small.pub", RSA_1024),
                ("/home/me/.ssh/tiny", "key"),
                ("/home/me/.ssh/tiny.pub", RSA_512),
            ],
        );
        let weak = only(&findings, "SSH015");
        assert_eq!(weak.len(), 3, "{weak:#?}");
        assert_eq!(weak[0].severity, Severity::Error);
        assert_says(weak[0], "DSA (ssh-dss)");
        assert_eq!(weak[1].severity, Severity::Warning);
        assert_says(weak[1], "1024-bit RSA");
        assert_eq!(weak[2].severity, Severity::Error);
        assert_says(weak[2], "512-bit RSA");
        assert_says(weak[2], "Invalid key length");
    }

    #[test]
    fn key_parsing_survives_garbage() {
        assert_eq!(key_kind("ssh-rsa !!!"), None);
        assert_eq!(key_kind("ssh-rsa AAAA"), None);
        assert_eq!(key_kind(""), None);
        assert_eq!(
            key_kind("ssh-ed25519 AAAA x"),
            Some((String::from("ssh-ed25519"), None))
        );
        assert_eq!(bits(&[0, 0x01, 0xff]), 9);
    }
}
