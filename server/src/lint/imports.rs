//! A Go file's imports and bracket balance, read lightly enough to judge a
//! formatter's fix before it is offered: gofmt, goimports and gci only move
//! imports and whitespace, so a fix of theirs that loses an import (as
//! golangci-lint reports when it keeps only the deleting half of a reorder)
//! or unbalances a bracket would break the file. Pure and bounded by the
//! text: one pass over its bytes, no allocation per byte.

/// The import specs of `text` in order, each as `name path` (`path` alone
/// when it has no name; the path as written, quotes included), read from
/// the file's header: the `import` declarations after `package`, up to the
/// first other declaration. None when the header is not Go this reader
/// follows (no package clause, an import without a path, an open group).
pub fn imports(text: &str) -> Option<Vec<String>> {
    header(text).0
}

/// Where the header [`imports`] reads ends: the start of the first
/// declaration after it (the text's length when it does not end).
pub fn header_len(text: &str) -> usize {
    header(text).1
}

fn header(text: &str) -> (Option<Vec<String>>, usize) {
    let mut tokens = Tokens { text, at: 0 };
    let specs = read_header(&mut tokens);
    match specs {
        Some((specs, end)) => (Some(specs), end),
        None => (None, text.len()),
    }
}

fn read_header(tokens: &mut Tokens<'_>) -> Option<(Vec<String>, usize)> {
    if tokens.next()? != "package" {
        return None;
    }
    tokens.next()?;
    let mut specs = Vec::new();
    loop {
        match tokens.next() {
            Some(";") => continue,
            Some("import") => {}
            Some(token) => return Some((specs, tokens.at - token.len())),
            None => return Some((specs, tokens.text.len())),
        }
        match tokens.next()? {
            "(" => loop {
                match tokens.next()? {
                    ")" => break,
                    ";" => continue,
                    first => specs.push(spec(first, tokens)?),
                }
            },
            first => specs.push(spec(first, tokens)?),
        }
    }
}

/// One import spec starting with `first`: a path, or a name and a path.
fn spec(first: &str, tokens: &mut Tokens<'_>) -> Option<String> {
    if is_string(first) {
        return Some(first.to_string());
    }
    let path = tokens.next().filter(|t| is_string(t))?;
    Some(format!("{first} {path}"))
}

fn is_string(token: &str) -> bool {
    token.len() >= 2 && (token.starts_with('"') || token.starts_with('`'))
}

/// Per bracket kind, opening minus closing brackets outside comments,
/// strings and runes: `()`, `[]`, `{}`.
pub fn bracket_balance(text: &str) -> [i64; 3] {
    let mut balance = [0i64; 3];
    for token in (Tokens { text, at: 0 }) {
        let (kind, step) = match token {
            "(" => (0, 1),
            ")" => (0, -1),
            "[" => (1, 1),
            "]" => (1, -1),
            "{" => (2, 1),
            "}" => (2, -1),
            _ => continue,
        };
        balance[kind] += step;
    }
    balance
}

/// Go's tokens, as far as this reader needs them: comments and whitespace
/// skipped (Go's automatic semicolons are not needed here: an explicit `;`
/// only separates), strings and runes whole (an unterminated one runs to
/// the end of its line, or of the text for a raw string), words whole,
/// anything else one character.
struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        loop {
            let &b = bytes.get(self.at)?;
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => self.at += 1,
                b'/' if bytes.get(self.at + 1) == Some(&b'/') => {
                    self.at = find_from(bytes, self.at, b"\n").unwrap_or(bytes.len());
                }
                b'/' if bytes.get(self.at + 1) == Some(&b'*') => {
                    self.at = find_from(bytes, self.at + 2, b"*/").map_or(bytes.len(), |e| e + 2);
                }
                _ => break,
            }
        }
        let start = self.at;
        let b = bytes[start];
        let end = match b {
            b'"' | b'\'' => quoted_end(bytes, start, b),
            b'`' => find_from(bytes, start + 1, b"`").map_or(bytes.len(), |e| e + 1),
            _ if is_word(b) => {
                let mut end = start;
                while end < bytes.len() && is_word(bytes[end]) {
                    end += 1;
                }
                end
            }
            // One character, however many bytes it takes.
            _ => {
                let mut end = start + 1;
                while !self.text.is_char_boundary(end) {
                    end += 1;
                }
                end
            }
        };
        self.at = end;
        self.text.get(start..end)
    }
}

/// A word byte: ASCII letters, digits, `_`, and every byte of a non-ASCII
/// character (Go identifiers may hold letters of any script).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Where the interpreted string or rune opened at `start` by `quote` ends
/// (after its closing quote, or at the end of its line when it does not
/// close).
fn quoted_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "// Package imp says hi.\npackage imp\n\nimport (\n\t\"strings\"\n\tf \"fmt\" // the printer\n\t/* gone */ _ `embed`\n)\nimport \"os\"\n\nfunc Hello() { fmt.Println(strings.ToUpper(\"import (\"), os.Args) }\n";

    #[test]
    fn reads_grouped_named_raw_and_single_imports_and_stops_at_the_first_declaration() {
        assert_eq!(
            imports(FILE).unwrap(),
            ["\"strings\"", "f \"fmt\"", "_ `embed`", "\"os\""]
        );
    }

    #[test]
    fn the_header_ends_where_the_first_declaration_starts() {
        let at = header_len(FILE);
        assert!(FILE[at..].starts_with("func Hello"), "{:?}", &FILE[at..]);
        assert_eq!(header_len("package a\nimport \"os\"\n"), 22);
        assert_eq!(header_len("not go"), 6);
    }

    #[test]
    fn a_file_without_imports_has_none_and_a_broken_header_is_unread() {
        assert_eq!(imports("package a\n\nfunc f() {}\n"), Some(Vec::new()));
        for broken in [
            "",
            "func f() {}",
            "package a\nimport (\n\t\"fmt\"\n",
            "package a\nimport f\n",
        ] {
            assert_eq!(imports(broken), None, "{broken:?}");
        }
    }

    #[test]
    fn brackets_in_comments_strings_and_runes_do_not_count() {
        assert_eq!(bracket_balance(FILE), [0, 0, 0]);
        assert_eq!(
            bracket_balance("f(a[1], '(', \"{\", `[`) // )\n/* } */ {"),
            [0, 0, 1]
        );
        assert_eq!(bracket_balance("x := \"unterminated (\ny)"), [-1, 0, 0]);
    }

    #[test]
    fn hostile_headers_end_cleanly_in_one_pass() {
        let long_import = format!("package a\nimport (\n{})\n", "\t\"x\"\n".repeat(100_000));
        let unclosed_group = format!("package a\nimport ({}", "(".repeat(100_000));
        for text in [
            "package a /* never closed",
            "package a\nimport `never closed",
            "package a\nimport \"ends in a backslash\\",
            "package 日本\nimport 語 \"😀\"\n",
            "package\u{0}a\nimport\u{202e}\"x\"",
            long_import.as_str(),
            unclosed_group.as_str(),
        ] {
            let end = header_len(text);
            assert!(end <= text.len() && text.is_char_boundary(end));
            let _ = imports(text);
            let _ = bracket_balance(text);
        }
        assert_eq!(imports(&long_import).map(|s| s.len()), Some(100_000));
        assert_eq!(
            imports("package 日本\nimport 語 \"😀\"\n").unwrap(),
            ["語 \"😀\""]
        );
    }
}
