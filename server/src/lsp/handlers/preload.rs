//! `gord/preload`: the cache warm-up of `gord preload`, with standard
//! work-done progress the user can cancel. Events from the preload are
//! forwarded to `$/progress` as they come; a cancel (or a newer
//! `gord/preload`) fires the preload's token, which kills every go and gopls
//! process it started, and the request answers RequestCancelled.

use tower_lsp_server::jsonrpc::Result;

use crate::exec::SystemRunner;
use crate::lsp::errors::{CancelCause, RequestError};
use crate::lsp::ext::{Preload, PreloadParams, PreloadResult, Request};
use crate::lsp::preload_runs::progress_line;
use crate::lsp::Backend;
use crate::preload::{CancellationToken, PreloadError, PreloadEvent};

pub async fn handle(backend: &Backend, params: PreloadParams) -> Result<PreloadResult> {
    let (workspace, trust) = {
        let state = backend.state.lock().await;
        (state.workspace.clone(), state.trust())
    };
    if !trust.is_trusted() {
        return Err(RequestError::failed(
            "the workspace is not trusted: gord runs no go or gopls on it (go follows go.mod's toolchain line)",
        )
        .into());
    }
    let Some(workspace) = workspace else {
        return Err(RequestError::failed("no workspace folder is open").into());
    };
    let env = crate::check::Environment::from_process();
    let tools = crate::preload::locate_toolchain(&env, &trust, &SystemRunner)
        .await
        .map_err(|e| RequestError::failed(format!("cannot preload: {e}")))?;
    let request = crate::preload::PreloadRequest {
        workspace,
        offline_check_only: params.offline_check_only,
    };

    let (work, signal) = backend
        .begin_cancellable(
            params.work_done_token.clone(),
            Preload::METHOD.to_string(),
            "gord-preload",
            "Preloading Go caches",
            String::from("Finding modules…"),
        )
        .await;
    let progress = work.sender();
    let cancel = CancellationToken::new();
    // Cancel from the client, a newer preload, or this request dropped
    // ($/cancelRequest) stops the preload and every process it started.
    let _cancel_on_drop = cancel.clone().drop_guard();
    let (cause_tx, cause_rx) = tokio::sync::oneshot::channel::<CancelCause>();
    let on_cancel = cancel.clone();
    let watcher = tokio::spawn(async move {
        let cause = signal.cancelled().await;
        let _ = cause_tx.send(cause);
        on_cancel.cancel();
    });

    // The preload runs on a task of its own and reports through a plain
    // callback; this request relays its events to the client as they come.
    let (events_tx, mut events_rx) = tokio::sync::mpsc::unbounded_channel::<PreloadEvent>();
    let run_cancel = cancel.clone();
    let run = tokio::spawn(async move {
        let sink = move |event: PreloadEvent| {
            let _ = events_tx.send(event);
        };
        crate::preload::preload(&request, &tools, &SystemRunner, &sink, &run_cancel).await
    });
    let mut percentage = 0;
    while let Some(event) = events_rx.recv().await {
        let (line, at) = progress_line(&event);
        percentage = at.unwrap_or(percentage);
        progress.report(line, percentage).await;
    }
    let result = run.await;
    watcher.abort();
    let result = match result {
        Ok(result) => result,
        Err(e) => {
            cancel.cancel();
            return Err(RequestError::failed(format!("preload stopped: {e}")).into());
        }
    };
    let outcome = match result {
        Ok(report) => {
            let text = crate::preload::text::render_report(
                &report,
                crate::render::style::Paint::new(false),
            );
            work.finish(String::from(if report.offline.ready {
                "done: the workspace loads offline"
            } else {
                "done: some modules still need the network"
            }))
            .await;
            Ok(PreloadResult { text, report })
        }
        Err(PreloadError::Cancelled) => {
            work.finish(String::from("cancelled")).await;
            tracing::info!("preload cancelled; every go and gopls process it started was stopped");
            let cause = cause_rx.await.unwrap_or(CancelCause::Client);
            Err(cause.error(Preload::METHOD).into())
        }
        Err(e) => {
            work.finish(String::from("failed")).await;
            Err(RequestError::failed(format!("preload failed: {e}")).into())
        }
    };
    // Warm or not, the cache checks now say something new.
    let health = backend.handle();
    tokio::spawn(async move {
        health.run_health().await;
    });
    outcome
}
