//! Lint results in the editor: placed issues become diagnostics, and the
//! quick fixes for a diagnostic are built from the issue it came from and the
//! file's current text. Pure: state and texts in, LSP values out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, CreateFile,
    CreateFileOptions, Diagnostic, DiagnosticSeverity, DocumentChangeOperation, DocumentChanges,
    NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, Position, Range, ResourceOp,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::lint::model::{doc_url, ByteEdit, Level, ToolKind};
use crate::lint::{config_edit, suppress, text_hash, PlacedIssue};
use crate::text::LineIndex;

/// The package directory an issue's diagnostics are kept under: a run of a
/// package replaces exactly that directory's diagnostics.
pub fn package_dir(file: &Path) -> PathBuf {
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn severity(level: Level) -> DiagnosticSeverity {
    match level {
        Level::Error => DiagnosticSeverity::ERROR,
        Level::Warning => DiagnosticSeverity::WARNING,
        Level::Info => DiagnosticSeverity::INFORMATION,
        Level::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn diagnostic(tool: ToolKind, placed: &PlacedIssue) -> Diagnostic {
    Diagnostic {
        range: placed.range,
        severity: Some(severity(Level::of(placed.issue.severity.as_deref()))),
        code: Some(NumberOrString::String(
            crate::render::escape::line(&placed.issue.linter).into_owned(),
        )),
        code_description: Uri::from_str(&doc_url(tool, &placed.issue.linter))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(tool.source().to_string()),
        message: crate::render::escape::text(&placed.issue.message).into_owned(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// Diagnostics per file URI, per package directory.
pub fn diagnostics_by_dir(
    tool: ToolKind,
    issues: &[PlacedIssue],
) -> BTreeMap<PathBuf, BTreeMap<String, Vec<Diagnostic>>> {
    let mut out: BTreeMap<PathBuf, BTreeMap<String, Vec<Diagnostic>>> = BTreeMap::new();
    for placed in issues {
        out.entry(package_dir(&placed.issue.file))
            .or_default()
            .entry(crate::uri::file_uri(&placed.issue.file))
            .or_default()
            .push(diagnostic(tool, placed));
    }
    out
}

/// What the quick fixes need besides the issue: which tool produced it and
/// where the project's golangci-lint config is (or would go).
pub struct FixContext<'a> {
    pub tool: ToolKind,
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

/// Whether `diagnostic` is the one `placed` was published as.
fn same(diagnostic: &Diagnostic, tool: ToolKind, placed: &PlacedIssue) -> bool {
    diagnostic.source.as_deref() == Some(tool.source())
        && diagnostic.range == placed.range
        && diagnostic.message == crate::render::escape::text(&placed.issue.message)
        && diagnostic.code
            == Some(NumberOrString::String(
                crate::render::escape::line(&placed.issue.linter).into_owned(),
            ))
}

/// The quick fixes for the lint diagnostics among `diagnostics` in `file`.
pub fn quick_fixes(
    file: &Path,
    diagnostics: &[Diagnostic],
    issues: &[PlacedIssue],
    ctx: &FixContext<'_>,
) -> Vec<CodeActionOrCommand> {
    let Ok(uri) = Uri::from_str(&crate::uri::file_uri(file)) else {
        return Vec::new();
    };
    let Some(text) = (ctx.read)(file) else {
        return Vec::new();
    };
    let unchanged_hash = text_hash(&text);
    let mut actions = Vec::new();
    for d in diagnostics {
        let Some(placed) = issues
            .iter()
            .find(|p| p.issue.file == file && same(d, ctx.tool, p))
        else {
            continue;
        };
        // The linter's edits, and the diagnostic's line, refer to the text
        // it read: offered only while the file still has it (the next save
        // lints again). A line inserted above would put them on the wrong line.
        let current = placed.text_hash == unchanged_hash;
        if current {
            for (n, fix) in placed.fixes.iter().enumerate() {
                actions.push(action(
                    &fix.title,
                    d,
                    single_file_edit(file, &uri, fix.edits.clone(), ctx),
                    n == 0,
                ));
            }
        }
        if ctx.tool == ToolKind::GolangciLint {
            let linter = &placed.issue.linter;
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
        range: Range::new(index.position(edit.start), index.position(edit.end)),
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
