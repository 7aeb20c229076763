//! The outline of one config file: its Host and Match blocks (named by
//! their patterns or criteria) with their keyword lines, the keyword lines
//! before the first block, and Include lines wherever they are. Pure.

use std::ops::Range;

use crate::ssh::config::blocks::{blocks, Header};
use crate::ssh::config::lexer::LineSyntax;
use crate::ssh::config::source::SourceFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Host,
    Match,
    Include,
    /// Any other keyword line.
    Keyword,
}

/// One entry of the outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub kind: SymbolKind,
    /// The patterns or criteria of a block; the keyword as written on a line.
    pub name: String,
    /// `Host`/`Match` for a block; the value (secrets masked) for a line.
    pub detail: String,
    /// The first and last line the symbol covers (a block: its header to its
    /// last keyword line).
    pub lines: Range<usize>,
    /// The byte span, in `name_line`, of what names it (the patterns, the
    /// keyword).
    pub name_line: usize,
    pub name_span: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The outline of `file`.
pub fn outline(file: &SourceFile) -> Vec<Symbol> {
    let mut out = Vec::new();
    for block in blocks(file).iter() {
        let children: Vec<Symbol> = block
            .lines
            .iter()
            .filter_map(|line| line_symbol(file, *line))
            .collect();
        let Some(header) = block.header_line else {
            out.extend(children);
            continue;
        };
        let LineSyntax::Directive(d) = &file.lines[header].syntax else {
            continue;
        };
        let (kind, name, detail) = match &block.header {
            Header::Host(patterns) => (SymbolKind::Host, patterns.join(" "), "Host"),
            Header::Match(criteria) => (SymbolKind::Match, criteria.clone(), "Match"),
            Header::Global => continue,
        };
        let last = block.lines.last().copied().unwrap_or(header);
        out.push(Symbol {
            kind,
            name,
            detail: detail.to_string(),
            lines: header..last,
            name_line: header,
            name_span: match (d.args.first(), d.args.last()) {
                (Some(first), Some(last)) => first.span.start..last.span.end,
                _ => d.rest_span.clone(),
            },
            children,
        });
    }
    out
}

fn line_symbol(file: &SourceFile, line: usize) -> Option<Symbol> {
    let LineSyntax::Directive(d) = &file.lines.get(line)?.syntax else {
        return None;
    };
    let text = file.line_text(&file.lines[line]);
    let written = text.get(d.keyword_span.clone()).unwrap_or(&d.keyword);
    let kind = if d.keyword == "include" {
        SymbolKind::Include
    } else {
        SymbolKind::Keyword
    };
    Some(Symbol {
        kind,
        name: written.to_string(),
        detail: crate::redact::secrets(&d.rest),
        lines: line..line,
        name_line: line,
        name_span: d.keyword_span.clone(),
        children: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Vec<Symbol> {
        outline(&SourceFile::parse("config".into(), text))
    }

    #[test]
    fn blocks_are_named_by_their_patterns_and_hold_their_keyword_lines() {
        let symbols = of("Include conf.d/*\nUser me\n\nHost db db-*  # databases\n  HostName db.example\n\n  Port 2222\n# next\nMatch host x exec \"true\"\n  User y\n");
        let summary: Vec<(SymbolKind, &str, Range<usize>)> = symbols
            .iter()
            .map(|s| (s.kind, s.name.as_str(), s.lines.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                (SymbolKind::Include, "Include", 0..0),
                (SymbolKind::Keyword, "User", 1..1),
                (SymbolKind::Host, "db db-*", 3..6),
                (SymbolKind::Match, "host x exec \"true\"", 8..9),
            ]
        );
        assert_eq!(symbols[0].detail, "conf.d/*");
        let host = &symbols[2];
        assert_eq!(host.detail, "Host");
        assert_eq!(host.name_span, 5..12);
        let children: Vec<(&str, &str)> = host
            .children
            .iter()
            .map(|c| (c.name.as_str(), c.detail.as_str()))
            .collect();
        assert_eq!(children, [("HostName", "db.example"), ("Port", "2222")]);
    }

    #[test]
    fn an_empty_block_covers_its_header_and_an_include_in_a_block_is_its_child() {
        let symbols = of("Host a\nHost b\n  Include b.conf\n");
        assert_eq!(symbols[0].lines, 0..0);
        assert!(symbols[0].children.is_empty());
        assert_eq!(symbols[1].children[0].kind, SymbolKind::Include);
        assert!(of("# only a comment\n\n").is_empty());
    }

    #[test]
    fn values_in_the_outline_have_their_secrets_masked() {
        let symbols = of("Host a\n  ProxyCommand curl https://user:hunter2@proxy.example/x\n");
        assert!(!symbols[0].children[0].detail.contains("hunter2"));
    }
}
