//! Quick fixes that run a command: a gord diagnostic carries its fix in
//! `data`, so the action is built from the diagnostic alone. A fix that
//! edits text is not taken from there (the diagnostic may be older than the
//! text): it is recomputed from the current text ([`super::ssh::quick_fixes`]).

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic,
};

use crate::check::Fix;

/// The command the extension registers to run a fix's argv in a terminal.
pub const RUN_FIX_COMMAND: &str = "gord.runFixCommand";

/// Quick fixes for the gord diagnostics among `diagnostics`.
pub fn quick_fixes(diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some("gord"))
        .filter_map(|d| {
            let fix: Fix = serde_json::from_value(d.data.clone()?).ok()?;
            // `data` comes back from the client: show its title escaped.
            let title = crate::render::escape::line(&fix.title).into_owned();
            let command = match (&fix.edit, &fix.command) {
                // Recomputed elsewhere, from the current text.
                (Some(_), _) => return None,
                (None, Some(argv)) => Some(Command {
                    title: title.clone(),
                    command: RUN_FIX_COMMAND.to_string(),
                    arguments: Some(vec![serde_json::json!(argv)]),
                }),
                // Advice alone is not an action; the message already says it.
                (None, None) => return None,
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: None,
                command,
                is_preferred: Some(true),
                disabled: None,
                data: None,
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn diagnostic(source: &str, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            range: Range::new(Position::new(0, 0), Position::new(0, 1)),
            source: Some(source.into()),
            message: "m".into(),
            data: fix.map(|f| serde_json::to_value(f).unwrap()),
            ..Diagnostic::default()
        }
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
        let edit = Fix {
            title: "Change".into(),
            command: None,
            edit: Some(tower_lsp_server::ls_types::WorkspaceEdit::default()),
        };
        assert!(quick_fixes(&[diagnostic("gord", Some(edit))]).is_empty());
    }
}
