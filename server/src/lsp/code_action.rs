//! Quick fixes that run a command: a gord diagnostic carries its finding's
//! fixes in `data` ([`super::diagnostics::FixData`]), so the action is built
//! from the diagnostic alone. A fix that edits text is offered only while its
//! guard holds, by [`super::ssh::quick_fixes`] (against the whole include
//! set), [`super::lint::quick_fixes`] and [`super::health_edits::quick_fixes`]
//! (a health check's file: settings.json, devcontainer.json, a Dockerfile).

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic,
};

use super::diagnostics::{fix_data, SOURCE};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Finding, Fix, Position, Range, Severity, Subject};
    use crate::lsp::diagnostics::to_diagnostic;

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
}
