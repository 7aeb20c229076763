//! Issues (1-based lines, byte columns, byte offsets) to ranges (0-based
//! lines, UTF-16 columns, as LSP counts) against the text of the file as it
//! was linted. Pure: the text comes in, ranges and fixes come out.

use crate::finding::{Edit, Fix, Range};

use super::model::{ByteEdit, FixEdit, LinePos, LintIssue, Span, SuggestedFix};
use crate::text::LineIndex;

/// An issue placed in its file: the range to underline and its fixes as
/// edits of the issue's file. A fix whose edits do not fit the text is left
/// out.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub range: Range,
    pub fixes: Vec<Fix>,
}

/// Places `issue` in `text`, the file's content when it was linted.
pub fn place(issue: &LintIssue, index: &LineIndex<'_>) -> Placement {
    let byte_fixes: Vec<(String, Vec<ByteEdit>)> = issue
        .fixes
        .iter()
        .filter_map(|fix| {
            let edits = byte_edits(fix, index)?;
            let is_formatter = FORMATTERS.contains(&issue.linter.as_str());
            if is_formatter && !formatting_only(index.text(), &edits) {
                return None;
            }
            Some((fix_title(issue, fix, &edits), edits))
        })
        .collect();
    let (start, end) = match &issue.span {
        Span::Range { start, end } => (
            byte_offset(index, *start),
            byte_offset(index, *end).max(byte_offset(index, *start)),
        ),
        Span::Lines { from, to, column } => (
            match column {
                0 => line_start(index, *from),
                _ => byte_offset(
                    index,
                    LinePos {
                        line: *from,
                        column: *column,
                    },
                ),
            },
            index.content_end(line0(*to).max(line0(*from))),
        ),
        Span::Point { start } if start.column == 0 => (
            line_start(index, start.line),
            index.content_end(line0(start.line)),
        ),
        Span::Point { start } => {
            let at = byte_offset(index, *start);
            // A fix that starts where the issue does shows what it covers
            // (a misspelt word, a badly formatted block).
            let fix_end = byte_fixes.iter().find_map(|(_, edits)| {
                edits
                    .first()
                    .filter(|e| e.start == at && e.end > e.start)
                    .map(|e| e.end)
            });
            (at, fix_end.unwrap_or_else(|| token_end(index.text(), at)))
        }
    };
    Placement {
        range: Range::new(index.position(start), index.position(end)),
        fixes: byte_fixes
            .into_iter()
            .map(|(title, edits)| {
                let edits = edits
                    .into_iter()
                    .map(|e| Edit {
                        path: issue.file.clone(),
                        range: Range::new(index.position(e.start), index.position(e.end)),
                        new_text: e.new_text,
                    })
                    .collect();
                Fix::edits(title, edits)
            })
            .collect(),
    }
}

/// Formatters rewrite code rather than report on it.
const FORMATTERS: [&str; 6] = ["gofmt", "gofumpt", "goimports", "gci", "golines", "swaggo"];

/// Whether a formatter's edits keep `text`'s imports, the balance of every
/// bracket kind and its line endings. golangci-lint reports a formatter's
/// reorder of an import block as two edits and can keep only one: gci,
/// gofmt and goimports on `"strings"` above `"fmt"` all report deleting the
/// line and not adding it back below, which leaves a file that does not
/// compile. On a CRLF file they report rewriting the whole file with LF
/// endings and without its final newline.
fn formatting_only(text: &str, edits: &[ByteEdit]) -> bool {
    let after = apply(text, edits);
    line_endings(text) == line_endings(&after) && keeps_code(text, &after, edits)
}

/// (every line ends in CRLF, the text ends with a newline).
fn line_endings(text: &str) -> (bool, bool) {
    let lf = text.matches('\n').count();
    (
        lf > 0 && lf == text.matches("\r\n").count(),
        text.ends_with('\n'),
    )
}

fn keeps_code(text: &str, after: &str, edits: &[ByteEdit]) -> bool {
    use super::imports::{bracket_balance, header_len, imports};
    let in_header = edits
        .first()
        .is_some_and(|first| first.start <= header_len(text));
    let sorted = |text: &str| {
        imports(text).map(|mut specs| {
            specs.sort_unstable();
            specs
        })
    };
    (!in_header || sorted(text) == sorted(after))
        && edits
            .iter()
            .all(|e| bracket_balance(&text[e.start..e.end]) == bracket_balance(&e.new_text))
}

/// `edits` (sorted and apart, as [`byte_edits`] gives them) applied to `text`.
fn apply(text: &str, edits: &[ByteEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.start]);
        out.push_str(&edit.new_text);
        at = edit.end;
    }
    out.push_str(&text[at..]);
    out
}

/// What the fix does, in the words a light-bulb menu needs; `edits` are its
/// byte edits as they will be applied.
fn fix_title(issue: &LintIssue, fix: &SuggestedFix, edits: &[ByteEdit]) -> String {
    let linter = &issue.linter;
    if !fix.message.trim().is_empty() {
        return format!("{} ({linter})", fix.message.trim());
    }
    if FORMATTERS.contains(&linter.as_str()) {
        return format!("Format with {linter}");
    }
    let single_text = match (fix.edits.as_slice(), edits) {
        ([FixEdit::Bytes(_) | FixEdit::Inline { .. }], [edit]) => Some(edit.new_text.as_str()),
        _ => None,
    };
    match single_text {
        Some("") => format!("Remove it ({linter})"),
        Some(text) if text.len() <= 40 && !text.contains('\n') => {
            format!("Replace with `{text}` ({linter})")
        }
        _ => format!("Apply {linter}'s fix"),
    }
}

fn line0(line: u32) -> usize {
    (line as usize).saturating_sub(1)
}

/// The start of 1-based `line`, clamped to the text.
fn line_start(index: &LineIndex<'_>, line: u32) -> usize {
    index.line_start(line0(line)).unwrap_or(index.text().len())
}

/// The byte offset of a 1-based line and byte column, clamped to the line's
/// content and moved back to a character boundary.
fn byte_offset(index: &LineIndex<'_>, pos: LinePos) -> usize {
    let line = line0(pos.line);
    let Some(start) = index.line_start(line) else {
        return index.text().len();
    };
    let end = index.content_end(line);
    let mut at = (start + (pos.column as usize).saturating_sub(1)).min(end);
    while !index.text().is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The end of the token starting at `at`: an identifier or number, a string
/// or rune literal, a bracketed group on the same line; else one character.
fn token_end(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let mut chars = line.char_indices();
    let Some((_, first)) = chars.next() else {
        return at;
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let len = if word(first) {
        line.find(|c: char| !word(c)).unwrap_or(line.len())
    } else if let Some(close) = matching_close(first) {
        group_end(line, first, close).unwrap_or(first.len_utf8())
    } else {
        first.len_utf8()
    };
    at + len
}

fn matching_close(open: char) -> Option<char> {
    match open {
        '"' => Some('"'),
        '\'' => Some('\''),
        '`' => Some('`'),
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        _ => None,
    }
}

/// Where the literal or bracket group opening `line` ends (exclusive),
/// skipping quoted text inside brackets; None when it does not close on the
/// line.
fn group_end(line: &str, open: char, close: char) -> Option<usize> {
    let quote = matches!(open, '"' | '\'' | '`');
    let mut depth = 0usize;
    let mut in_quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if i == 0 {
            if quote {
                in_quote = Some(open);
            } else {
                depth = 1;
            }
            continue;
        }
        if let Some(q) = in_quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '`' {
                escaped = true;
            } else if c == q {
                in_quote = None;
                if quote {
                    return Some(i + c.len_utf8());
                }
            }
            continue;
        }
        if matches!(c, '"' | '\'' | '`') {
            in_quote = Some(c);
        } else if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// A fix's edits as byte edits of `index`'s text: sorted, inside the text,
/// on character boundaries, not overlapping, never between the `\r` and the
/// `\n` of a line ending (see [`mend_crlf`]), and each changing something;
/// None when they do not fit or change nothing.
pub fn byte_edits(fix: &SuggestedFix, index: &LineIndex<'_>) -> Option<Vec<ByteEdit>> {
    let text = index.text();
    let edits: Vec<ByteEdit> = fix
        .edits
        .iter()
        .map(|edit| match edit {
            FixEdit::Bytes(e) => Some(e.clone()),
            FixEdit::Inline {
                line,
                start_column,
                length,
                new_text,
            } => {
                let start = index.line_start(line0(*line))? + start_column;
                let end = start.checked_add(*length)?;
                (end <= index.content_end(line0(*line))).then(|| ByteEdit {
                    start,
                    end,
                    new_text: new_text.clone(),
                })
            }
            FixEdit::Lines {
                from,
                to,
                new_lines,
            } => {
                let start = index.line_start(line0(*from))?;
                let after = line0(*to) + 1;
                let (end, ends_with_newline) = match index.line_start(after) {
                    Some(next) => (next, true),
                    None => (text.len(), false),
                };
                let mut new_text = new_lines.join("\n");
                if ends_with_newline && !new_lines.is_empty() {
                    new_text.push('\n');
                }
                (end >= start).then_some(ByteEdit {
                    start,
                    end,
                    new_text,
                })
            }
        })
        .collect::<Option<_>>()?;
    let fits = |e: &ByteEdit| {
        e.start <= e.end
            && e.end <= text.len()
            && text.is_char_boundary(e.start)
            && text.is_char_boundary(e.end)
    };
    if !edits.iter().all(fits) {
        return None;
    }
    let mut edits: Vec<ByteEdit> = edits
        .into_iter()
        .map(|e| mend_crlf(text, e))
        .filter(|e| text[e.start..e.end] != e.new_text)
        .collect();
    edits.sort_by_key(|e| (e.start, e.end));
    let apart = edits.windows(2).all(|w| w[0].end <= w[1].start);
    (apart && !edits.is_empty()).then_some(edits)
}

/// The same edit with neither end between a `\r` and its `\n`. A position
/// there has no LSP form (an editor's line ends with the whole `\r\n`), so
/// it would land before the `\r`: godot's fix of a CRLF comment, which
/// replaces the comment and its `\r` with the comment, a period and `\r`,
/// would leave `\r\r\n`. An end there moves back before the `\r` when the
/// new text ends with one (kept as it was), else on past the `\n` (which the
/// new text then ends with); a start there moves back before the `\r`, which
/// the new text then starts with. The bytes the edit writes are the same.
fn mend_crlf(text: &str, mut edit: ByteEdit) -> ByteEdit {
    let splits = |at: usize| {
        at > 0
            && text.as_bytes().get(at - 1) == Some(&b'\r')
            && text.as_bytes().get(at) == Some(&b'\n')
    };
    if splits(edit.end) {
        if edit.end > edit.start && edit.new_text.ends_with('\r') {
            edit.new_text.pop();
            edit.end -= 1;
        } else {
            edit.new_text.push('\n');
            edit.end += 1;
        }
    }
    if splits(edit.start) {
        edit.new_text.insert(0, '\r');
        edit.start -= 1;
    }
    edit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;
    use std::path::PathBuf;

    fn issue(span: Span, fixes: Vec<SuggestedFix>) -> LintIssue {
        LintIssue {
            file: PathBuf::from("/x/a.go"),
            linter: "l".into(),
            message: "m".into(),
            severity: None,
            span,
            offset: None,
            fixes,
        }
    }

    fn point(line: u32, column: u32) -> Span {
        Span::Point {
            start: LinePos { line, column },
        }
    }

    fn range(l1: u32, c1: u32, l2: u32, c2: u32) -> Range {
        Range::new(Position::new(l1, c1), Position::new(l2, c2))
    }

    const TABS_AND_CJK: &str =
        "package p\n\n\t\ts := \"日本語😀\"; fmt.Printf(\"%d %s\\n\", s, s)\n";

    #[test]
    fn a_byte_column_after_tabs_cjk_and_an_emoji_becomes_a_utf16_column() {
        // govet reports column 37 (bytes) for the `"` opening the format
        // string: 2 tabs + `s := "` (6) + 日本語 (9 bytes) + 😀 (4 bytes) +
        // `"; fmt.Printf(` (14) = 35 bytes before it... the string starts at
        // byte 36, so 1-based column 36; the `%` is column 37.
        let index = LineIndex::new(TABS_AND_CJK);
        let placed = place(&issue(point(3, 37), vec![]), &index);
        // UTF-16: 2 + 6 + 3 + 2 + 14 = 27 units before the quote, so `%` is 28.
        assert_eq!(placed.range, range(2, 28, 2, 29), "one character: `%`");
        let string = place(&issue(point(3, 36), vec![]), &index);
        assert_eq!(
            string.range,
            range(2, 27, 2, 36),
            "a string literal is covered to its closing quote"
        );
    }

    /// Where an issue lands: (why, the file, what the tool said, the range).
    #[test]
    fn an_issue_covers_the_token_or_lines_it_names() {
        let exact = Span::Range {
            start: LinePos {
                line: 2,
                column: 14,
            },
            end: LinePos {
                line: 2,
                column: 16,
            },
        };
        for (why, text, span, expected) in [
            (
                "column zero means the whole line; the \\r\\n is not part of it",
                "a\r\nbcd\r\ne",
                point(2, 0),
                range(1, 0, 1, 3),
            ),
            (
                "an identifier is covered whole",
                "func unusedHelper() {}\n",
                point(1, 6),
                range(0, 5, 0, 17),
            ),
            (
                "a call is covered to its closing parenthesis; the ) inside the string does not close it",
                "\tos.Remove(\"x)\")\n",
                point(1, 11),
                range(0, 10, 0, 16),
            ),
            (
                "whole line ranges span several lines",
                "a\nbb\nccc\nd",
                Span::Lines {
                    from: 2,
                    to: 3,
                    column: 0,
                },
                range(1, 0, 2, 3),
            ),
            (
                "exact ranges are kept",
                "x\n\tfmt.Printf(\"%d\\n\", \"s\")\n",
                exact,
                range(1, 13, 1, 15),
            ),
        ] {
            let index = LineIndex::new(text);
            assert_eq!(place(&issue(span, vec![]), &index).range, expected, "{why}");
        }
    }

    #[test]
    fn positions_past_the_text_are_clamped_not_a_panic() {
        let index = LineIndex::new("ab\n");
        for span in [
            point(99, 5),
            point(1, 999),
            Span::Lines {
                from: 7,
                to: 9,
                column: 3,
            },
            Span::Range {
                start: LinePos { line: 5, column: 1 },
                end: LinePos { line: 1, column: 1 },
            },
        ] {
            let placed = place(&issue(span, vec![]), &index);
            assert!(placed.range.start <= placed.range.end);
        }
    }

    fn fix(edits: Vec<FixEdit>) -> SuggestedFix {
        SuggestedFix {
            message: String::new(),
            edits,
        }
    }

    fn bytes(start: usize, end: usize, new_text: &str) -> ByteEdit {
        ByteEdit {
            start,
            end,
            new_text: new_text.into(),
        }
    }

    fn bytes_fix(start: usize, end: usize, new_text: &str) -> SuggestedFix {
        fix(vec![FixEdit::Bytes(bytes(start, end, new_text))])
    }

    #[test]
    fn a_fix_starting_at_the_issue_sets_the_range_and_becomes_an_lsp_edit() {
        let text = "// Recieve is\n";
        let index = LineIndex::new(text);
        let placed = place(
            &issue(point(1, 4), vec![bytes_fix(3, 10, "Receive")]),
            &index,
        );
        assert_eq!(placed.range, range(0, 3, 0, 10));
        assert_eq!(placed.fixes.len(), 1);
        assert_eq!(placed.fixes[0].title, "Replace with `Receive` (l)");
        assert_eq!(placed.fixes[0].edits[0].range, range(0, 3, 0, 10));
        assert_eq!(placed.fixes[0].edits[0].new_text, "Receive");
    }

    #[test]
    fn fixes_that_do_not_fit_the_text_are_dropped() {
        let index = LineIndex::new("日本\n");
        for fix in [
            bytes_fix(1, 3, "x"),
            bytes_fix(0, 99, ""),
            bytes_fix(4, 2, ""),
        ] {
            assert!(place(&issue(point(1, 1), vec![fix]), &index)
                .fixes
                .is_empty());
        }
        let overlapping = fix(vec![
            FixEdit::Bytes(bytes(0, 3, "")),
            FixEdit::Bytes(bytes(2, 4, "")),
        ]);
        assert!(byte_edits(&overlapping, &index).is_none());
    }

    #[test]
    fn v1_line_and_inline_replacements_become_byte_edits() {
        let text = "a\nteh b\nc\nd";
        let index = LineIndex::new(text);
        let lines = fix(vec![FixEdit::Lines {
            from: 2,
            to: 3,
            new_lines: vec!["X".into()],
        }]);
        assert_eq!(byte_edits(&lines, &index).unwrap(), [bytes(2, 10, "X\n")]);
        let delete_last = fix(vec![FixEdit::Lines {
            from: 4,
            to: 4,
            new_lines: vec![],
        }]);
        assert_eq!(
            byte_edits(&delete_last, &index).unwrap(),
            [bytes(10, 11, "")]
        );
        let inline = fix(vec![FixEdit::Inline {
            line: 2,
            start_column: 0,
            length: 3,
            new_text: "the".into(),
        }]);
        assert_eq!(byte_edits(&inline, &index).unwrap(), [bytes(2, 5, "the")]);
        let too_long = fix(vec![FixEdit::Inline {
            line: 2,
            start_column: 3,
            length: 30,
            new_text: "x".into(),
        }]);
        assert!(byte_edits(&too_long, &index).is_none());
    }

    /// Applies `edits` (sorted, apart) to `text`.
    fn applied(text: &str, edits: &[ByteEdit]) -> String {
        let mut out = text.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.start..e.end, &e.new_text);
        }
        out
    }

    #[test]
    fn a_fix_ending_between_cr_and_lf_ends_where_the_linters_does() {
        // godot on a CRLF file (golangci-lint 2.15.0): the comment and its
        // `\r` (bytes 16..40) become the comment, a period and `\r`.
        let text = "package crlf\r\n\r\n// Add adds two numbers\r\nfunc Add() {}\r\n";
        let index = LineIndex::new(text);
        let godot = bytes_fix(16, 40, "// Add adds two numbers.\r");
        let edits = byte_edits(&godot, &index).unwrap();
        assert_eq!(edits, [bytes(16, 39, "// Add adds two numbers.")]);
        let fixed = "package crlf\r\n\r\n// Add adds two numbers.\r\nfunc Add() {}\r\n";
        assert_eq!(applied(text, &edits), fixed);
        let placed = place(&issue(point(3, 1), vec![godot]), &index);
        let edit = &placed.fixes[0].edits[0];
        assert_eq!(edit.range, range(2, 0, 2, 23), "the line break stays");
        assert_eq!(edit.new_text, "// Add adds two numbers.");
        assert_eq!(
            placed.fixes[0].title,
            "Replace with `// Add adds two numbers.` (l)"
        );
        assert_eq!(
            crate::edit::apply_edits(text, &[(edit.range, edit.new_text.clone())]).unwrap(),
            fixed,
            "the LSP edit writes what golangci-lint's fix writes"
        );
    }

    #[test]
    fn every_edit_boundary_inside_a_crlf_moves_out_with_the_same_result() {
        let text = "a\r\nb\r\n";
        let index = LineIndex::new(text);
        for (why, edit) in [
            ("an insertion between \\r and \\n", bytes(2, 2, "X")),
            (
                "an end there, without \\r in the new text",
                bytes(0, 2, "Z"),
            ),
            ("a start there", bytes(2, 4, "\nY")),
            ("both ends there", bytes(2, 5, "Q")),
        ] {
            let edits = byte_edits(&fix(vec![FixEdit::Bytes(edit.clone())]), &index).unwrap();
            for e in &edits {
                for at in [e.start, e.end] {
                    assert!(
                        !(at > 0 && &text[at - 1..at] == "\r" && text[at..].starts_with('\n')),
                        "{why}: {e:?}"
                    );
                }
            }
            assert_eq!(applied(text, &edits), applied(text, &[edit]), "{why}");
        }
    }

    #[test]
    fn a_fix_that_changes_nothing_is_not_offered() {
        let text = "x := a\n";
        let index = LineIndex::new(text);
        let same = bytes_fix(5, 6, "a");
        assert!(byte_edits(&same, &index).is_none());
        assert!(place(&issue(point(1, 6), vec![same]), &index)
            .fixes
            .is_empty());
        let lines_same = fix(vec![FixEdit::Lines {
            from: 1,
            to: 1,
            new_lines: vec!["x := a".into()],
        }]);
        assert!(byte_edits(&lines_same, &index).is_none());
        // Of two edits, the one that changes something is kept.
        let half = fix(vec![
            FixEdit::Bytes(bytes(0, 1, "x")),
            FixEdit::Bytes(bytes(5, 6, "b")),
        ]);
        assert_eq!(byte_edits(&half, &index).unwrap(), [bytes(5, 6, "b")]);
    }

    #[test]
    fn a_range_over_several_lines_keeps_its_reported_column() {
        // revive's empty-block (golangci-lint 2.15.0): Column 11 on line 4,
        // LineRange 4..5, for `if x > 0 {` ... `}`.
        let text = "package multi\n\nfunc C(x int) {\n\tif x > 0 {\n\t}\n}\n";
        let index = LineIndex::new(text);
        let span = Span::Lines {
            from: 4,
            to: 5,
            column: 11,
        };
        assert_eq!(
            place(&issue(span, vec![]), &index).range,
            range(3, 10, 4, 2)
        );
        let whole = Span::Lines {
            from: 4,
            to: 5,
            column: 0,
        };
        assert_eq!(
            place(&issue(whole, vec![]), &index).range,
            range(3, 0, 4, 2)
        );
    }

    /// The import block golangci-lint 2.15.0's gci, gofmt and goimports all
    /// report on: `"strings"` above `"fmt"`.
    const UNSORTED: &str = "package imp\n\nimport (\n\t\"strings\"\n\t\"fmt\"\n\t\"os\"\n)\n\n// Hello says hi.\nfunc Hello() {\n\tfmt.Println(strings.ToUpper(\"hi\"), os.Args)\n}\n";

    fn formatter(linter: &str, fix: SuggestedFix) -> LintIssue {
        LintIssue {
            linter: linter.into(),
            ..issue(point(4, 1), vec![fix])
        }
    }

    #[test]
    fn a_formatter_fix_that_loses_an_import_is_not_offered() {
        let index = LineIndex::new(UNSORTED);
        for linter in ["gci", "gofmt", "goimports"] {
            // What each reported: bytes 22..32 (`\t"strings"`) deleted, and
            // no edit adding it back below `"os"`.
            let half = formatter(linter, bytes_fix(22, 32, ""));
            assert!(place(&half, &index).fixes.is_empty(), "{linter}");
            let whole = formatter(
                linter,
                fix(vec![
                    FixEdit::Bytes(bytes(22, 33, "")),
                    FixEdit::Bytes(bytes(46, 46, "\t\"strings\"\n")),
                ]),
            );
            let placed = place(&whole, &index);
            assert_eq!(
                placed.fixes.len(),
                1,
                "{linter}: a whole reorder is offered"
            );
            assert_eq!(placed.fixes[0].title, format!("Format with {linter}"));
        }
        // Not a formatter: a linter's fix may drop an import it made unused.
        assert_eq!(
            place(&formatter("modernize", bytes_fix(22, 32, "")), &index)
                .fixes
                .len(),
            1
        );
    }

    #[test]
    fn a_formatter_fix_that_changes_line_endings_or_drops_the_final_newline_is_not_offered() {
        // On a CRLF file, golangci-lint 2.15.0's formatters report the whole
        // file rewritten with LF endings and no final newline.
        let crlf = UNSORTED.replace('\n', "\r\n");
        let index = LineIndex::new(&crlf);
        let lf_rewrite = formatter("gofmt", bytes_fix(0, crlf.len(), UNSORTED.trim_end()));
        assert!(place(&lf_rewrite, &index).fixes.is_empty());
        let body = crlf.find("\tfmt.Println").unwrap();
        let in_place = formatter("gofmt", bytes_fix(body, body + 1, "  "));
        assert_eq!(place(&in_place, &index).fixes.len(), 1, "CRLF kept");
        let index = LineIndex::new(UNSORTED);
        let truncated = formatter("gofmt", bytes_fix(UNSORTED.len() - 1, UNSORTED.len(), ""));
        assert!(
            place(&truncated, &index).fixes.is_empty(),
            "final newline dropped"
        );
    }

    #[test]
    fn a_formatter_fix_that_unbalances_brackets_is_not_offered() {
        let index = LineIndex::new(UNSORTED);
        let body = UNSORTED.find("\tfmt.Println").unwrap();
        let broken = formatter("gofmt", bytes_fix(body, body + 12, "fmt.Println("));
        assert!(place(&broken, &index).fixes.is_empty());
        let spaced = formatter("gofmt", bytes_fix(body, body + 1, "  "));
        assert_eq!(place(&spaced, &index).fixes.len(), 1);
    }
}
