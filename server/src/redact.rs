//! Keeps secrets out of logs and reports: credentials in URLs become `***`.

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
            .find(|c: char| matches!(c, '/' | ',' | '|' | '?' | '#') || c.is_whitespace())
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

/// True when `text` holds a URL with credentials in it.
pub fn has_url_credentials(text: &str) -> bool {
    redact_url_credentials(text) != text
}

#[cfg(test)]
mod tests {
    use super::*;

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
