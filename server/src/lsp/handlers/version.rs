//! `gord/version`: who answers, and which protocol it speaks.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::ext::{VersionResult, PROTOCOL_VERSION};
use crate::lsp::Backend;

pub async fn handle(_: &Backend) -> Result<VersionResult> {
    Ok(VersionResult {
        name: String::from("gord"),
        version: crate::VERSION.to_string(),
        protocol_version: PROTOCOL_VERSION,
    })
}
