//! `gord/remote/hosts`: the hosts an ssh config names literally, for a quick
//! pick. Reading the config runs nothing, so it is allowed in an untrusted
//! workspace too.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::errors::RequestError;
use crate::lsp::ext::{RemoteHost, RemoteHostsParams, RemoteHostsResult};
use crate::lsp::remote::{config_path, read_host_lines};
use crate::lsp::Backend;

pub async fn handle(_: &Backend, params: RemoteHostsParams) -> Result<RemoteHostsResult> {
    let (config, lines) = read_host_lines(config_path(params.config))
        .await
        .map_err(RequestError::failed)?;
    Ok(RemoteHostsResult {
        config: config.display().to_string(),
        hosts: lines
            .into_iter()
            .map(|h| RemoteHost {
                host: h.host,
                file: h.file.display().to_string(),
                line: h.line,
            })
            .collect(),
    })
}
