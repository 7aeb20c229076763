//! Formatting an ssh config: the lines inside Host and Match blocks are
//! indented by one consistent unit, every other keyword line starts at
//! column 0, and nothing else changes. Pure.
//!
//! - Only the leading spaces and tabs of keyword lines change. Comments,
//!   blank lines, lines ssh refuses, quoting, trailing text and line endings
//!   (`\r\n` included) are left exactly as they are.
//! - The unit is the indentation the file's block lines mostly use already
//!   (the first seen wins a tie); a file with no indented block line takes
//!   the editor's (`fallback`: its tab size in spaces, or a tab).
//! - ssh ignores leading whitespace, so a formatted file means the same.

use crate::ssh::config::lexer::{parse_line, LineSyntax};

/// One line's new indentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndentEdit {
    /// 0-based line.
    pub line: usize,
    /// Bytes (and UTF-16 units: spaces and tabs) of the indentation replaced.
    pub old_len: usize,
    pub indent: String,
}

/// Where a keyword line belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Host/Match lines and lines before the first of them.
    Column0,
    /// Lines under a Host or Match line.
    Body,
    /// Comments, blank lines and refused lines: never moved.
    Untouched,
}

/// The lines of `text` split on `\n`, each without it (a `\r` stays).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
}

fn indentation(line: &str) -> &str {
    let end = line
        .bytes()
        .position(|b| b != b' ' && b != b'\t')
        .unwrap_or(line.len());
    &line[..end]
}

fn places(text: &str) -> Vec<Place> {
    let mut in_block = false;
    lines(text)
        .map(|line| match parse_line(line) {
            LineSyntax::Directive(d) if d.keyword == "host" || d.keyword == "match" => {
                in_block = true;
                Place::Column0
            }
            LineSyntax::Directive(_) if in_block => Place::Body,
            LineSyntax::Directive(_) => Place::Column0,
            LineSyntax::Ignored | LineSyntax::Error { .. } => Place::Untouched,
        })
        .collect()
}

/// The indentation block lines mostly use, if any is indented.
pub fn dominant_indent(text: &str) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (line, place) in lines(text).zip(places(text)) {
        let indent = indentation(line);
        if place != Place::Body || indent.is_empty() {
            continue;
        }
        match counts.iter_mut().find(|(i, _)| *i == indent) {
            Some((_, n)) => *n += 1,
            None => counts.push((indent, 1)),
        }
    }
    // max_by_key keeps the last of equals: scan from the end for the first.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(i, _)| (*i).to_string())
}

/// The edits that format `text` (`fallback`: the indentation unit when the
/// file has none of its own). Empty for a formatted file.
pub fn format_edits(text: &str, fallback: &str) -> Vec<IndentEdit> {
    let unit = dominant_indent(text).unwrap_or_else(|| fallback.to_string());
    lines(text)
        .zip(places(text))
        .enumerate()
        .filter_map(|(index, (line, place))| {
            let wanted = match place {
                Place::Column0 => "",
                Place::Body => unit.as_str(),
                Place::Untouched => return None,
            };
            let old = indentation(line);
            (old != wanted).then(|| IndentEdit {
                line: index,
                old_len: old.len(),
                indent: wanted.to_string(),
            })
        })
        .collect()
}

/// `text` with `edits` (from [`format_edits`]: in line order) applied.
pub fn apply(text: &str, edits: &[IndentEdit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = edits.iter().peekable();
    for (index, line) in lines(text).enumerate() {
        if index > 0 {
            out.push('\n');
        }
        while pending.next_if(|e| e.line < index).is_some() {}
        match pending.next_if(|e| e.line == index) {
            Some(e) => {
                out.push_str(&e.indent);
                out.push_str(line.get(e.old_len..).unwrap_or(""));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// `text` formatted.
pub fn format(text: &str, fallback: &str) -> String {
    apply(text, &format_edits(text, fallback))
}

/// Whether `a` and `b` differ only in the spaces and tabs that start lines.
pub fn same_but_indentation(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (lines(a).collect(), lines(b).collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x.trim_start_matches([' ', '\t']) == y.trim_start_matches([' ', '\t']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR: &str = "    ";

    #[test]
    fn block_bodies_take_the_files_own_indentation_and_the_rest_column_0() {
        let text = "  User me\nHost a\n  HostName a.example\n    Port 2\n  Host b\n\tUser x\n";
        assert_eq!(
            format(text, FOUR),
            "User me\nHost a\n  HostName a.example\n  Port 2\nHost b\n  User x\n"
        );
    }

    #[test]
    fn without_an_indented_block_line_the_editors_unit_is_used() {
        assert_eq!(
            format("Host a\nUser u\nMatch all\nPort 2\n", "\t"),
            "Host a\n\tUser u\nMatch all\n\tPort 2\n"
        );
        assert_eq!(format("Host a\nUser u\n", FOUR), "Host a\n    User u\n");
    }

    #[test]
    fn comments_blank_lines_refused_lines_and_endings_stay_as_they_are() {
        let text = "Host a\r\n# top comment\r\n      # deep comment\r\n   \r\nUser \"x y\"   # trailing\r\n\tHost\r\n  Port 22";
        let formatted = format(text, FOUR);
        assert_eq!(
            formatted,
            "Host a\r\n# top comment\r\n      # deep comment\r\n   \r\n  User \"x y\"   # trailing\r\n\tHost\r\n  Port 22"
        );
        assert!(same_but_indentation(text, &formatted));
    }

    #[test]
    fn a_formatted_file_gets_no_edits() {
        let text = "Include ~/.ssh/conf.d/*\n\nHost a\n\tUser u\n\n# b\nHost b\n\tPort 2\n";
        assert!(format_edits(text, FOUR).is_empty());
        assert!(format_edits("", FOUR).is_empty());
    }

    #[test]
    fn the_most_used_indentation_wins_and_the_first_breaks_a_tie() {
        assert_eq!(
            dominant_indent("Host a\n  A 1\n    B 2\n    C 3\n"),
            Some(FOUR.into())
        );
        assert_eq!(dominant_indent("Host a\n\tA 1\n  B 2\n"), Some("\t".into()));
        // Lines before the first block are not body lines.
        assert_eq!(dominant_indent("   User u\nHost a\nPort 2\n"), None);
    }

    #[test]
    fn edits_replace_only_the_indentation_of_their_line() {
        // The only block line sets the unit: nothing to change.
        assert!(format_edits("Host a\n\t  User u\n", FOUR).is_empty());
        let edits = format_edits("Host a\n\t  User u\n  Port 1\n  Port 2\n", FOUR);
        assert_eq!(
            edits,
            [IndentEdit {
                line: 1,
                old_len: 3,
                indent: String::from("  ")
            }]
        );
    }

    /// A small deterministic generator of config-like texts: keyword lines,
    /// headers, comments, blank lines, refused lines, odd indentation and
    /// both line endings.
    fn generated(seed: u64) -> String {
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let pieces = [
            "Host a b*",
            "Match host x exec \"true\"",
            "  User u",
            "HostName=h",
            "# comment",
            "",
            "Port",
            "IdentityFile \"~/my key\"  ",
            "\"Host\" q",
            "SetEnv A=\"b c\"",
            "\u{a0}User nbsp",
            "=",
        ];
        let indents = ["", " ", "  ", "\t", "    ", " \t "];
        let mut text = String::new();
        for _ in 0..next(12) {
            text.push_str(indents[next(indents.len() as u64) as usize]);
            text.push_str(pieces[next(pieces.len() as u64) as usize]);
            text.push_str(if next(3) == 0 { "\r\n" } else { "\n" });
        }
        if next(2) == 0 {
            text.push_str("Port 1");
        }
        text
    }

    #[test]
    fn formatting_twice_is_formatting_once_and_only_indentation_changes() {
        for seed in 0..2000 {
            let text = generated(seed);
            for fallback in [FOUR, "\t", "  "] {
                let once = format(&text, fallback);
                assert!(same_but_indentation(&text, &once), "{text:?} -> {once:?}");
                assert_eq!(format(&once, fallback), once, "{text:?}");
                assert!(format_edits(&once, fallback).is_empty(), "{text:?}");
            }
        }
    }
}
