//! "Ignore <linter> on this line": the `//nolint` directive edit for a Go
//! line, computed from the text alone.
//!
//! golangci-lint's rules (v2, `pkg/result/processors/nolint_filter.go`): a
//! directive is a `//` line comment whose text, after trimming leading `/`
//! and spaces, matches `^nolint( |:|$)`. `nolint:all`, or anything other than
//! `nolint:` (a bare `//nolint`, `//nolint // why`), covers every linter.
//! Otherwise the list after `nolint:` runs up to the next `//` (the reason)
//! and is split on commas, each name trimmed and lowercased. nolintlint wants
//! the machine form: no space after `//`, names `[\w-]+` separated by commas.

use super::model::{is_linter_name, ByteEdit};

/// The edit that makes golangci-lint ignore `linter` on 0-based `line` of a
/// Go file.
///
/// - A line without a comment gets ` //nolint:<linter> // ` at its end (in
///   place of any trailing blanks); the reason is left for the user.
/// - A line whose comment is a `//nolint:a,b` directive gets `linter` added
///   to the list (`//nolint:a,b,linter`, a reason after it is kept).
/// - A line ending with an ordinary `// note` gets the directive inserted at
///   the start of that comment: `x() //nolint:linter // note`. The note is
///   kept byte for byte and becomes the directive's reason; golangci-lint
///   reads a directive only at the start of a comment, and the comment runs
///   to the end of the line, so there is no other place for it.
///
/// None when nothing should be written:
/// - the line does not exist, or `linter` is not `[A-Za-z0-9_-]+`;
/// - a bare `//nolint`, `nolint:all`, or a list already naming `linter`
///   covers it;
/// - the line holds no code (blank, or only comments): a directive there
///   would apply to the next statement instead, and on a doc comment it
///   would also hide the text, as Go drops `//word:word` directive lines
///   from docs;
/// - the line starts or ends inside a raw string, a block comment, or an
///   unterminated string or rune literal, where a comment would be text;
/// - the trailing comment is another tool's directive (`//word:...`), which
///   would stop working behind ours.
///
/// The line ending (`\n` or `\r\n`) is never touched.
pub fn nolint_edit(file_text: &str, line: u32, linter: &str) -> Option<ByteEdit> {
    if !is_linter_name(linter) {
        return None;
    }
    let scan = scan_line(file_text, usize::try_from(line).ok()?)?;
    if scan.start_state != State::Code || !scan.has_code {
        return None;
    }
    match scan.end_state {
        State::Code | State::LineComment => {}
        State::BlockComment | State::RawString | State::String | State::Rune => return None,
    }
    let Some(comment) = scan.comment_start else {
        let code = file_text.get(scan.start..scan.end)?;
        let trimmed = scan.start + code.trim_end_matches([' ', '\t']).len();
        return Some(ByteEdit {
            start: trimmed,
            end: scan.end,
            new_text: format!(" //nolint:{linter} // "),
        });
    };
    let text = file_text.get(comment..scan.end)?;
    let after_slashes = text.trim_start_matches(['/', ' ']);
    if is_nolint(after_slashes) {
        return extend_directive(text, comment, linter);
    }
    if is_other_directive(text) {
        return None;
    }
    Some(ByteEdit {
        start: comment,
        end: comment,
        new_text: format!("//nolint:{linter} "),
    })
}

/// `^nolint( |:|$)`, on the comment text with leading `/` and spaces gone.
fn is_nolint(text: &str) -> bool {
    match text.strip_prefix("nolint") {
        Some(rest) => rest.is_empty() || rest.starts_with(' ') || rest.starts_with(':'),
        None => false,
    }
}

/// Go's directive shape `//[a-z0-9]+:[a-z0-9]` (`//go:embed`,
/// `//lint:ignore`, `//exhaustive:ignore`): such a comment must stay first.
fn is_other_directive(comment: &str) -> bool {
    let Some(rest) = comment.strip_prefix("//") else {
        return false;
    };
    let word = rest
        .bytes()
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        .count();
    let after = rest.as_bytes().get(word..).unwrap_or_default();
    word > 0
        && after.first() == Some(&b':')
        && after
            .get(1)
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Adds `linter` to the directive `text` (starting at byte `at` of the
/// file), unless the directive already covers it.
fn extend_directive(text: &str, at: usize, linter: &str) -> Option<ByteEdit> {
    let trimmed = text.trim_start_matches(['/', ' ']);
    if trimmed.starts_with("nolint:all") {
        return None;
    }
    let list_rest = trimmed.strip_prefix("nolint:")?;
    // The list ends where the reason starts, as golangci-lint cuts it.
    let list = list_rest
        .find("//")
        .map_or(list_rest, |cut| list_rest.get(..cut).unwrap_or_default());
    let covered = list
        .split(',')
        .map(str::trim)
        .any(|name| name.eq_ignore_ascii_case("all") || name.eq_ignore_ascii_case(linter));
    if covered {
        return None;
    }
    let list_start = at + (text.len() - list_rest.len());
    let kept = list.trim_end();
    let (insert, new_text) = if kept.is_empty() {
        // `//nolint:` with no names yet: the first one goes right after it.
        (list_start, linter.to_string())
    } else if kept.ends_with(',') {
        (list_start + kept.len(), linter.to_string())
    } else {
        (list_start + kept.len(), format!(",{linter}"))
    };
    Some(ByteEdit {
        start: insert,
        end: insert,
        new_text,
    })
}

/// Where the Go lexer is: only `Code` and a `LineComment` can take a
/// trailing comment without changing the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    LineComment,
    BlockComment,
    RawString,
    String,
    Rune,
}

/// What the lexer saw on the target line.
struct LineScan {
    /// Byte range of the line, its line ending excluded.
    start: usize,
    end: usize,
    start_state: State,
    end_state: State,
    /// Start of the `//` comment that runs to the end of the line.
    comment_start: Option<usize>,
    /// Whether anything other than blanks and comments is on the line.
    has_code: bool,
}

/// Lexes `text` from the start (raw strings and block comments span lines)
/// through the end of 0-based `target` line; None when there is no such
/// line.
fn scan_line(text: &str, target: usize) -> Option<LineScan> {
    let bytes = text.as_bytes();
    let mut state = State::Code;
    let mut line = 0usize;
    let mut i = 0usize;
    let mut scan: Option<LineScan> = None;
    if target == 0 {
        scan = Some(line_scan_at(bytes, 0, state));
    }
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        if b == b'\n' {
            if let Some(found) = scan.as_mut() {
                found.end_state = state;
                return scan;
            }
            // Strings, runes and line comments cannot cross a newline.
            if matches!(state, State::LineComment | State::String | State::Rune) {
                state = State::Code;
            }
            line += 1;
            i += 1;
            if line == target {
                scan = Some(line_scan_at(bytes, i, state));
            }
            continue;
        }
        let on_target = scan.is_some();
        match state {
            State::Code => {
                if b == b'/' && next == Some(b'/') {
                    state = State::LineComment;
                    if let Some(found) = scan.as_mut() {
                        found.comment_start = Some(i);
                    }
                    i += 2;
                    continue;
                }
                if b == b'/' && next == Some(b'*') {
                    state = State::BlockComment;
                    i += 2;
                    continue;
                }
                match b {
                    b'`' => state = State::RawString,
                    b'"' => state = State::String,
                    b'\'' => state = State::Rune,
                    _ => {}
                }
                if on_target && !b.is_ascii_whitespace() {
                    if let Some(found) = scan.as_mut() {
                        found.has_code = true;
                    }
                }
            }
            State::LineComment => {}
            State::BlockComment => {
                if b == b'*' && next == Some(b'/') {
                    state = State::Code;
                    i += 2;
                    continue;
                }
            }
            State::RawString => {
                if b == b'`' {
                    state = State::Code;
                }
            }
            State::String | State::Rune => {
                let close = if state == State::String { b'"' } else { b'\'' };
                if b == b'\\' && next.is_some_and(|n| n != b'\n') {
                    i += 2;
                    continue;
                }
                if b == close {
                    state = State::Code;
                }
            }
        }
        i += 1;
    }
    // The target is the last line (no newline after it), or past the end.
    let mut found = scan?;
    found.end_state = state;
    Some(found)
}

/// A scan of the line starting at byte `start`, its end already found.
fn line_scan_at(bytes: &[u8], start: usize, state: State) -> LineScan {
    let newline = bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(bytes.len(), |at| start + at);
    // `\r\n` files: the `\r` belongs to the line ending, kept as it is.
    let end = if newline > start && bytes.get(newline - 1) == Some(&b'\r') {
        newline - 1
    } else {
        newline
    };
    LineScan {
        start,
        end,
        start_state: state,
        end_state: state,
        comment_start: None,
        has_code: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file after `nolint_edit`, or None when it declines.
    fn ignore(text: &str, line: u32, linter: &str) -> Option<String> {
        let edit = nolint_edit(text, line, linter)?;
        let mut out = text.to_string();
        out.replace_range(edit.start..edit.end, &edit.new_text);
        Some(out)
    }

    /// Lines that take the directive: (what it shows, file, line, linter, the
    /// file after).
    #[test]
    fn a_line_of_code_gets_the_directive_where_golangci_lint_reads_it() {
        for (why, text, line, linter, after) in [
            (
                "a plain line gets the directive and an empty reason at its end",
                "package p\n\nfunc f() {\n\tos.Remove(\"x\")\n}\n",
                3,
                "errcheck",
                "package p\n\nfunc f() {\n\tos.Remove(\"x\") //nolint:errcheck // \n}\n",
            ),
            (
                "multibyte text before the line keeps offsets on char boundaries",
                "s := \"héllo\" // é\nx()\n",
                0,
                "gosec",
                "s := \"héllo\" //nolint:gosec // é\nx()\n",
            ),
            (
                "trailing blanks are replaced not kept before the directive",
                "x()  \t\ny()\n",
                0,
                "errcheck",
                "x() //nolint:errcheck // \ny()\n",
            ),
            (
                "a crlf line keeps its crlf",
                "a()\r\nb()\r\nc()\r\n",
                1,
                "errcheck",
                "a()\r\nb() //nolint:errcheck // \r\nc()\r\n",
            ),
            (
                "the last line without a newline gets the directive",
                "a()\nb()",
                1,
                "errcheck",
                "a()\nb() //nolint:errcheck // ",
            ),
            (
                "an existing directive gets the linter added to its list",
                "x() //nolint:lll,gosec\n",
                0,
                "errcheck",
                "x() //nolint:lll,gosec,errcheck\n",
            ),
            (
                "an existing directive keeps its reason",
                "x() //nolint:lll // generated URL\r\n",
                0,
                "errcheck",
                "x() //nolint:lll,errcheck // generated URL\r\n",
            ),
            (
                "a directive with spaces in its list is extended after the last name",
                "x() // nolint: lll , gosec  // why\n",
                0,
                "errcheck",
                "x() // nolint: lll , gosec,errcheck  // why\n",
            ),
            (
                "an empty directive list gets the linter as its first name",
                "x() //nolint: // why\n",
                0,
                "errcheck",
                "x() //nolint:errcheck // why\n",
            ),
            (
                "a directive with a trailing comma gets no second comma",
                "x() //nolint:lll,\n",
                0,
                "errcheck",
                "x() //nolint:lll,errcheck\n",
            ),
            (
                "a trailing ordinary comment becomes the reason after the directive",
                "\tx() // best effort\n",
                0,
                "errcheck",
                "\tx() //nolint:errcheck // best effort\n",
            ),
            (
                "a comment that only looks like nolint is an ordinary comment",
                "x() //nolintlint is strict\n",
                0,
                "errcheck",
                "x() //nolint:errcheck //nolintlint is strict\n",
            ),
            (
                "slashes inside a string literal are not a comment",
                "s := \"http://x\" + `//y` + '/'\n",
                0,
                "gosec",
                "s := \"http://x\" + `//y` + '/' //nolint:gosec // \n",
            ),
            (
                "an escaped quote does not end the string",
                "s := \"a\\\"//b\" // note\n",
                0,
                "gosec",
                "s := \"a\\\"//b\" //nolint:gosec // note\n",
            ),
            (
                "a backquote in a rune literal opens no raw string",
                "r := '`'\nx()\n",
                1,
                "errcheck",
                "r := '`'\nx() //nolint:errcheck // \n",
            ),
            (
                "a block comment closed on the line is passed over",
                "x(/* a */) /* b */\n",
                0,
                "errcheck",
                "x(/* a */) /* b */ //nolint:errcheck // \n",
            ),
            (
                "linter names outside the directive syntax are refused",
                "x()\n",
                0,
                "revive_v2-x",
                "x() //nolint:revive_v2-x // \n",
            ),
        ] {
            assert_eq!(ignore(text, line, linter).as_deref(), Some(after), "{why}");
        }
    }

    /// Lines gord leaves alone: (why, file, line, linter).
    #[test]
    fn a_covered_line_or_one_without_a_safe_place_for_the_directive_is_declined() {
        for (why, text, line, linter) in [
            (
                "a directive already naming the linter needs nothing",
                "x() //nolint:lll,ErrCheck // why\n",
                0,
                "errcheck",
            ),
            (
                "a bare nolint already covers every linter",
                "x() //nolint\n",
                0,
                "errcheck",
            ),
            (
                "a bare nolint already covers every linter",
                "x() //nolint // why\n",
                0,
                "errcheck",
            ),
            (
                "a bare nolint already covers every linter",
                "x() //nolint:all\n",
                0,
                "errcheck",
            ),
            (
                "a bare nolint already covers every linter",
                "x() //nolint:lll,all\n",
                0,
                "errcheck",
            ),
            (
                "another tools trailing directive is left alone",
                "switch x { //exhaustive:ignore\n",
                0,
                "gocritic",
            ),
            ("lines without code are refused", "\n", 0, "errcheck"),
            (
                "lines without code are refused",
                "x()\n  \t\ny()\n",
                1,
                "errcheck",
            ),
            (
                "lines without code are refused",
                "// Doc says so.\nfunc f()\n",
                0,
                "godot",
            ),
            ("lines without code are refused", "/* c */\n", 0, "errcheck"),
            (
                "an unterminated string is refused",
                "s := \"abc\n",
                0,
                "errcheck",
            ),
            ("a line past the end is refused", "x()\n", 1, "errcheck"),
            ("a line past the end is refused", "x()", 1, "errcheck"),
            ("a line past the end is refused", "", 0, "errcheck"),
            (
                "a line past the end is refused",
                "x()\n",
                u32::MAX,
                "errcheck",
            ),
            (
                "linter names outside the directive syntax are refused",
                "x()\n",
                0,
                "",
            ),
            (
                "linter names outside the directive syntax are refused",
                "x()\n",
                0,
                "err check",
            ),
            (
                "linter names outside the directive syntax are refused",
                "x()\n",
                0,
                "a,b",
            ),
            (
                "linter names outside the directive syntax are refused",
                "x()\n",
                0,
                "a//b",
            ),
        ] {
            assert_eq!(
                ignore(text, line, linter),
                None,
                "{why}: {text:?} line {line}"
            );
        }
    }

    /// A multi-line raw string or block comment: its first three lines are
    /// refused, the line after it takes the directive.
    #[test]
    fn lines_in_or_opening_a_raw_string_or_block_comment_are_refused() {
        for (text, linter, after) in [
            (
                "s := `first\nsecond\nthird`\nx()\n",
                "lll",
                "s := `first\nsecond\nthird`\nx() //nolint:lll // \n",
            ),
            (
                "x() /* start\nmiddle()\nend */ y()\nz()\n",
                "errcheck",
                "x() /* start\nmiddle()\nend */ y()\nz() //nolint:errcheck // \n",
            ),
        ] {
            for line in 0..3 {
                assert_eq!(ignore(text, line, linter), None, "{text:?} line {line}");
            }
            assert_eq!(ignore(text, 3, linter).as_deref(), Some(after), "{text:?}");
        }
    }
}
