//! `gord/remote/check`: checks some or all hosts of an ssh config with
//! cancellable progress, publishes each host's findings as diagnostics on
//! its Host line and keeps the fleet for the report. The system ssh runs
//! with the user's config, so never for an untrusted workspace. Cancel,
//! `$/cancelRequest` or a newer check of the same hosts drops the check,
//! which kills every ssh child at once, and answers RequestCancelled.

use std::path::PathBuf;
use std::time::Duration;

use tower_lsp_server::jsonrpc::Result;

use crate::lsp::errors::RequestError;
use crate::lsp::ext::{HostSelection, RemoteCheck, RemoteCheckParams, Request};
use crate::lsp::remote::{config_path, fleet_summary, read_host_lines, run_check, JOBS};
use crate::lsp::Backend;
use crate::remote::model::{FleetReport, Progress};
use crate::remote::settings_fix::UserSettings;
use crate::remote::RemoteCheckOptions;

pub async fn handle(backend: &Backend, params: RemoteCheckParams) -> Result<FleetReport> {
    let (trusted, allow_match_exec, connect_timeout) = {
        let state = backend.state.lock().await;
        (
            state.trusted,
            state.settings.allow_match_exec,
            state.settings.remote_ssh_connect_timeout,
        )
    };
    if !trusted {
        return Err(RequestError::failed(
            "the workspace is not trusted: gord runs no ssh for it (trust the workspace to check remote hosts)",
        )
        .into());
    }
    if matches!(&params.hosts, HostSelection::Named(hosts) if hosts.is_empty()) {
        return Err(RequestError::invalid_params(
            "no host to check: `hosts` is an empty list (name hosts, or \"all\")",
        )
        .into());
    }
    let config = config_path(params.config);
    let (config_file, lines) = match read_host_lines(config.clone()).await {
        Ok(found) => found,
        // Named hosts are still checked: each says why it cannot be resolved.
        Err(e) if matches!(params.hosts, HostSelection::Named(_)) => {
            tracing::warn!("{e}");
            (PathBuf::new(), Vec::new())
        }
        Err(e) => return Err(RequestError::failed(e).into()),
    };
    let hosts: Vec<String> = match params.hosts {
        HostSelection::All(_) => lines.iter().map(|h| h.host.clone()).collect(),
        HostSelection::Named(hosts) => hosts,
    };
    if hosts.is_empty() {
        return Err(RequestError::failed(format!(
            "no host to check: {} names no host literally",
            config_file.display()
        ))
        .into());
    }
    // This machine's VS Code user settings, for the fixes that are settings.
    let editor = backend.state.lock().await.editor.clone();
    let user_settings = tokio::task::spawn_blocking(move || UserSettings::of_process(&editor))
        .await
        .ok()
        .flatten()
        .map(std::sync::Arc::new);
    let options = RemoteCheckOptions {
        config,
        user_settings,
        timeout: Duration::from_secs(params.timeout_seconds.unwrap_or(10).clamp(1, 600)),
        jobs: JOBS,
        allow_match_exec,
        connect_budget: connect_timeout.unwrap_or(Duration::from_secs(
            crate::remote::connect::DEFAULT_CONNECT_TIMEOUT_SECS,
        )),
        // One host: compare two connections' landings; a fleet: one each.
        compare_landings: hosts.len() == 1,
        ..RemoteCheckOptions::default()
    };
    let total = hosts.len();
    // A newer check of the same hosts supersedes this one; other hosts' run on.
    let mut kind = hosts.clone();
    kind.sort();
    kind.dedup();
    let (work, cancel) = backend
        .begin_cancellable(
            params.work_done_token.clone(),
            format!("{} {}", RemoteCheck::METHOD, kind.join(" ")),
            "gord-remote",
            "Checking remote hosts",
            format!("{total} host(s)"),
        )
        .await;
    // The check reports from inside its future; a task turns that into $/progress.
    let (events_tx, mut events) = tokio::sync::mpsc::unbounded_channel::<Progress>();
    let progress = work.sender();
    let forward = tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            if let Progress::HostFinished {
                host,
                done,
                total,
                status,
            } = event
            {
                let percentage = u32::try_from(done * 100 / total.max(1)).unwrap_or(100);
                progress
                    .report(
                        format!("{done} of {total}: {host} — {}", status.as_str()),
                        percentage,
                    )
                    .await;
            }
        }
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let checked = run_check(hosts, options, events_tx, stopped);
    let fleet = tokio::select! {
        fleet = checked => fleet.ok_or_else(|| RequestError::failed("the remote check could not start: see the sidecar's log")),
        cause = cancel.cancelled() => Err(cause.error(RemoteCheck::METHOD)),
    };
    // Cancel, $/cancelRequest (this future dropped) and the end of the
    // check all drop `stop`, which drops the check and kills its ssh.
    drop(stop);
    let fleet = match fleet {
        Ok(fleet) => fleet,
        Err(e) => {
            tracing::info!("remote check ended early: {e}");
            // Dropped unfinished, the progress ends as cancelled.
            drop(work);
            return Err(e.into());
        }
    };
    let _ = forward.await;
    tracing::info!(summary = %fleet_summary(&fleet), "remote check finished");
    work.finish(fleet_summary(&fleet)).await;
    backend.publish_fleet(&fleet, &lines).await;
    Ok(fleet)
}
