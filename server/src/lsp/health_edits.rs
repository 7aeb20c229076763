//! Quick fixes that edit text for health findings (on VS Code settings
//! files, Remote-SSH's among them, devcontainer.json, a dev container's Dockerfile): taken from the diagnostic's data and offered
//! only while its guard holds for the file's current text, the open buffer's
//! or the disk's. SSH and lint diagnostics have their own ([`super::ssh`],
//! [`super::lint`]).

use std::path::Path;
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, NumberOrString, TextEdit, Uri,
    WorkspaceEdit,
};

use super::diagnostics::{self as convert, SOURCE};
use crate::lint::text_hash;
use crate::ssh::remote_ssh::SETTINGS_RULES;

/// Whether `d` is a gord health diagnostic carrying fix data.
pub fn wants(d: &Diagnostic) -> bool {
    is_health(d) && d.data.is_some()
}

/// Whether `d` is a gord health diagnostic these quick fixes serve.
fn is_health(d: &Diagnostic) -> bool {
    let code = match &d.code {
        Some(NumberOrString::String(code)) => code.as_str(),
        _ => return false,
    };
    let ssh_config = code.starts_with("SSH") && !SETTINGS_RULES.contains(&code);
    d.source.as_deref() == Some(SOURCE) && !ssh_config
}

/// The quick fixes for the health diagnostics of `file` among `diagnostics`.
/// `text` is the file's current text (None: unreadable, no fix); `build`
/// turns this file's edits into a (versioned) workspace edit.
pub fn quick_fixes(
    file: &Path,
    diagnostics: &[Diagnostic],
    text: Option<&str>,
    build: &dyn Fn(Uri, Vec<TextEdit>) -> WorkspaceEdit,
) -> Vec<CodeActionOrCommand> {
    let Some(text) = text else {
        return Vec::new();
    };
    let Ok(uri) = Uri::from_str(&crate::uri::file_uri(file)) else {
        return Vec::new();
    };
    let now = text_hash(text);
    let mut actions = Vec::new();
    for d in diagnostics.iter().filter(|d| is_health(d)) {
        let Some(data) = convert::fix_data(d) else {
            continue;
        };
        // Computed on other text: its ranges may point anywhere now.
        if !data.guard.holds(now) {
            continue;
        }
        for (n, fix) in data.fixes.iter().enumerate() {
            // The edits come back from the client: only this file's.
            if fix.edits.is_empty() || fix.edits.iter().any(|e| e.path != file) {
                continue;
            }
            let edits = fix.edits.iter().map(convert::text_edit).collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: crate::render::escape::line(&fix.title).into_owned(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(build(uri.clone(), edits)),
                command: None,
                is_preferred: Some(n == 0),
                disabled: None,
                data: None,
            }));
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Finding, Fix, Position, Range, Severity, Subject};
    use crate::lsp::diagnostics::to_diagnostic;
    use std::collections::HashMap;

    const TEXT: &str = "{\"go.lintFlags\": [\"--fast\"]}";

    fn diagnostic(path: &str, basis: &str, code: &str) -> Diagnostic {
        let at = Range::new(Position::new(0, 18), Position::new(0, 26));
        let mut finding = Finding::new(
            code,
            Severity::Error,
            "no --fast",
            Subject::file("/u/s.json", at),
        )
        .with_fix(Fix::edits(
            "Remove \"--fast\"",
            vec![Edit {
                path: path.into(),
                range: at,
                new_text: String::new(),
            }],
        ));
        finding.basis = Some(text_hash(basis));
        to_diagnostic(&finding, SOURCE, &|_| None)
    }

    fn plain(uri: Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri, edits)])),
            ..WorkspaceEdit::default()
        }
    }

    #[test]
    fn a_fix_computed_on_this_text_is_offered_with_its_edits() {
        let d = diagnostic("/u/s.json", TEXT, "GO031");
        let actions = quick_fixes(Path::new("/u/s.json"), &[d], Some(TEXT), &plain);
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("an action")
        };
        assert_eq!(action.title, "Remove \"--fast\"");
        let changes = action.edit.as_ref().unwrap().changes.as_ref().unwrap();
        let edits = &changes[&Uri::from_str("file:///u/s.json").unwrap()];
        assert_eq!(edits[0].range.start.character, 18);
    }

    #[test]
    fn no_fix_once_the_text_moved_on_or_for_another_file_or_ssh() {
        let stale = diagnostic("/u/s.json", "{}", "GO031");
        assert!(quick_fixes(Path::new("/u/s.json"), &[stale], Some(TEXT), &plain).is_empty());
        let elsewhere = diagnostic("/etc/passwd", TEXT, "GO031");
        assert!(quick_fixes(Path::new("/u/s.json"), &[elsewhere], Some(TEXT), &plain).is_empty());
        let ssh = diagnostic("/u/s.json", TEXT, "SSH001");
        assert!(quick_fixes(Path::new("/u/s.json"), &[ssh], Some(TEXT), &plain).is_empty());
        let d = diagnostic("/u/s.json", TEXT, "GO031");
        assert!(quick_fixes(Path::new("/u/s.json"), &[d], None, &plain).is_empty());
    }
}
