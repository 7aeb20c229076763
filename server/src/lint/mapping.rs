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
        .filter_map(|fix| Some((fix_title(issue, fix), byte_edits(fix, index)?)))
        .collect();
    let (start, end) = match &issue.span {
        Span::Range { start, end } => (
            byte_offset(index, *start),
            byte_offset(index, *end).max(byte_offset(index, *start)),
        ),
        Span::Lines { from, to } => (
            line_start(index, *from),
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

/// What the fix does, in the words a light-bulb menu needs.
fn fix_title(issue: &LintIssue, fix: &SuggestedFix) -> String {
    let linter = &issue.linter;
    if !fix.message.trim().is_empty() {
        return format!("{} ({linter})", fix.message.trim());
    }
    if FORMATTERS.contains(&linter.as_str()) {
        return format!("Format with {linter}");
    }
    let single_text = match fix.edits.as_slice() {
        [FixEdit::Bytes(ByteEdit { new_text, .. })] | [FixEdit::Inline { new_text, .. }] => {
            Some(new_text.as_str())
        }
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
/// on character boundaries and not overlapping; None when they are not.
pub fn byte_edits(fix: &SuggestedFix, index: &LineIndex<'_>) -> Option<Vec<ByteEdit>> {
    let text = index.text();
    let mut edits: Vec<ByteEdit> = fix
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
    edits.sort_by_key(|e| (e.start, e.end));
    let fits = edits.iter().all(|e| {
        e.start <= e.end
            && e.end <= text.len()
            && text.is_char_boundary(e.start)
            && text.is_char_boundary(e.end)
    }) && edits.windows(2).all(|w| w[0].end <= w[1].start);
    (fits && !edits.is_empty()).then_some(edits)
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
                Span::Lines { from: 2, to: 3 },
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
            Span::Lines { from: 7, to: 9 },
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
}
