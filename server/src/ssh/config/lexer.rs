//! One line of ssh_config, split the way OpenSSH 9.x splits it
//! (readconf.c `process_config_line_depth`, misc.c `strdelim` and
//! `argv_split`), keeping the byte span of every piece so findings can point
//! at it and edits can touch only it.

use std::ops::Range;

/// What a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineSyntax {
    /// Empty, whitespace, or a comment: OpenSSH ignores it.
    Ignored,
    Directive(Directive),
    /// A line OpenSSH rejects before looking at the keyword's meaning.
    Error {
        message: String,
        span: Range<usize>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercased, as OpenSSH compares it.
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// Everything after the keyword and its separator, trailing whitespace
    /// removed: what ProxyCommand, RemoteCommand and Match read.
    pub rest: String,
    pub rest_span: Range<usize>,
    /// The arguments as `argv_split` produces them: quotes removed, escapes
    /// resolved, a `#` at the start of an argument ends the line.
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub value: String,
    /// Bytes of the argument in the line, quotes included.
    pub span: Range<usize>,
}

const WHITESPACE: &[u8] = b" \t\r\n";

/// Splits one line (without its `\n`).
pub fn parse_line(line: &str) -> LineSyntax {
    let bytes = line.as_bytes();
    // Trailing whitespace, and a form feed at the end of the line, go first.
    let mut end = bytes.len();
    while end > 0 && (WHITESPACE.contains(&bytes[end - 1]) || bytes[end - 1] == b'\x0c') {
        end -= 1;
    }
    if end == 0 {
        return LineSyntax::Ignored;
    }
    let text = &line[..end];
    let mut cursor = Some(0usize);
    let Some(mut keyword) = strdelim(text, &mut cursor) else {
        return LineSyntax::Ignored;
    };
    if keyword.is_empty() {
        match strdelim(text, &mut cursor) {
            Some(next) => keyword = next,
            None => return LineSyntax::Ignored,
        }
    }
    let keyword_text = &text[keyword.clone()];
    if keyword_text.is_empty() || keyword_text.starts_with('#') {
        return LineSyntax::Ignored;
    }
    // A keyword that began with a quote lost it in strdelim; the span keeps it.
    let keyword_name = keyword_text.to_ascii_lowercase();
    let rest_start = match cursor {
        Some(at) => at + count_leading(&text[at..], WHITESPACE),
        None => end,
    };
    if rest_start >= end {
        return LineSyntax::Error {
            message: format!("no argument after keyword \"{keyword_name}\""),
            span: keyword,
        };
    }
    let args = match argv_split(text, rest_start) {
        Ok(args) => args,
        Err(()) => {
            return LineSyntax::Error {
                message: String::from("invalid quotes"),
                span: rest_start..end,
            }
        }
    };
    LineSyntax::Directive(Directive {
        keyword: keyword_name,
        keyword_span: keyword,
        rest: text[rest_start..].to_string(),
        rest_span: rest_start..end,
        args,
    })
}

fn count_leading(text: &str, set: &[u8]) -> usize {
    text.bytes().take_while(|b| set.contains(b)).count()
}

/// OpenSSH's `strdelim` (splitting on whitespace, `"` and one `=`): returns the
/// span of the next token and moves `cursor` past it and its separators, or
/// to None at the end. None when a quote is not closed.
pub fn strdelim(text: &str, cursor: &mut Option<usize>) -> Option<Range<usize>> {
    let start = (*cursor)?;
    let bytes = text.as_bytes();
    let found = bytes[start..]
        .iter()
        .position(|b| WHITESPACE.contains(b) || *b == b'"' || *b == b'=')
        .map(|p| start + p);
    let Some(delim) = found else {
        *cursor = None;
        return Some(start..bytes.len());
    };
    if bytes[delim] == b'"' {
        // The quote is dropped; the token runs to the next quote.
        let close = bytes[delim + 1..].iter().position(|b| *b == b'"')? + delim + 1;
        let after = close + 1;
        *cursor = Some(after + count_leading(&text[after..], WHITESPACE));
        // OpenSSH returns the text before the opening quote joined with the
        // quoted part; quotes inside a token are rare enough that the span of
        // the quoted part is what matters.
        return Some(if delim == start {
            delim + 1..close
        } else {
            start..close
        });
    }
    let was_equals = bytes[delim] == b'=';
    let mut next = delim + 1;
    next += count_leading(&text[next..], WHITESPACE);
    if !was_equals && bytes.get(next) == Some(&b'=') {
        next += 1;
        next += count_leading(&text[next..], WHITESPACE);
    }
    *cursor = Some(next);
    Some(start..delim)
}

/// OpenSSH's `argv_split` with comments terminating the line, from `from`.
fn argv_split(text: &str, from: usize) -> Result<Vec<Arg>, ()> {
    let bytes = text.as_bytes();
    let mut args = Vec::new();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b' ' || bytes[i] == b'\t' {
            i += 1;
            continue;
        }
        if bytes[i] == b'#' {
            break;
        }
        let start = i;
        // Most arguments have no quote nor escape: their text is the value.
        let plain_end = bytes[i..]
            .iter()
            .position(|c| matches!(c, b' ' | b'\t' | b'"' | b'\'' | b'\\'))
            .map_or(bytes.len(), |p| i + p);
        if bytes
            .get(plain_end)
            .is_none_or(|c| *c == b' ' || *c == b'\t')
        {
            args.push(Arg {
                value: text[start..plain_end].to_string(),
                span: start..plain_end,
            });
            i = plain_end;
            continue;
        }
        let mut value: Vec<u8> = Vec::new();
        let mut quote: Option<u8> = None;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'\\' {
                let next = bytes.get(i + 1).copied();
                match next {
                    Some(n @ (b'\'' | b'"' | b'\\')) => {
                        value.push(n);
                        i += 2;
                        continue;
                    }
                    Some(b' ') if quote.is_none() => {
                        value.push(b' ');
                        i += 2;
                        continue;
                    }
                    _ => value.push(c),
                }
            } else if quote.is_none() && (c == b' ' || c == b'\t') {
                break;
            } else if quote.is_none() && (c == b'"' || c == b'\'') {
                quote = Some(c);
            } else if quote == Some(c) {
                quote = None;
            } else {
                value.push(c);
            }
            i += 1;
        }
        if quote.is_some() {
            return Err(());
        }
        args.push(Arg {
            value: String::from_utf8(value)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            span: start..i,
        });
    }
    Ok(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directive(line: &str) -> Directive {
        match parse_line(line) {
            LineSyntax::Directive(d) => d,
            other => panic!("{line:?} gave {other:?}"),
        }
    }

    fn values(d: &Directive) -> Vec<&str> {
        d.args.iter().map(|a| a.value.as_str()).collect()
    }

    #[test]
    fn keywords_are_case_insensitive_and_take_space_or_equals() {
        for line in [
            "Port 2222",
            "port=2222",
            "PORT = 2222",
            "  Port\t2222  ",
            "Port =2222",
            "Port= 2222",
        ] {
            let d = directive(line);
            assert_eq!(d.keyword, "port", "{line:?}");
            assert_eq!(values(&d), ["2222"], "{line:?}");
        }
    }

    #[test]
    fn spans_point_at_the_source_bytes() {
        let line = "  HostName \"my host\" # note";
        let d = directive(line);
        assert_eq!(&line[d.keyword_span.clone()], "HostName");
        assert_eq!(values(&d), ["my host"]);
        assert_eq!(&line[d.args[0].span.clone()], "\"my host\"");
        assert_eq!(d.rest, "\"my host\" # note");
    }

    #[test]
    fn quotes_escapes_and_comments_follow_argv_split() {
        let d = directive(r#"SendEnv 'A B' "C\"D" E\ F G#H # comment"#);
        assert_eq!(values(&d), ["A B", "C\"D", "E F", "G#H"]);
        let d = directive(r"IdentityFile C:\keys\id");
        assert_eq!(values(&d), [r"C:\keys\id"], "unknown escapes are kept");
    }

    #[test]
    fn blank_lines_and_comments_are_ignored() {
        for line in ["", "   ", "# Host x", "\t# c", "\r", "\x0c"] {
            assert_eq!(parse_line(line), LineSyntax::Ignored, "{line:?}");
        }
    }

    #[test]
    fn crlf_and_trailing_whitespace_are_stripped() {
        let d = directive("User alice \r");
        assert_eq!(values(&d), ["alice"]);
        assert_eq!(d.rest, "alice");
    }

    #[test]
    fn errors_use_openssh_words() {
        assert_eq!(
            parse_line("User"),
            LineSyntax::Error {
                message: "no argument after keyword \"user\"".into(),
                span: 0..4
            }
        );
        assert!(
            matches!(parse_line("User \"bob"), LineSyntax::Error { message, .. } if message == "invalid quotes")
        );
    }
}
