//! `gord/attach`: the preflight, then dlv on loopback attached to the
//! process, and the debug configuration to start. A blocking preflight is
//! the error ATTACH_REFUSED with the findings in its `data`.

use serde_json::Value;
use tower_lsp_server::jsonrpc::Result;

use crate::debug::launch::ServerKind;
use crate::lsp::attach::{failed, start_dlv};
use crate::lsp::ext::{AttachParams, AttachResult};
use crate::lsp::Backend;

pub async fn handle(backend: &Backend, params: AttachParams) -> Result<AttachResult> {
    let dlv = backend.dlv_facts().await;
    let kind = params.server.unwrap_or(ServerKind::Headless);
    let pid = params.pid;
    let (server, mut result) = tokio::task::spawn_blocking(move || start_dlv(dlv, pid, kind))
        .await
        .map_err(|e| failed("starting dlv failed", e))??;
    let session_id = backend
        .debug_sessions
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(server);
    tracing::info!(session = %session_id, pid, port = result.port, server = ?kind, "dlv started");
    if let Value::Object(map) = &mut result.configuration {
        map.insert("gordSessionId".into(), Value::String(session_id.clone()));
    }
    result.session_id = session_id;
    Ok(result)
}
