//! SSH configs in the editor, the stateful part: re-linting the configs
//! that include a file when it changes (in the editor or on disk, through
//! watchers registered with the client), and quick fixes computed from the
//! current text when they are asked for and when they are picked.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::{MessageType, Uri};

use super::{ssh, ssh_edit, versioned, Backend};
use crate::ssh::config::local::LocalFacts;

/// How long a request to the client (a watcher registration) may wait for
/// its answer: a client that never answers must not hold lint tasks.
const CLIENT_ANSWER: Duration = Duration::from_secs(10);

impl Backend {
    /// Registers the formatter for SSH configs only ([`ssh_edit::REGISTERED`]):
    /// the client sends settings and linter config files too, which gord
    /// must not offer to format.
    pub(super) async fn register_ssh_formatting(&self) {
        let registrations = ssh_edit::REGISTERED
            .iter()
            .map(|method| tower_lsp_server::ls_types::Registration {
                id: format!("gord-ssh-{method}"),
                method: method.to_string(),
                register_options: Some(ssh_edit::ssh_selector()),
            })
            .collect();
        match tokio::time::timeout(
            CLIENT_ANSWER,
            self.client.register_capability(registrations),
        )
        .await
        {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("cannot register the SSH config formatter: {e}"),
            Err(_) => tracing::warn!("the client did not answer registerCapability"),
        }
    }

    /// The path and current text of an open SSH config; None for any other
    /// document.
    pub(super) async fn ssh_text(&self, uri: &Uri) -> Option<(PathBuf, std::sync::Arc<String>)> {
        let path = crate::uri::uri_to_path(uri.as_str())?;
        let state = self.state.lock().await;
        let doc = state.documents.get(&path)?;
        doc.is_ssh_config()
            .then(|| (path.clone(), std::sync::Arc::clone(&doc.text)))
    }

    /// What says which ssh the SSH config features follow: the settings' in
    /// a trusted workspace, none (the modelled release) in another.
    pub(super) async fn ssh_followed_request(&self) -> Option<crate::ssh::release::which::Request> {
        let state = self.state.lock().await;
        state.trusted.then(|| state.settings.ssh_request())
    }

    /// Lints again every open SSH config that includes `file` (not `file`
    /// itself): its text changed in the editor or on disk.
    pub(super) async fn relint_including(&self, file: &std::path::Path) {
        let mains: Vec<(PathBuf, i32)> = {
            let state = self.state.lock().await;
            state
                .ssh_files
                .iter()
                .filter(|(main, files)| {
                    main.as_path() != file && files.iter().skip(1).any(|f| f == file)
                })
                .filter_map(|(main, _)| Some((main.clone(), state.documents.get(main)?.version)))
                .collect()
        };
        for (main, version) in mains {
            self.schedule_ssh_lint(main, version);
        }
    }

    /// Asks the client to watch the files the open SSH configs include
    /// (when it can register watchers dynamically), so a change on disk
    /// re-lints the configs. One registration, replaced when the set changes.
    pub(super) async fn sync_watches(&self) {
        // Held from reading the wanted set to registering it, so the last
        // registration is always of the newest set.
        let mut watching = self.watching.lock().await;
        let (support, wanted) = {
            let state = self.state.lock().await;
            let open: BTreeSet<&PathBuf> = state.ssh_files.keys().collect();
            let wanted: BTreeSet<PathBuf> = state
                .ssh_files
                .values()
                .flat_map(|files| files.iter().skip(1))
                .filter(|f| !open.contains(f))
                .cloned()
                .collect();
            (state.client_support, wanted)
        };
        if !support.watch_files || *watching == wanted {
            return;
        }
        const ID: &str = "gord/ssh-includes";
        const METHOD: &str = "workspace/didChangeWatchedFiles";
        if !watching.is_empty() {
            let gone = tower_lsp_server::ls_types::Unregistration {
                id: ID.to_string(),
                method: METHOD.to_string(),
            };
            match tokio::time::timeout(CLIENT_ANSWER, self.client.unregister_capability(vec![gone]))
                .await
            {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!("cannot stop watching SSH includes: {e}"),
                Err(_) => tracing::warn!("the client did not answer unregisterCapability"),
            }
            watching.clear();
        }
        if wanted.is_empty() {
            return;
        }
        let options = tower_lsp_server::ls_types::DidChangeWatchedFilesRegistrationOptions {
            watchers: versioned::watchers(&wanted, support.relative_patterns),
        };
        let registration = tower_lsp_server::ls_types::Registration {
            id: ID.to_string(),
            method: METHOD.to_string(),
            register_options: serde_json::to_value(options).ok(),
        };
        match tokio::time::timeout(
            CLIENT_ANSWER,
            self.client.register_capability(vec![registration]),
        )
        .await
        {
            Ok(Ok(())) => *watching = wanted,
            Ok(Err(e)) => tracing::warn!("cannot watch SSH includes: {e}"),
            Err(_) => tracing::warn!("the client did not answer registerCapability"),
        }
    }

    /// Quick fixes for the SSH diagnostics of `path` that edit text, each
    /// from the diagnostic's data while the include set it was computed on
    /// is unchanged (open buffers, else disk, of the configs that read
    /// `path`), and versioned with those texts' versions.
    /// When the client resolves edits lazily, the edit is left out and
    /// computed again when the user picks the fix ([`Self::resolve_ssh_fix`]):
    /// vscode-languageclient drops a code action's TextDocumentEdit version,
    /// so the sidecar checks it itself at that moment.
    pub(super) async fn ssh_quick_fixes(
        &self,
        path: &std::path::Path,
        diagnostics: &[tower_lsp_server::ls_types::Diagnostic],
        lazy: bool,
    ) -> Vec<tower_lsp_server::ls_types::CodeActionOrCommand> {
        use tower_lsp_server::ls_types::CodeActionOrCommand;
        if !diagnostics.iter().any(ssh::has_edit_fix) {
            return Vec::new();
        }
        let (mut mains, overlay, document_changes, version) = {
            let state = self.state.lock().await;
            let mains: Vec<PathBuf> = state
                .ssh_files
                .iter()
                .filter(|(_, files)| files.iter().any(|f| f == path))
                .map(|(main, _)| main.clone())
                .collect();
            (
                mains,
                state.documents.overlay(),
                state.client_support.document_changes,
                state.documents.get(path).map(|d| d.version),
            )
        };
        let file = path.to_path_buf();
        let fixes = tokio::task::spawn_blocking({
            let diagnostics = diagnostics.to_vec();
            move || {
                let local = LocalFacts::current();
                // The health run's config: its diagnostics are on files no
                // open config may include.
                let default = local.home.join(".ssh").join("config");
                for candidate in [file.clone(), default] {
                    if !mains.contains(&candidate) {
                        mains.push(candidate);
                    }
                }
                let version = |uri: &Uri| {
                    crate::uri::uri_to_path(uri.as_str()).and_then(|p| overlay.version(&p))
                };
                let build = |files| versioned::workspace_edit(files, document_changes, &version);
                ssh::quick_fixes(&mains, &file, &diagnostics, &overlay, &local, &build)
            }
        })
        .await;
        let mut fixes = fixes.unwrap_or_default();
        if lazy {
            for fix in &mut fixes {
                if let CodeActionOrCommand::CodeAction(action) = fix {
                    action.edit = None;
                    action.data = Some(serde_json::json!({
                        "gordSshFix": crate::uri::file_uri(path),
                        "version": version,
                    }));
                }
            }
        }
        fixes
    }

    /// The edit of an SSH fix the user picked, computed now: only if the
    /// document is still at the version the fix was offered for, and the
    /// finding is still there. Otherwise the action comes back without an
    /// edit (nothing is changed) and the user is told why.
    pub(super) async fn resolve_ssh_fix(
        &self,
        mut action: tower_lsp_server::ls_types::CodeAction,
    ) -> tower_lsp_server::ls_types::CodeAction {
        use tower_lsp_server::ls_types::CodeActionOrCommand;
        let Some(data) = action.data.take() else {
            return action;
        };
        let Some(path) = data
            .get("gordSshFix")
            .and_then(Value::as_str)
            .and_then(crate::uri::uri_to_path)
        else {
            action.data = Some(data);
            return action;
        };
        let offered = data.get("version").and_then(Value::as_i64);
        let now = self
            .state
            .lock()
            .await
            .documents
            .get(&path)
            .map(|d| i64::from(d.version));
        let diagnostics = action.diagnostics.clone().unwrap_or_default();
        let edit = if offered == now {
            self.ssh_quick_fixes(&path, &diagnostics, false)
                .await
                .into_iter()
                .find_map(|fix| match fix {
                    CodeActionOrCommand::CodeAction(a) if a.title == action.title => a.edit,
                    _ => None,
                })
        } else {
            None
        };
        if edit.is_none() {
            self.client
                .show_message(
                    MessageType::INFO,
                    format!(
                        "{} changed since this fix was offered; nothing was changed. Ask for the fix again.",
                        path.display()
                    ),
                )
                .await;
        }
        action.edit = edit;
        action
    }
}
