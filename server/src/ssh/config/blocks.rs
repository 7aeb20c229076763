//! The block structure of one config file: the lines before the first Host or
//! Match, then one block per Host/Match header with the lines under it.

use crate::ssh::config::lexer::{Directive, LineSyntax};
use crate::ssh::config::source::SourceFile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Header {
    /// Lines before any Host or Match: they apply to every host.
    Global,
    /// `Host` with its patterns as written (`!` kept).
    Host(Vec<String>),
    /// `Match` with its criteria text.
    Match(String),
}

#[derive(Debug, Clone)]
pub struct Block {
    pub header: Header,
    /// The header line, None for the global block.
    pub header_line: Option<usize>,
    /// Directive lines inside the block (not the header), in order.
    pub lines: Vec<usize>,
}

impl Block {
    /// The Host patterns that name exactly one host (no wildcard, no `!`).
    pub fn literal_hosts(&self) -> Vec<&str> {
        match &self.header {
            Header::Host(patterns) => patterns
                .iter()
                .filter(|p| !p.starts_with('!') && !crate::ssh::config::pattern::has_wildcards(p))
                .map(String::as_str)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the block applies to every host (`Host *`, `Match all`, global).
    pub fn matches_everything(&self) -> bool {
        match &self.header {
            Header::Global => true,
            Header::Host(patterns) => {
                patterns.iter().any(|p| p.chars().all(|c| c == '*'))
                    && !patterns.iter().any(|p| p.starts_with('!'))
            }
            Header::Match(criteria) => criteria.trim().eq_ignore_ascii_case("all"),
        }
    }
}

/// The file's blocks, split on first use and shared afterwards (a lint's
/// rules ask for them again and again).
pub fn blocks(file: &SourceFile) -> std::sync::Arc<Vec<Block>> {
    std::sync::Arc::clone(file.blocks.get_or_init(|| std::sync::Arc::new(split(file))))
}

/// Splits a file into blocks.
fn split(file: &SourceFile) -> Vec<Block> {
    let mut out = vec![Block {
        header: Header::Global,
        header_line: None,
        lines: Vec::new(),
    }];
    for line in &file.lines {
        let LineSyntax::Directive(d) = &line.syntax else {
            continue;
        };
        match d.keyword.as_str() {
            "host" => out.push(Block {
                header: Header::Host(d.args.iter().map(|a| a.value.clone()).collect()),
                header_line: Some(line.index),
                lines: Vec::new(),
            }),
            "match" => out.push(Block {
                header: Header::Match(d.rest.clone()),
                header_line: Some(line.index),
                lines: Vec::new(),
            }),
            _ => {
                if let Some(last) = out.last_mut() {
                    last.lines.push(line.index);
                }
            }
        }
    }
    out
}

/// The directive on a line, if it is one.
pub fn directive(file: &SourceFile, line: usize) -> Option<&Directive> {
    match &file.lines.get(line)?.syntax {
        LineSyntax::Directive(d) => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_global_host_and_match_blocks() {
        let file = SourceFile::parse(
            "c".into(),
            "User g\nHost a b*\n  Port 1\n\nMatch all\n  User m\n",
        );
        let found = blocks(&file);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].lines, [0]);
        assert_eq!(found[1].header, Header::Host(vec!["a".into(), "b*".into()]));
        assert_eq!(found[1].header_line, Some(1));
        assert_eq!(found[1].lines, [2]);
        assert_eq!(found[1].literal_hosts(), ["a"]);
        assert!(found[2].matches_everything());
    }
}
