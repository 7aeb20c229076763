//! `gord/report`: the health report (and the remote hosts checked so far)
//! rendered as Markdown and as an HTML fragment for the report view.

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::ext::{HealthParams, ReportResult};
use crate::lsp::Backend;

pub async fn handle(backend: &Backend, params: HealthParams) -> Result<ReportResult> {
    let report = backend.report_for(params.refresh).await;
    let fleet = backend.state.lock().await.fleet.clone();
    let markdown = crate::render::render_report_markdown(
        &report,
        fleet.as_ref(),
        crate::docs::docs_root().as_deref(),
    );
    let html = crate::render::render_report_html(&report, fleet.as_ref());
    Ok(ReportResult {
        markdown,
        html,
        report,
        fleet,
    })
}
