//! OpenSSH's wildcard matching (match.c): `*` and `?` only, case-sensitive,
//! and comma-separated lists with `!` negation.

/// `match_pattern`: does `text` match the whole of `pattern`?
pub fn match_pattern(text: &str, pattern: &str) -> bool {
    match_bytes(text.as_bytes(), pattern.as_bytes())
}

fn match_bytes(mut s: &[u8], mut p: &[u8]) -> bool {
    // Iterative with one backtrack point: linear enough for hostile input.
    let mut star: Option<(&[u8], &[u8])> = None;
    loop {
        match p.first() {
            Some(b'*') => {
                while p.first() == Some(&b'*') {
                    p = &p[1..];
                }
                if p.is_empty() {
                    return true;
                }
                star = Some((p, s));
            }
            Some(&c) if !s.is_empty() && (c == b'?' || c == s[0]) => {
                p = &p[1..];
                s = &s[1..];
            }
            None if s.is_empty() => return true,
            _ => match star {
                Some((sp, ss)) if !ss.is_empty() => {
                    let ss = &ss[1..];
                    star = Some((sp, ss));
                    p = sp;
                    s = ss;
                }
                _ => return false,
            },
        }
    }
}

/// Result of matching a list such as `*.example.com,!bastion.example.com`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMatch {
    /// A negated entry matched: the whole list fails.
    Negated,
    Matched,
    NoMatch,
}

/// `match_pattern_list`; `lowercase_patterns` lowers the patterns first.
pub fn match_pattern_list(text: &str, list: &str, lowercase_patterns: bool) -> ListMatch {
    let bytes = list.as_bytes();
    let mut positive = false;
    let mut i = 0;
    // Walked like match.c: an empty list matches nothing, a trailing comma
    // adds no entry, and an over-long entry fails the whole list.
    while i < bytes.len() {
        let negated = bytes[i] == b'!';
        if negated {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i] != b',' {
            i += 1;
        }
        let entry = &list[start..i];
        if entry.len() >= 1023 {
            return ListMatch::NoMatch;
        }
        if i < bytes.len() {
            i += 1;
        }
        let lowered;
        let pattern = if lowercase_patterns {
            lowered = entry.to_ascii_lowercase();
            lowered.as_str()
        } else {
            entry
        };
        if match_pattern(text, pattern) {
            if negated {
                return ListMatch::Negated;
            }
            positive = true;
        }
    }
    if positive {
        ListMatch::Matched
    } else {
        ListMatch::NoMatch
    }
}

/// `match_hostname`: the host lowercased against a lowercased list.
pub fn match_hostname(host: &str, list: &str) -> ListMatch {
    match_pattern_list(&host.to_ascii_lowercase(), list, true)
}

/// Whether a pattern has wildcards (and so matches more than one name).
pub fn has_wildcards(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks_match_like_openssh() {
        assert!(match_pattern("web1.example.com", "*.example.com"));
        assert!(match_pattern("web1", "web?"));
        assert!(!match_pattern("web10", "web?"));
        assert!(match_pattern("", "*"));
        assert!(match_pattern("abc", "a**c"));
        assert!(match_pattern("aXbXc", "a*b*c"));
        assert!(!match_pattern("Web1", "web*"), "case-sensitive");
        assert!(!match_pattern("abc", ""));
        assert!(match_pattern("", ""));
    }

    #[test]
    fn hostile_patterns_stay_fast() {
        let text = "a".repeat(5000);
        let pattern = format!("{}b", "*a".repeat(200));
        assert!(!match_pattern(&text, &pattern));
    }

    #[test]
    fn lists_negate_and_lowercase() {
        assert_eq!(
            match_pattern_list("db1", "web*,db*", false),
            ListMatch::Matched
        );
        assert_eq!(
            match_pattern_list("db1", "*,!db1", false),
            ListMatch::Negated
        );
        assert_eq!(match_pattern_list("db1", "!db2", false), ListMatch::NoMatch);
        assert_eq!(
            match_hostname("DB1.Example.com", "*.EXAMPLE.com"),
            ListMatch::Matched
        );
    }
}
