//! The editing features of SSH config files in LSP terms: completion,
//! document symbols and formatting, from the pure pieces in
//! [`crate::ssh::edit`]. Positions are UTF-16 columns, as LSP counts them.

use std::path::Path;

use tower_lsp_server::ls_types::{
    self as lsp, CompletionItem, CompletionItemKind, CompletionList, CompletionResponse,
    CompletionTextEdit, DocumentSymbol, FormattingOptions, MarkupContent, MarkupKind, Position,
    SymbolKind, TextEdit,
};

use crate::ssh::config::cidr;
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::source::SourceFile;
use crate::ssh::edit::complete::{complete, ItemKind, MatchFacts};
use crate::ssh::edit::format::format_edits;
use crate::ssh::edit::outline::{outline, Symbol, SymbolKind as Kind};
use crate::ssh::release::which::Choice;
use crate::text::utf16_column;

/// The methods the client registers for SSH configs only, when it can
/// (a formatter must not be offered for the other files it sends us).
pub const REGISTERED: &[&str] = &["textDocument/formatting", "textDocument/rangeFormatting"];

/// The documents those registrations cover.
pub fn ssh_selector() -> serde_json::Value {
    serde_json::json!({
        "documentSelector": [{ "language": "ssh_config", "scheme": "file" }]
    })
}

/// Line `index` of `text`, without its `\n` (nor a `\r` before it).
fn line_of(text: &str, index: u32) -> Option<&str> {
    let line = text.split('\n').nth(usize::try_from(index).ok()?)?;
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// The byte offset in `line` of UTF-16 column `column` (the end of the line
/// past it; None inside a surrogate pair).
fn byte_of(line: &str, column: u32) -> Option<usize> {
    let mut units = 0u32;
    for (byte, c) in line.char_indices() {
        if units == column {
            return Some(byte);
        }
        if units > column {
            return None;
        }
        units += u32::try_from(c.len_utf16()).ok()?;
    }
    (units <= column).then_some(line.len())
}

fn markdown(value: String) -> lsp::Documentation {
    lsp::Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

/// Completions at `position` of `text` by the rules of `ssh`; `machine`
/// holds the local user and networks a `Match` argument may name (the
/// config's Host aliases and Tags are added here).
pub fn completion(
    text: &str,
    position: Position,
    ssh: &Choice,
    machine: &MatchFacts,
) -> Option<CompletionResponse> {
    let line = line_of(text, position.line)?;
    let at = byte_of(line, position.character)?;
    let is_match = line
        .trim_start()
        .get(..5)
        .is_some_and(|w| w.eq_ignore_ascii_case("match"));
    let facts = if is_match {
        MatchFacts {
            local_user: machine.local_user.clone(),
            networks: machine.networks.clone(),
            ..MatchFacts::of_config(text)
        }
    } else {
        MatchFacts::default()
    };
    let found = complete(line, at, ssh.semantics, &ssh.summary(), &facts)?;
    let range = lsp::Range::new(
        Position::new(position.line, utf16_column(line, found.replace.start)),
        Position::new(position.line, utf16_column(line, found.replace.end)),
    );
    let items = found
        .items
        .into_iter()
        .enumerate()
        .map(|(index, item)| CompletionItem {
            kind: Some(match item.kind {
                ItemKind::Keyword | ItemKind::Criterion => CompletionItemKind::KEYWORD,
                ItemKind::Value => CompletionItemKind::VALUE,
            }),
            detail: item.detail,
            documentation: item.documentation.map(markdown),
            preselect: item.default.then_some(true),
            // Values and criteria keep their order (yes before no, the
            // default's algorithms first); keywords sort by name.
            sort_text: (item.kind != ItemKind::Keyword).then(|| format!("{index:03}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: item.label.clone(),
            })),
            label: item.label,
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items,
    }))
}

/// What a `Match` argument may name of this machine: the local user and
/// the network of each interface that is up.
pub fn machine_facts() -> MatchFacts {
    let mut networks: Vec<String> = Vec::new();
    for (address, prefix) in crate::platform::net::interfaces() {
        let Some(prefix) = prefix else {
            continue;
        };
        let network = cidr::network_of(address, prefix);
        if !networks.contains(&network) {
            networks.push(network);
        }
    }
    MatchFacts {
        local_user: Some(LocalFacts::current().user).filter(|u| !u.is_empty()),
        networks,
        ..MatchFacts::default()
    }
}

/// The outline of the config `text` (saved at `path`).
pub fn document_symbols(path: &Path, text: &str) -> Vec<DocumentSymbol> {
    let file = SourceFile::parse(path.to_path_buf(), text);
    outline(&file).iter().map(|s| symbol(&file, s)).collect()
}

fn symbol(file: &SourceFile, s: &Symbol) -> DocumentSymbol {
    let line_text = |line: usize| file.lines.get(line).map_or("", |l| file.line_text(l));
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let last = line_text(s.lines.end);
    let range = lsp::Range::new(
        Position::new(to_u32(s.lines.start), 0),
        Position::new(to_u32(s.lines.end), utf16_column(last, last.len())),
    );
    let named = line_text(s.name_line);
    let selection_range = lsp::Range::new(
        Position::new(to_u32(s.name_line), utf16_column(named, s.name_span.start)),
        Position::new(to_u32(s.name_line), utf16_column(named, s.name_span.end)),
    );
    let children: Vec<DocumentSymbol> = s.children.iter().map(|c| symbol(file, c)).collect();
    #[allow(deprecated)] // `deprecated` is a required field of the type
    DocumentSymbol {
        name: s.name.clone(),
        detail: Some(s.detail.clone()),
        kind: match s.kind {
            Kind::Host => SymbolKind::NAMESPACE,
            Kind::Match => SymbolKind::STRUCT,
            Kind::Include => SymbolKind::FILE,
            Kind::Keyword => SymbolKind::PROPERTY,
        },
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children: (!children.is_empty()).then_some(children),
    }
}

/// The editor's indentation unit: its tab size in spaces, or a tab.
fn editor_indent(options: &FormattingOptions) -> String {
    if options.insert_spaces {
        let width = usize::try_from(options.tab_size.clamp(1, 16)).unwrap_or(4);
        " ".repeat(width)
    } else {
        String::from("\t")
    }
}

/// The edits that format `text` (see [`crate::ssh::edit::format`]); with
/// `range`, only those of the lines it touches.
pub fn formatting(
    text: &str,
    options: &FormattingOptions,
    range: Option<lsp::Range>,
) -> Vec<TextEdit> {
    let wanted = |line: u32| {
        range.is_none_or(|r| {
            let end = if r.end.character == 0 && r.end.line > r.start.line {
                r.end.line - 1
            } else {
                r.end.line
            };
            (r.start.line..=end).contains(&line)
        })
    };
    format_edits(text, &editor_indent(options))
        .into_iter()
        .filter_map(|e| {
            let line = u32::try_from(e.line).ok()?;
            let old = u32::try_from(e.old_len).ok()?;
            wanted(line).then(|| TextEdit {
                range: lsp::Range::new(Position::new(line, 0), Position::new(line, old)),
                new_text: e.indent,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::release::parse_version_argument;

    fn options(tab_size: u32, insert_spaces: bool) -> FormattingOptions {
        FormattingOptions {
            tab_size,
            insert_spaces,
            ..FormattingOptions::default()
        }
    }

    #[test]
    fn columns_are_utf16_units() {
        assert_eq!(byte_of("aé𝄞b", 0), Some(0));
        assert_eq!(byte_of("aé𝄞b", 2), Some(3));
        assert_eq!(byte_of("aé𝄞b", 3), None, "inside the surrogate pair");
        assert_eq!(byte_of("aé𝄞b", 4), Some(7));
        assert_eq!(byte_of("aé𝄞b", 9), Some(8));
        assert_eq!(line_of("a\r\nb", 0), Some("a"));
        assert_eq!(line_of("a\r\nb", 2), None);
    }

    #[test]
    fn a_completion_replaces_the_typed_word_in_utf16_columns() {
        let ssh = Choice::of_version(parse_version_argument("10.5p1").unwrap());
        let Some(CompletionResponse::List(list)) = completion(
            "# é\n\tCompression n\n",
            Position::new(1, 13),
            &ssh,
            &MatchFacts::default(),
        ) else {
            panic!("no completion");
        };
        let labels: Vec<&str> = list.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["yes", "no"]);
        let Some(CompletionTextEdit::Edit(edit)) = &list.items[1].text_edit else {
            panic!("no edit");
        };
        assert_eq!(
            edit.range,
            lsp::Range::new(Position::new(1, 13), Position::new(1, 14))
        );
        assert_eq!(list.items[1].preselect, Some(true), "no is the default");
        assert_eq!(list.items[1].detail.as_deref(), Some("default"));
    }

    #[test]
    fn symbols_nest_keyword_lines_under_their_block() {
        let symbols = document_symbols(
            Path::new("/c"),
            "User me\nHost db  # x\n  HostName db.example\n",
        );
        assert_eq!(symbols.len(), 2);
        let host = &symbols[1];
        assert_eq!(
            (host.name.as_str(), host.kind),
            ("db", SymbolKind::NAMESPACE)
        );
        assert_eq!(
            host.range,
            lsp::Range::new(Position::new(1, 0), Position::new(2, 21))
        );
        assert_eq!(
            host.selection_range,
            lsp::Range::new(Position::new(1, 5), Position::new(1, 7))
        );
        let children = host.children.as_ref().unwrap();
        assert_eq!(children[0].name, "HostName");
        assert_eq!(children[0].detail.as_deref(), Some("db.example"));
    }

    #[test]
    fn formatting_uses_the_editors_unit_only_when_the_file_has_none() {
        let text = "Host a\nUser u\nHost b\nPort 1\n";
        let spaces = formatting(text, &options(2, true), None);
        assert_eq!(spaces.len(), 2);
        assert_eq!(spaces[0].new_text, "  ");
        assert_eq!(
            spaces[0].range,
            lsp::Range::new(Position::new(1, 0), Position::new(1, 0))
        );
        assert_eq!(formatting(text, &options(8, false), None)[0].new_text, "\t");
        let own = formatting(
            "Host a\n\tUser u\nHost b\nPort 1\n",
            &options(2, true),
            None,
        );
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].new_text, "\t");
    }

    #[test]
    fn range_formatting_touches_only_the_lines_in_range() {
        let text = "Host a\nUser u\nHost b\nPort 1\n";
        let range = lsp::Range::new(Position::new(2, 0), Position::new(4, 0));
        let edits = formatting(text, &options(4, true), Some(range));
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].range.start.line, 3);
        let up_to_line_3 = lsp::Range::new(Position::new(0, 0), Position::new(3, 0));
        assert_eq!(
            formatting(text, &options(4, true), Some(up_to_line_3)).len(),
            1
        );
    }
}
