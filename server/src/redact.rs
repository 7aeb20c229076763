//! Keeps secrets out of logs and reports. The one place that knows what a
//! secret looks like; every finding, fix title, diff and report that can
//! quote a config line, an environment value or a command goes through
//! [`secrets`]. What it hides (each value becomes `***`):
//!
//! - credentials in URLs: `scheme://user:pass@host` → `scheme://***@host`;
//! - the password of `sshpass -p PASS` / `-pPASS` and `--password[=| ]PASS`;
//! - the credentials of an `Authorization:`/`Proxy-Authorization:` header
//!   (the scheme word stays: `Authorization: Bearer ***`), of any
//!   `Bearer TOKEN`, and the value of `Cookie:`, `X-Api-Key:`,
//!   `Private-Token:` headers;
//! - the value of `NAME=VALUE` (also `SetEnv NAME=VALUE`, `--name=VALUE`)
//!   when NAME looks secret: it contains `token`, `secret`, `passw`,
//!   `credential`, `apikey`/`api_key`, `auth`, `cookie`, `session`,
//!   `private`, or has a word `key`, `pass`, `pwd` or `pat`;
//! - every value of a linker `-X importpath.name=VALUE` (GOFLAGS'
//!   `-ldflags`), where builds bake credentials in.
//!
//! A value ends at whitespace or at the quote that opened it.

/// Replaces the user-info part of every `scheme://user:pass@host` in `text`
/// with `***`, so `https://tok@proxy.corp/` reads `https://***@proxy.corp/`.
/// Works on lists such as GOPROXY (`,` and `|` separated) and free text.
pub fn redact_url_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        // The authority ends at the first of these; user-info ends at its last '@'.
        let authority_end = after
            .find(|c: char| {
                matches!(
                    c,
                    '/' | ',' | '|' | '?' | '#' | '\'' | '"' | '`' | '<' | '>'
                ) || c.is_whitespace()
            })
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority.rfind('@') {
            Some(at_sign) => {
                out.push_str("***");
                out.push_str(&authority[at_sign..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    out
}

const MASK: &str = "***";

/// `text` with every secret listed in the module docs replaced by `***`.
///
/// Masking can uncover another secret: a URL whose authority ran into the
/// next URL hides that one until the first is masked. So the masking is
/// repeated until nothing changes, and the result is a fixed point (each
/// pass that changes the text masks at least one character; the bound is a
/// backstop, never reached in practice).
pub fn secrets(text: &str) -> String {
    const MAX_PASSES: usize = 16;
    let mut current = secrets_once(text);
    // Unchanged by a pass is the fixed point: another pass would find the same.
    if current == text {
        return current;
    }
    for _ in 1..MAX_PASSES {
        let next = secrets_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn secrets_once(text: &str) -> String {
    let text = redact_url_credentials(text);
    let words = tokens(&text);
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut sshpass = false;
    let mut after_linker_x = false;
    // One buffer for every word's lower case (a message has hundreds).
    let mut lower = String::new();
    for (i, word) in words.iter().enumerate() {
        let value = &text[word.clone()];
        lower.clear();
        lower.push_str(value);
        lower.make_ascii_lowercase();
        let next = words.get(i + 1).cloned();
        if sshpass && lower == "-p" {
            spans.extend(next.clone());
        } else if sshpass && lower.starts_with("-p") && value.len() > 2 {
            spans.push(word.start + 2..word.end);
        }
        // Checked after the password forms above, so a word that is both
        // (`-pass=sshpass`) is masked on the first pass, not the second.
        if lower.ends_with("sshpass") {
            sshpass = true;
        }
        if lower == "--password" || lower == "-password" || lower == "--passwd" {
            spans.extend(next.clone());
        }
        if lower == "bearer" || lower == "basic" || lower == "token" || lower == "digest" {
            // Only a scheme after an Authorization header, or Bearer anywhere.
            let header_before = i > 0 && is_auth_header(&text[words[i - 1].clone()]);
            if lower == "bearer" || header_before {
                spans.extend(next.clone());
            }
        } else if is_auth_header(value) {
            // `Authorization: TOKEN` without a scheme word.
            if let Some(n) = next.clone() {
                let scheme = text[n.clone()].to_ascii_lowercase();
                if !matches!(scheme.as_str(), "bearer" | "basic" | "token" | "digest") {
                    spans.push(n);
                }
            }
        } else if is_secret_header(value) {
            spans.extend(next.clone());
        }
        // `-X name=value` and `-X=name=value` inside -ldflags.
        // Searched for only in words with a `=` (a searcher per word is dear).
        let body_at = if lower.contains('=') {
            lower
                .find("-ldflags=")
                .map_or(0, |at| at + "-ldflags=".len())
        } else {
            0
        };
        let body = &lower[body_at..];
        if let Some(rest) = body.strip_prefix("-x=") {
            if let Some(eq) = rest.find('=') {
                spans.push(word.start + body_at + 3 + eq + 1..word.end);
            }
        } else if let Some(eq) = value.find('=') {
            if after_linker_x || is_secret_name(&value[..eq]) {
                spans.push(word.start + eq + 1..word.end);
            }
        }
        after_linker_x = body == "-x";
    }
    if spans.is_empty() {
        return text;
    }
    spans.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        if span.start < at || span.is_empty() {
            continue;
        }
        out.push_str(&text[at..span.start]);
        out.push_str(MASK);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Byte ranges of the words of `text`: split at whitespace, quotes and the
/// commas and semicolons that separate list items, so a quoted value ends at
/// its quote.
fn tokens(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let separator = c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ',' | ';');
        match (separator, start) {
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// The lower-case name of an HTTP header written `Name:`; a word such as
/// `key:` or `/path/work_key:` in prose is not one.
fn header_name(word: &str) -> Option<String> {
    let name = word.strip_suffix(':')?;
    let plausible = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    plausible.then(|| name.to_ascii_lowercase())
}

fn is_auth_header(word: &str) -> bool {
    matches!(
        header_name(word).as_deref(),
        Some("authorization" | "proxy-authorization")
    )
}

fn is_secret_header(word: &str) -> bool {
    // One-word names (`Key:`, `Token:`) are too common in prose to count.
    header_name(word)
        .is_some_and(|name| name == "cookie" || (name.contains('-') && is_secret_name(&name)))
}

/// Whether a variable, option or header name suggests its value is secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.trim_start_matches('-');
    if name.is_empty() {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    const PARTS: [&str; 10] = [
        "token",
        "secret",
        "passw",
        "credential",
        "apikey",
        "api_key",
        "auth",
        "cookie",
        "session",
        "private",
    ];
    if PARTS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // Short words only as whole words: `PATH` is not a `PAT`.
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w, "key" | "pass" | "pwd" | "pat"))
}

/// True when `text` holds a URL with credentials in it.
pub fn has_url_credentials(text: &str) -> bool {
    redact_url_credentials(text) != text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_word_that_ends_in_sshpass_is_masked_on_the_first_pass() {
        // Found by the fuzzer: masking `-pass=sshpass` once must leave
        // nothing for a second pass to hide.
        let once = secrets("x/sshpass -pass=sshpass");
        assert_eq!(once, "x/sshpass -p***");
        assert_eq!(secrets(&once), once);
        let text = ":sshpass -pX -pass[2=44 -p y";
        let once = secrets(text);
        assert_eq!(secrets(&once), once);
    }

    #[test]
    fn a_url_uncovered_by_masking_its_neighbour_is_masked_too() {
        // Found by the fuzzer: the first URL's authority runs to the second's
        // `//`, so the second is seen only once the first value is masked.
        let text = "private=x://@a;;://@b/c";
        let once = secrets(text);
        assert_eq!(once, "private=***;;://***@b/c");
        assert_eq!(secrets(&once), once);
    }

    #[test]
    fn hides_tokens_and_passwords_in_urls() {
        assert_eq!(
            redact_url_credentials("https://user:s3cret@proxy.corp.example/go,direct"),
            "https://***@proxy.corp.example/go,direct"
        );
        assert_eq!(
            redact_url_credentials("https://ghp_TOKEN@goproxy.example|https://proxy.golang.org"),
            "https://***@goproxy.example|https://proxy.golang.org"
        );
    }

    #[test]
    fn leaves_urls_without_credentials_alone() {
        for text in [
            "https://proxy.golang.org,direct",
            "off",
            "file:///srv/proxy",
            "",
            "git@github.com:x/y",
        ] {
            assert_eq!(redact_url_credentials(text), text);
            assert!(!has_url_credentials(text));
        }
    }

    fn hidden(text: &str, secret: &str) -> String {
        let redacted = secrets(text);
        assert!(!redacted.contains(secret), "{secret} left in {redacted}");
        redacted
    }

    #[test]
    fn hides_ssh_config_secrets() {
        assert_eq!(
            hidden(
                "ProxyCommand sshpass -p hunter2 ssh -W %h:%p jump",
                "hunter2"
            ),
            "ProxyCommand sshpass -p *** ssh -W %h:%p jump"
        );
        assert_eq!(
            hidden(
                "ProxyCommand /usr/bin/sshpass -phunter2 ssh jump",
                "hunter2"
            ),
            "ProxyCommand /usr/bin/sshpass -p*** ssh jump"
        );
        assert_eq!(
            hidden("SetEnv API_TOKEN=abc123 LANG=C", "abc123"),
            "SetEnv API_TOKEN=*** LANG=C"
        );
        assert_eq!(
            hidden(
                r#"LocalCommand curl -H "Authorization: Bearer tok-42" https://x"#,
                "tok-42"
            ),
            r#"LocalCommand curl -H "Authorization: Bearer ***" https://x"#
        );
        hidden(
            "RemoteCommand curl -H 'Authorization: Basic dXNlcjpw' x",
            "dXNlcjpw",
        );
        hidden("RemoteCommand curl -H 'Authorization: sekrit' x", "sekrit");
        hidden("RemoteCommand curl -H 'X-Api-Key: k3y' x", "k3y");
        hidden("mysql --password s3cret", "s3cret");
        hidden(
            "curl -H 'Private-Token: glpat1' -H 'Cookie: sid=c00k'",
            "glpat1",
        );
        hidden("curl -H 'Cookie: c00k'", "c00k");
        hidden("SetEnv DB_PASS=pw1", "pw1");
        hidden("ProxyCommand ssh -W %h:%p https://u:pw9@x", "pw9");
    }

    #[test]
    fn is_idempotent_where_a_url_meets_a_quote() {
        // Found by the fuzzer: the authority once ran past a closing quote.
        let text = "2'cookie://'\0@\x01e=//'\0@\x01\0\0C";
        let once = secrets(text);
        assert_eq!(secrets(&once), once);
        assert_eq!(
            redact_url_credentials("'https://u:p@h' x@y"),
            "'https://***@h' x@y"
        );
    }

    #[test]
    fn hides_linker_injected_strings() {
        assert_eq!(
            hidden("-ldflags=-X main.token=s3cr3t", "s3cr3t"),
            "-ldflags=-X main.token=***"
        );
        assert_eq!(
            hidden("-mod=mod '-ldflags=-X main.build=v1 -X=main.k=v2'", "v1"),
            "-mod=mod '-ldflags=-X main.build=*** -X=main.k=***'"
        );
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for text in [
            "Host work\n  HostName 10.0.0.1",
            "PATH=/usr/bin GOFLAGS=-mod=mod",
            "Unknown keyword \"Hostnme\"",
            "go.mod requires go >= 1.99",
            "SetEnv LANG=C.UTF-8 TERM=xterm",
            "ssh ignores this key: \"Permissions 0644 for '/k' are too open.\"",
            "no such identity: /home/me/.ssh/work_key: No such file or directory",
        ] {
            assert_eq!(secrets(text), text);
        }
    }

    #[test]
    fn redacts_every_url_in_free_text() {
        let text = "GOPROXY=https://a:b@one.example GONOSUMDB=x https://c@two.example/path";
        let redacted = redact_url_credentials(text);
        assert!(
            !redacted.contains("a:b") && !redacted.contains("c@"),
            "{redacted}"
        );
        assert!(
            redacted.contains("https://***@one.example")
                && redacted.contains("https://***@two.example/path")
        );
    }
}
