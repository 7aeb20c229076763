//! `gord/health`: the last health report, or a fresh run when asked or when
//! there is none yet.

use tower_lsp_server::jsonrpc::Result;

use crate::check::HealthReport;
use crate::lsp::ext::HealthParams;
use crate::lsp::Backend;

pub async fn handle(backend: &Backend, params: HealthParams) -> Result<HealthReport> {
    Ok(backend.report_for(params.refresh).await)
}
