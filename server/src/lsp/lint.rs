//! Lint results in the editor: placed issues become diagnostics through the
//! one converter ([`super::diagnostics`]), each carrying the linter's fixes
//! and the hash of the text they were computed on; the quick fixes for a
//! diagnostic are built from that and the file's current text, and offered
//! only while the file still has the text that was linted. Pure: texts in,
//! LSP values out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions, Diagnostic,
    DiagnosticSeverity, DocumentChangeOperation, DocumentChanges, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, ResourceOp, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};

use super::diagnostics as convert;
use crate::lint::model::{ByteEdit, Level, ToolKind};
use crate::lint::{config_edit, suppress, text_hash, Linted};
use crate::text::LineIndex;

/// The package directory an issue's diagnostics are kept under: a run of a
/// package replaces exactly that directory's diagnostics.
pub fn package_dir(file: &Path) -> PathBuf {
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}

pub fn diagnostic(tool: ToolKind, placed: &Linted) -> Diagnostic {
    let mut d = convert::to_diagnostic(&placed.finding, tool.source(), &|_| None);
    if placed.level == Level::Hint {
        d.severity = Some(DiagnosticSeverity::HINT);
    }
    d
}

/// Diagnostics per file URI, per package directory.
pub fn diagnostics_by_dir(
    tool: ToolKind,
    issues: &[Linted],
) -> BTreeMap<PathBuf, BTreeMap<String, Vec<Diagnostic>>> {
    let mut out: BTreeMap<PathBuf, BTreeMap<String, Vec<Diagnostic>>> = BTreeMap::new();
    for placed in issues {
        out.entry(package_dir(placed.path()))
            .or_default()
            .entry(crate::uri::file_uri(placed.path()))
            .or_default()
            .push(diagnostic(tool, placed));
    }
    out
}

/// What the quick fixes need besides the diagnostic: where the project's
/// golangci-lint config is (or would go) and the texts as the editor has them.
pub struct FixContext<'a> {
    pub major: u8,
    /// Reads a file as the editor has it (open buffer, else disk).
    pub read: &'a dyn Fn(&Path) -> Option<String>,
    /// The module root of the file, where a new config goes.
    pub module_root: PathBuf,
    /// The version of the open document whose text `read` gave, None for a
    /// file read from disk: every edit carries it, so the editor refuses an
    /// edit once the document has changed.
    pub version: &'a dyn Fn(&Path) -> Option<i32>,
    /// The client takes `documentChanges` (versioned edits).
    pub document_changes: bool,
}

/// The quick fixes for the lint diagnostics among `diagnostics` in `file`,
/// from each diagnostic alone: no issue is looked up on the server.
pub fn quick_fixes(
    file: &Path,
    diagnostics: &[Diagnostic],
    ctx: &FixContext<'_>,
) -> Vec<CodeActionOrCommand> {
    let Ok(uri) = Uri::from_str(&crate::uri::file_uri(file)) else {
        return Vec::new();
    };
    let Some(text) = (ctx.read)(file) else {
        return Vec::new();
    };
    let now = text_hash(&text);
    let mut actions = Vec::new();
    for d in diagnostics {
        let Some(tool) = d.source.as_deref().and_then(ToolKind::from_source) else {
            continue;
        };
        let Some(NumberOrString::String(linter)) = &d.code else {
            continue;
        };
        let Some(data) = convert::fix_data(d) else {
            continue;
        };
        // The linter's edits, and the diagnostic's line, refer to the text
        // it read: offered only while the file still has it (the next save
        // lints again). A line inserted above would put them on the wrong line.
        let current = data.guard.holds(now);
        if current {
            for (n, fix) in data.fixes.iter().enumerate() {
                // The edits come back from the client: only this file's.
                if fix.edits.iter().any(|e| e.path != file) {
                    continue;
                }
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit {
                        range: convert::range(e.range),
                        new_text: e.new_text.clone(),
                    })
                    .collect();
                actions.push(action(
                    &crate::render::escape::line(&fix.title),
                    d,
                    single_file_edit(file, &uri, edits, ctx),
                    n == 0,
                ));
            }
        }
        if tool == ToolKind::GolangciLint {
            let nolint = current
                .then(|| suppress::nolint_edit(&text, d.range.start.line, linter))
                .flatten();
            if let Some(edit) = nolint {
                let index = LineIndex::new(&text);
                actions.push(action(
                    &format!("Ignore {linter} on this line (//nolint, then say why)"),
                    d,
                    single_file_edit(file, &uri, vec![lsp_edit(&index, edit)], ctx),
                    false,
                ));
            }
            if let Some((title, edit)) = disable_in_config(linter, file, ctx) {
                actions.push(action(&title, d, edit, false));
            }
        }
    }
    actions
}

fn action(
    title: &str,
    d: &Diagnostic,
    edit: WorkspaceEdit,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_string(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(edit),
        command: None,
        is_preferred: preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

fn lsp_edit(index: &LineIndex<'_>, edit: ByteEdit) -> TextEdit {
    TextEdit {
        range: convert::range(crate::finding::Range::new(
            index.position(edit.start),
            index.position(edit.end),
        )),
        new_text: edit.new_text,
    }
}

/// `edits` of `path`, computed from the text `ctx.read` gave: versioned
/// with that text's document version (null for a file read from disk).
fn single_file_edit(
    path: &Path,
    uri: &Uri,
    edits: Vec<TextEdit>,
    ctx: &FixContext<'_>,
) -> WorkspaceEdit {
    let version = (ctx.version)(path);
    super::versioned::workspace_edit(vec![(uri.clone(), edits)], ctx.document_changes, &|_| {
        version
    })
}

/// golangci-lint's config file names, in the order it prefers them.
const CONFIG_NAMES: [&str; 4] = [
    ".golangci.yml",
    ".golangci.yaml",
    ".golangci.toml",
    ".golangci.json",
];

/// The config golangci-lint would read for `file`: the nearest one in its
/// directory or above.
pub fn find_config(file: &Path) -> Option<PathBuf> {
    file.parent()?.ancestors().find_map(|dir| {
        CONFIG_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

fn disable_in_config(
    linter: &str,
    file: &Path,
    ctx: &FixContext<'_>,
) -> Option<(String, WorkspaceEdit)> {
    match find_config(file) {
        Some(config) => {
            let format = config_edit::ConfigFormat::from_path(&config)?;
            let text = (ctx.read)(&config)?;
            let edits = config_edit::disable_linter(&text, format, linter, ctx.major).ok()?;
            let index = LineIndex::new(&text);
            let uri = Uri::from_str(&crate::uri::file_uri(&config)).ok()?;
            let name = config.file_name()?.to_string_lossy().into_owned();
            Some((
                format!("Disable {linter} in {name}"),
                single_file_edit(
                    &config,
                    &uri,
                    edits.into_iter().map(|e| lsp_edit(&index, e)).collect(),
                    ctx,
                ),
            ))
        }
        None => {
            let config = ctx.module_root.join(".golangci.yml");
            let uri = Uri::from_str(&crate::uri::file_uri(&config)).ok()?;
            let create = DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: uri.clone(),
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            }));
            let fill = DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                edits: vec![OneOf::Left(TextEdit {
                    range: Range::new(Position::new(0, 0), Position::new(0, 0)),
                    new_text: config_edit::new_config(linter, ctx.major),
                })],
            });
            Some((
                format!("Disable {linter} in a new .golangci.yml"),
                WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Operations(vec![create, fill])),
                    ..WorkspaceEdit::default()
                },
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::golangci;

    const TEXT: &str = "package p\n\nfunc f() {\n\tx := 1 // mispelled\n}\n";

    /// A misspell issue on line 4 with its fix, placed in `TEXT`.
    fn diagnostic_of_text() -> Diagnostic {
        let json = r#"{"Issues":[{"FromLinter":"misspell","Text":"`mispelled` is a misspelling","Pos":{"Filename":"/ws/p.go","Line":4,"Column":12},"SuggestedFixes":[{"TextEdits":[{"Pos":33,"End":42,"NewText":"bWlzc3BlbGxlZA=="}]}]}]}"#;
        let issues = golangci::parse(json, Path::new("/ws")).issues;
        let placed =
            crate::lint::place_issues(ToolKind::GolangciLint, issues, |_| Some(TEXT.to_string()));
        let d = diagnostic(ToolKind::GolangciLint, &placed[0]);
        // As the client sends it back with a code action request.
        serde_json::from_value(serde_json::to_value(d).unwrap()).unwrap()
    }

    fn actions(text: &str, d: &Diagnostic) -> Vec<String> {
        let read = |p: &Path| (p == Path::new("/ws/p.go")).then(|| text.to_string());
        let ctx = FixContext {
            major: 2,
            read: &read,
            module_root: PathBuf::from("/ws"),
            version: &|_| Some(3),
            document_changes: true,
        };
        quick_fixes(Path::new("/ws/p.go"), std::slice::from_ref(d), &ctx)
            .into_iter()
            .filter_map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => Some(a.title),
                CodeActionOrCommand::Command(_) => None,
            })
            .collect()
    }

    #[test]
    fn the_linters_fix_is_built_from_the_diagnostic_alone_while_the_text_is_unchanged() {
        let d = diagnostic_of_text();
        assert_eq!(d.source.as_deref(), Some("golangci-lint"));
        assert_eq!(d.code, Some(NumberOrString::String("misspell".into())));
        let titles = actions(TEXT, &d);
        assert!(
            titles.iter().any(|t| t.contains("misspelled")),
            "{titles:?}"
        );
        assert!(titles.iter().any(|t| t.starts_with("Ignore misspell")));
    }

    #[test]
    fn a_stale_fix_is_refused_once_the_file_has_changed() {
        let d = diagnostic_of_text();
        let moved = format!("// a line above\n{TEXT}");
        let titles = actions(&moved, &d);
        assert!(
            !titles.iter().any(|t| t.contains("misspelled")),
            "{titles:?}"
        );
        assert!(
            !titles.iter().any(|t| t.starts_with("Ignore")),
            "//nolint would land on the wrong line: {titles:?}"
        );
        // Disabling the linter does not depend on the line.
        assert!(titles.iter().any(|t| t.starts_with("Disable misspell")));
    }
}
