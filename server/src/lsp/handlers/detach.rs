//! `gord/detach`: stops a dlv this sidecar started, detaching so the target
//! keeps running. `detached: false` when no session matched.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::attach::failed;
use crate::lsp::errors::RequestError;
use crate::lsp::ext::{DetachParams, DetachResult};
use crate::lsp::Backend;

pub async fn handle(backend: &Backend, params: DetachParams) -> Result<DetachResult> {
    if params.session_id.is_none() && params.port.is_none() {
        return Err(RequestError::invalid_params("name a sessionId or a port").into());
    }
    let server = backend
        .debug_sessions
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take(&params);
    let Some(server) = server else {
        return Ok(DetachResult {
            detached: false,
            pid: None,
            stop: None,
        });
    };
    let pid = server.target_pid();
    let stop = tokio::task::spawn_blocking(move || server.stop())
        .await
        .map_err(|e| failed("detaching failed", e))?;
    tracing::info!(pid, method = %stop.method, "detached; the target keeps running");
    Ok(DetachResult {
        detached: true,
        pid: Some(pid),
        stop: Some(stop),
    })
}
