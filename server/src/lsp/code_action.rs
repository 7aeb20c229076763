//! Quick fixes from a gord diagnostic's `data`
//! ([`super::diagnostics::FixData`]), built from the diagnostic alone: a fix
//! that runs a command ([`quick_fixes`]), and a health check's fix that
//! edits the diagnostic's own file (a devcontainer.json, a Dockerfile),
//! offered only while that file still has the text the check read
//! ([`edit_fixes`]). An SSH fix is offered against its whole include set
//! ([`super::ssh::quick_fixes`]), a lint fix by [`super::lint::quick_fixes`].

use std::path::Path;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic, NumberOrString, TextEdit,
    WorkspaceEdit,
};

use super::diagnostics::{fix_data, range, SOURCE};

/// The command the extension registers to run a fix's argv in a terminal.
pub const RUN_FIX_COMMAND: &str = "gord.runFixCommand";

/// Quick fixes for the gord diagnostics among `diagnostics`.
pub fn quick_fixes(diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some(SOURCE))
        .filter_map(|d| Some((d, fix_data(d)?)))
        .flat_map(|(d, data)| {
            data.fixes.into_iter().filter_map(move |fix| {
                // Edits are recomputed elsewhere, from the current text;
                // advice alone is not an action (the message already says it).
                if !fix.edits.is_empty() {
                    return None;
                }
                let argv = fix.command?;
                // `data` comes back from the client: show its title escaped.
                let title = crate::render::escape::line(&fix.title).into_owned();
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![d.clone()]),
                    edit: None,
                    command: Some(Command {
                        title,
                        command: RUN_FIX_COMMAND.to_string(),
                        arguments: Some(vec![serde_json::json!(argv)]),
                    }),
                    is_preferred: Some(true),
                    disabled: None,
                    data: None,
                }))
            })
        })
        .collect()
}

/// Quick fixes that edit `file`, for gord's health diagnostics on it (not
/// the SSH rules', whose guard covers an include set): each fix whose edits
/// are all in `file`, offered only while `text` (the file as the editor has
/// it now) hashes to the diagnostic's guard. `build` makes the (versioned)
/// workspace edit.
pub fn edit_fixes(
    file: &Path,
    text: &str,
    diagnostics: &[Diagnostic],
    build: &dyn Fn(Vec<TextEdit>) -> WorkspaceEdit,
) -> Vec<CodeActionOrCommand> {
    let now = crate::lint::text_hash(text);
    let mut actions = Vec::new();
    for d in diagnostics {
        let ssh = matches!(&d.code, Some(NumberOrString::String(c)) if c.starts_with("SSH"));
        if ssh || d.source.as_deref() != Some(SOURCE) {
            continue;
        }
        let Some(data) = fix_data(d) else { continue };
        if !data.guard.holds(now) {
            continue;
        }
        let mut first = true;
        for fix in data.fixes {
            // The edits come back from the client: only this file's.
            if fix.edits.is_empty() || fix.edits.iter().any(|e| e.path != file) {
                continue;
            }
            let edits = fix
                .edits
                .iter()
                .map(|e| TextEdit {
                    range: range(e.range),
                    new_text: e.new_text.clone(),
                })
                .collect();
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: crate::render::escape::line(&fix.title).into_owned(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(build(edits)),
                command: None,
                is_preferred: first.then_some(true),
                disabled: None,
                data: None,
            }));
            first = false;
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Finding, Fix, Position, Range, Severity, Subject};
    use crate::lsp::diagnostics::to_diagnostic;
    use std::str::FromStr;

    fn diagnostic(source: &str, fix: Option<Fix>) -> Diagnostic {
        let at = Range::new(Position::new(0, 0), Position::new(0, 1));
        let mut finding = Finding::new(
            "GO006",
            Severity::Error,
            "m",
            Subject::file("/ws/go.mod", at),
        );
        finding.fixes.extend(fix);
        to_diagnostic(&finding, source, &|_| None)
    }

    #[test]
    fn a_command_fix_becomes_a_quick_fix_running_its_argv() {
        let fix = Fix::run(
            "Allow toolchain downloads",
            ["go", "env", "-w", "GOTOOLCHAIN=auto"],
        );
        let actions = quick_fixes(&[diagnostic("gord", Some(fix))]);
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("not an action")
        };
        assert_eq!(action.title, "Allow toolchain downloads");
        assert_eq!(action.kind, Some(CodeActionKind::QUICKFIX));
        let command = action.command.as_ref().unwrap();
        assert_eq!(command.command, RUN_FIX_COMMAND);
        assert_eq!(
            command.arguments.as_ref().unwrap()[0],
            serde_json::json!(["go", "env", "-w", "GOTOOLCHAIN=auto"])
        );
    }

    #[test]
    fn other_sources_and_advice_only_fixes_give_no_action() {
        let fix = Fix::run("x", ["true"]);
        assert!(quick_fixes(&[diagnostic("gopls", Some(fix))]).is_empty());
        assert!(quick_fixes(&[diagnostic("gord", Some(Fix::advice("read the docs")))]).is_empty());
        assert!(quick_fixes(&[diagnostic("gord", None)]).is_empty());
        // A fix that edits text is recomputed from the current text, never
        // taken from the diagnostic.
        let edit = Fix::edits(
            "Change",
            vec![Edit {
                path: "/ws/go.mod".into(),
                range: Range::default(),
                new_text: "go 1.22".into(),
            }],
        );
        assert!(quick_fixes(&[diagnostic("gord", Some(edit))]).is_empty());
    }

    #[test]
    fn an_edit_fix_is_offered_only_while_its_file_has_the_text_it_was_made_on() {
        let file = Path::new("/ws/.devcontainer.json");
        let text = "{\"image\": \"golang:1.21\"}";
        let at = Range::new(Position::new(0, 20), Position::new(0, 24));
        let mut finding = Finding::new("GO041", Severity::Error, "old", Subject::file(file, at))
            .with_fix(Fix::edits(
                "Use Go 1.23",
                vec![Edit {
                    path: file.into(),
                    range: at,
                    new_text: "1.23".into(),
                }],
            ));
        finding.basis = Some(crate::lint::text_hash(text));
        let d = to_diagnostic(&finding, "gord", &|_| None);
        let build = |edits: Vec<TextEdit>| WorkspaceEdit {
            changes: Some(
                [(
                    tower_lsp_server::ls_types::Uri::from_str("file:///ws/.devcontainer.json")
                        .unwrap(),
                    edits,
                )]
                .into(),
            ),
            ..WorkspaceEdit::default()
        };
        let actions = edit_fixes(file, text, std::slice::from_ref(&d), &build);
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("not an action")
        };
        assert_eq!(action.title, "Use Go 1.23");
        let edits: Vec<_> = action
            .edit
            .as_ref()
            .unwrap()
            .changes
            .as_ref()
            .unwrap()
            .values()
            .flatten()
            .collect();
        assert_eq!(edits[0].new_text, "1.23");
        // The file changed since: no fix; another file's edit: no fix.
        assert!(edit_fixes(file, "{}", std::slice::from_ref(&d), &build).is_empty());
        assert!(edit_fixes(Path::new("/ws/other.json"), text, &[d], &build).is_empty());
    }
}
