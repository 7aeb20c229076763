//! Edits that cannot land on text they were not computed from: each file's
//! edits carry the version of the open document they were computed against
//! (`documentChanges` with a `TextDocumentEdit`), so the editor refuses them
//! once the document has moved on. A file that is not open gets version
//! null: its edits are computed from its text on disk when the quick fix is
//! asked for, never earlier. Pure.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    DocumentChanges, FileSystemWatcher, GlobPattern, OneOf,
    OptionalVersionedTextDocumentIdentifier, RelativePattern, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit,
};

/// What the client said it can take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientSupport {
    /// `workspace.workspaceEdit.documentChanges`: versioned edits.
    pub document_changes: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`.
    pub watch_files: bool,
    /// `workspace.didChangeWatchedFiles.relativePatternSupport`: watchers
    /// outside the workspace folders (an ssh config's includes usually are).
    pub relative_patterns: bool,
    /// `textDocument.codeAction.resolveSupport` lists `edit`: a quick fix's
    /// edit can wait until the user picks it, and be computed then.
    pub resolve_edit: bool,
    /// `textDocument.formatting.dynamicRegistration` and the same of
    /// `rangeFormatting`: the formatter can be registered for SSH configs
    /// only, not for every document the client sends.
    pub register_formatting: bool,
}

impl ClientSupport {
    pub fn of(capabilities: &tower_lsp_server::ls_types::ClientCapabilities) -> ClientSupport {
        let workspace = capabilities.workspace.as_ref();
        let watch = workspace.and_then(|w| w.did_change_watched_files);
        ClientSupport {
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            watch_files: watch.and_then(|w| w.dynamic_registration).unwrap_or(false),
            relative_patterns: watch
                .and_then(|w| w.relative_pattern_support)
                .unwrap_or(false),
            resolve_edit: capabilities
                .text_document
                .as_ref()
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            register_formatting: capabilities.text_document.as_ref().is_some_and(|t| {
                t.formatting.as_ref().and_then(|f| f.dynamic_registration) == Some(true)
                    && t.range_formatting
                        .as_ref()
                        .and_then(|f| f.dynamic_registration)
                        == Some(true)
            }),
        }
    }
}

/// One workspace edit for `files`' edits, each file with `version(uri)`:
/// the open document's version the edits were computed on, None for a file
/// read from disk. A client without `documentChanges` gets plain `changes`
/// (the edits were still computed from the current text).
pub fn workspace_edit(
    files: Vec<(Uri, Vec<TextEdit>)>,
    document_changes: bool,
    version: &dyn Fn(&Uri) -> Option<i32>,
) -> WorkspaceEdit {
    if !document_changes {
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for (uri, edits) in files {
            changes.entry(uri).or_default().extend(edits);
        }
        return WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        };
    }
    let mut by_uri: Vec<(Uri, Vec<TextEdit>)> = Vec::new();
    for (uri, edits) in files {
        match by_uri.iter_mut().find(|(u, _)| *u == uri) {
            Some((_, existing)) => existing.extend(edits),
            None => by_uri.push((uri, edits)),
        }
    }
    let edits = by_uri
        .into_iter()
        .map(|(uri, edits)| TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                version: version(&uri),
                uri,
            },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
        .collect();
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(edits)),
        ..WorkspaceEdit::default()
    }
}

/// File watchers for `files`: each file by name relative to its directory
/// when the client takes relative patterns, else by its absolute path.
pub fn watchers(files: &BTreeSet<PathBuf>, relative: bool) -> Vec<FileSystemWatcher> {
    files
        .iter()
        .filter_map(|file| {
            let glob_pattern = if relative {
                let dir = file.parent()?;
                let name = file.file_name()?.to_string_lossy();
                GlobPattern::Relative(RelativePattern {
                    base_uri: OneOf::Right(Uri::from_str(&crate::uri::file_uri(dir)).ok()?),
                    pattern: escape_glob(&name),
                })
            } else {
                GlobPattern::String(escape_glob(&file.to_string_lossy()))
            };
            Some(FileSystemWatcher {
                glob_pattern,
                kind: None,
            })
        })
        .collect()
}

/// A literal path as a glob: the characters globs give meaning to are put
/// in brackets (`[*]`), which every LSP glob dialect reads as themselves.
fn escape_glob(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for ch in literal.chars() {
        match ch {
            '*' | '?' | '[' | ']' | '{' | '}' => {
                out.push('[');
                out.push(ch);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn edit(line: u32) -> TextEdit {
        TextEdit {
            range: Range::new(Position::new(line, 0), Position::new(line, 1)),
            new_text: "x".into(),
        }
    }

    #[test]
    fn open_documents_get_their_version_and_closed_ones_null() {
        let open = Uri::from_str("file:///open").unwrap();
        let closed = Uri::from_str("file:///closed").unwrap();
        let version = |u: &Uri| (u.as_str() == "file:///open").then_some(7);
        let e = workspace_edit(
            vec![
                (open.clone(), vec![edit(0)]),
                (closed.clone(), vec![edit(1)]),
                (open.clone(), vec![edit(2)]),
            ],
            true,
            &version,
        );
        assert!(e.changes.is_none());
        let Some(DocumentChanges::Edits(edits)) = e.document_changes else {
            panic!("not documentChanges")
        };
        assert_eq!(edits.len(), 2);
        assert_eq!(edits[0].text_document.uri, open);
        assert_eq!(edits[0].text_document.version, Some(7));
        assert_eq!(edits[0].edits.len(), 2);
        assert_eq!(edits[1].text_document.version, None);
    }

    #[test]
    fn clients_without_document_changes_get_changes() {
        let uri = Uri::from_str("file:///a").unwrap();
        let e = workspace_edit(vec![(uri.clone(), vec![edit(0)])], false, &|_| Some(1));
        assert!(e.document_changes.is_none());
        assert_eq!(e.changes.unwrap()[&uri].len(), 1);
    }

    #[test]
    fn watchers_name_each_file_literally() {
        let files = BTreeSet::from([PathBuf::from("/h/.ssh/config.d/a*b")]);
        let relative = watchers(&files, true);
        match &relative[0].glob_pattern {
            GlobPattern::Relative(r) => {
                assert_eq!(r.pattern, "a[*]b");
                match &r.base_uri {
                    OneOf::Right(u) => assert_eq!(u.as_str(), "file:///h/.ssh/config.d"),
                    OneOf::Left(_) => panic!("a folder"),
                }
            }
            GlobPattern::String(_) => panic!("not relative"),
        }
        let absolute = watchers(&files, false);
        assert_eq!(
            absolute[0].glob_pattern,
            GlobPattern::String("/h/.ssh/config.d/a[*]b".into())
        );
    }
}
