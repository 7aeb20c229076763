//! `gord/procs`: the processes on this machine, Go programs first, each with
//! its debugger preflight.

use tower_lsp_server::jsonrpc::Result;

use crate::debug::discover::Discovery;
use crate::lsp::attach::failed;
use crate::lsp::ext::{ProcsParams, ProcsResult};
use crate::lsp::Backend;

pub async fn handle(backend: &Backend, params: ProcsParams) -> Result<ProcsResult> {
    crate::platform::linux_only("Listing processes", "reads /proc")
        .map_err(|e| crate::lsp::errors::RequestError::failed(e.to_string()))?;
    let dlv = backend.dlv_facts().await;
    tokio::task::spawn_blocking(move || {
        let mut discovery = Discovery::system();
        let mut list = crate::debug::list_processes(&mut discovery, dlv, params.go_only)
            .map_err(|e| failed("listing the processes failed", e))?;
        crate::debug::order_for_picking(&mut list.processes);
        Ok(list)
    })
    .await
    .map_err(|e| failed("listing the processes failed", e))?
}
