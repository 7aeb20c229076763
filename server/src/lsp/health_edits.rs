//! Quick fixes that edit text for health findings (on VS Code settings
//! files, Remote-SSH's among them, devcontainer.json, a dev container's Dockerfile)
//! and for remote hosts' findings whose fix is a setting (on the Host line,
//! editing the user settings.json): taken from the diagnostic's data and offered
//! only while its guard holds for the edited file's current text, the open buffer's
//! or the disk's. SSH and lint diagnostics have their own ([`super::ssh`],
//! [`super::lint`]).

use std::path::Path;
use std::str::FromStr;

use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Diagnostic, NumberOrString, TextEdit,
    Uri, WorkspaceEdit,
};

use super::diagnostics::{self as convert, SOURCE};
use super::ext::{SettingsCreateParams, SettingsEdit};
use crate::lint::text_hash;
use crate::remote::settings_fix::SETTINGS_FIX_RULES;
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

/// The command the extension registers to create a missing user settings
/// file: it sends its argument, [`SettingsCreateParams`], back to its own
/// sidecar as `gord/settings/create`.
pub const CREATE_SETTINGS_COMMAND: &str = "gord.createSettingsFile";

/// The file a fix's edits are on, and their current text.
pub enum Target {
    /// It exists: its text (open buffer or disk).
    Text(String),
    /// Nothing is there.
    Missing,
    /// It cannot be read: no fix.
    Unreadable,
}

/// The quick fixes for the health diagnostics of `file` among `diagnostics`.
/// `read` gives a file's current state; `build`
/// turns one file's edits into a (versioned) workspace edit. A fix edits
/// `file` itself, or, for a remote host's finding on its Host line, the VS
/// Code user settings file its settings edit was computed on; when that
/// file was missing then and is still, the fix is a command that has the
/// sidecar create it (a workspace edit cannot create it atomically).
pub fn quick_fixes(
    file: &Path,
    diagnostics: &[Diagnostic],
    read: &dyn Fn(&Path) -> Target,
    build: &dyn Fn(&Path, Uri, Vec<TextEdit>) -> WorkspaceEdit,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    for d in diagnostics.iter().filter(|d| is_health(d)) {
        let Some(data) = convert::fix_data(d) else {
            continue;
        };
        for (n, fix) in data.fixes.iter().enumerate() {
            // The edits come back from the client: one file, and only one
            // this diagnostic may edit.
            let Some(target) = fix.edits.first().map(|e| e.path.as_path()) else {
                continue;
            };
            if fix.edits.iter().any(|e| e.path != target) || !may_edit(d, file, target) {
                continue;
            }
            // Computed on other text: its ranges may point anywhere now.
            let (text, missing) = match read(target) {
                Target::Text(text) => (text, false),
                Target::Missing => (String::new(), true),
                Target::Unreadable => continue,
            };
            if !data.guard.holds(text_hash(&text)) {
                continue;
            }
            let title = crate::render::escape::line(&fix.title).into_owned();
            let (edit, command) = if missing {
                if !may_create(d) {
                    continue;
                }
                (None, Some(create_command(&title, target, &fix.edits)))
            } else {
                let Ok(uri) = Uri::from_str(&crate::uri::file_uri(target)) else {
                    continue;
                };
                let edits = fix.edits.iter().map(convert::text_edit).collect();
                (Some(build(target, uri, edits)), None)
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit,
                command,
                is_preferred: Some(n == 0),
                disabled: None,
                data: None,
            }));
        }
    }
    actions
}

/// Whether `d` is a remote host's finding whose fix is a setting.
fn may_create(d: &Diagnostic) -> bool {
    matches!(&d.code, Some(NumberOrString::String(code))
        if SETTINGS_FIX_RULES.contains(&code.as_str()))
}

/// Whether a fix of `d` (a diagnostic of `file`) may edit `target`: its own
/// file, or a settings.json for the remote rules whose fix is a setting.
fn may_edit(d: &Diagnostic, file: &Path, target: &Path) -> bool {
    target == file
        || (may_create(d) && target.file_name() == Some(std::ffi::OsStr::new("settings.json")))
}

/// The command that has the sidecar create `target` holding `edits`.
fn create_command(title: &str, target: &Path, edits: &[crate::finding::Edit]) -> Command {
    let params = SettingsCreateParams {
        path: target.display().to_string(),
        edits: edits
            .iter()
            .map(|e| SettingsEdit {
                range: e.range,
                new_text: e.new_text.clone(),
            })
            .collect(),
    };
    Command {
        title: title.to_string(),
        command: CREATE_SETTINGS_COMMAND.to_string(),
        arguments: Some(vec![serde_json::json!(params)]),
    }
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

    fn plain(_: &Path, uri: Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri, edits)])),
            ..WorkspaceEdit::default()
        }
    }

    fn now(_: &Path) -> Target {
        Target::Text(TEXT.to_string())
    }

    #[test]
    fn a_fix_computed_on_this_text_is_offered_with_its_edits() {
        let d = diagnostic("/u/s.json", TEXT, "GO031");
        let actions = quick_fixes(Path::new("/u/s.json"), &[d], &now, &plain);
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
        assert!(quick_fixes(Path::new("/u/s.json"), &[stale], &now, &plain).is_empty());
        let elsewhere = diagnostic("/etc/passwd", TEXT, "GO031");
        assert!(quick_fixes(Path::new("/u/s.json"), &[elsewhere], &now, &plain).is_empty());
        let ssh = diagnostic("/u/s.json", TEXT, "SSH001");
        assert!(quick_fixes(Path::new("/u/s.json"), &[ssh], &now, &plain).is_empty());
        let d = diagnostic("/u/s.json", TEXT, "GO031");
        assert!(quick_fixes(
            Path::new("/u/s.json"),
            &[d],
            &|_| Target::Unreadable,
            &plain
        )
        .is_empty());
        // A missing file is created only for a remote host's settings fix.
        let d = diagnostic("/u/s.json", "", "GO031");
        assert!(quick_fixes(Path::new("/u/s.json"), &[d], &|_| Target::Missing, &plain).is_empty());
    }

    #[test]
    fn a_remote_hosts_settings_fix_on_its_host_line_edits_the_settings_file_while_it_is_unchanged()
    {
        let config = Path::new("/home/me/.ssh/config");
        let settings = |_: &Path| Target::Text(TEXT.to_string());
        let on_line = |path: &str, code: &str| {
            let mut d = diagnostic(path, TEXT, code);
            d.range.start.line = 4;
            d
        };
        let fix = on_line("/u/settings.json", "RMT030");
        let actions = quick_fixes(config, std::slice::from_ref(&fix), &settings, &plain);
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("an action")
        };
        let changes = action.edit.as_ref().unwrap().changes.as_ref().unwrap();
        assert!(changes.contains_key(&Uri::from_str("file:///u/settings.json").unwrap()));
        // Changed since: no fix.
        assert!(quick_fixes(config, &[fix], &|_| Target::Text("{}".into()), &plain).is_empty());
        // Not a settings file, or not a rule whose fix is a setting.
        let elsewhere = on_line("/home/me/.bashrc", "RMT030");
        assert!(quick_fixes(config, &[elsewhere], &settings, &plain).is_empty());
        let other = on_line("/u/settings.json", "RMT003");
        assert!(quick_fixes(config, &[other], &settings, &plain).is_empty());
    }

    #[test]
    fn a_settings_fix_on_a_missing_settings_file_is_a_command_that_creates_it() {
        let config = Path::new("/home/me/.ssh/config");
        let d = diagnostic("/u/settings.json", "", "RMT028");
        let actions = quick_fixes(
            config,
            std::slice::from_ref(&d),
            &|_| Target::Missing,
            &plain,
        );
        assert_eq!(actions.len(), 1);
        let CodeActionOrCommand::CodeAction(action) = &actions[0] else {
            panic!("an action")
        };
        assert_eq!(action.edit, None);
        let command = action.command.as_ref().unwrap();
        assert_eq!(command.command, CREATE_SETTINGS_COMMAND);
        let params: SettingsCreateParams =
            serde_json::from_value(command.arguments.as_ref().unwrap()[0].clone()).unwrap();
        assert_eq!(params.path, "/u/settings.json");
        assert_eq!(params.edits.len(), 1);
        // Computed on a file that existed then: not a creation.
        let stale = diagnostic("/u/settings.json", TEXT, "RMT028");
        assert!(quick_fixes(config, &[stale], &|_| Target::Missing, &plain).is_empty());
    }
}
