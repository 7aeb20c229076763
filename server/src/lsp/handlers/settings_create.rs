//! `gord/settings/create`: a remote host's settings fix when the VS Code
//! user settings.json does not exist yet. A workspace edit cannot create it
//! the way the CLI does, so the quick fix's command brings the edits back
//! here and the sidecar writes the new file
//! ([`crate::remote::settings_fix::create`]: only the user settings file it
//! would edit, only while it is missing, atomically, parents made, the
//! modes VS Code gives a new file).

use std::path::PathBuf;

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::errors::RequestError;
use crate::lsp::ext::{SettingsCreateParams, SettingsCreateResult};
use crate::lsp::Backend;
use crate::remote::settings_fix::{self, UserSettings};

pub async fn handle(
    backend: &Backend,
    params: SettingsCreateParams,
) -> Result<SettingsCreateResult> {
    let editor = backend.state.lock().await.editor.clone();
    let asked = PathBuf::from(&params.path);
    let edits: Vec<_> = params
        .edits
        .into_iter()
        .map(|e| (e.range, e.new_text))
        .collect();
    let created = tokio::task::spawn_blocking(move || {
        settings_fix::create(UserSettings::of_process(&editor).as_ref(), &asked, &edits)
    })
    .await
    .map_err(|e| RequestError::failed(format!("creating the settings file failed: {e}")))?;
    match created {
        Ok(outcome) => {
            tracing::info!(path = %outcome.target.display(), "created the VS Code user settings");
            Ok(SettingsCreateResult { path: params.path })
        }
        Err(e) => Err(RequestError::failed(e.to_string()).into()),
    }
}
