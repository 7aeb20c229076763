//! `gord/lint/workspace`: every module of the workspace, `./...` each, with
//! progress the user can cancel. A cancel, or a newer `gord/lint/workspace`,
//! stops the linter at once and answers RequestCancelled.

use std::path::PathBuf;
use std::time::Instant;

use tower_lsp_server::jsonrpc::Result;

use crate::exec::SystemRunner;
use crate::lsp::errors::RequestError;
use crate::lsp::ext::{LintWorkspace, LintWorkspaceParams, LintWorkspaceResult, Request, RunState};
use crate::lsp::lint_runs::{exec_failure, find_modules, PACKAGE_TIMEOUT};
use crate::lsp::Backend;

pub async fn handle(backend: &Backend, params: LintWorkspaceParams) -> Result<LintWorkspaceResult> {
    if !backend.lint_allowed().await {
        return Err(RequestError::failed(
            "the workspace is not trusted: gord runs no linter on it",
        )
        .into());
    }
    let Some(workspace) = backend.state.lock().await.workspace.clone() else {
        return Err(RequestError::failed("no workspace folder is open").into());
    };
    let Some(linter) = backend.linter().await else {
        return Err(RequestError::failed(
            "neither golangci-lint nor go is installed: run the health check for how to install them",
        )
        .into());
    };
    let modules = find_modules(&workspace);
    let started = Instant::now();
    let (work, cancel) = backend
        .begin_cancellable(
            params.work_done_token,
            LintWorkspace::METHOD.to_string(),
            "gord-lint",
            "Linting the workspace",
            format!("{} module(s) with {}", modules.len(), linter.describe()),
        )
        .await;
    let progress = work.sender();
    backend
        .send_lint_status(RunState::Running, "the workspace", &linter, 0, &[])
        .await;
    let mut result = LintWorkspaceResult {
        linter: linter.describe(),
        modules: modules.len(),
        ..LintWorkspaceResult::default()
    };
    let mut files = std::collections::BTreeSet::new();
    let everything = [String::from("./...")];
    let mut cancelled = None;
    for (n, root) in modules.iter().enumerate() {
        let percentage = u32::try_from(n * 100 / modules.len().max(1)).unwrap_or(100);
        progress
            .report(
                format!("module {} of {}: {}", n + 1, modules.len(), root.display()),
                percentage,
            )
            .await;
        let run = crate::lint::runner::run(
            &SystemRunner,
            &linter,
            root,
            &everything,
            PACKAGE_TIMEOUT * 10,
        );
        let outcome = tokio::select! {
            outcome = run => outcome,
            cause = cancel.cancelled() => {
                // The run future was dropped: its linter is killed.
                cancelled = Some(cause);
                break;
            }
        };
        let (issues, failures) = match outcome {
            Ok(out) => (out.issues, out.failures),
            Err(e) => (Vec::new(), vec![exec_failure(&e)]),
        };
        let placed = crate::lint::place_issues_off_thread(linter.kind, issues).await;
        result.issues += placed.len();
        files.extend(placed.iter().map(|p| p.path().to_path_buf()));
        let covered: Vec<PathBuf> = {
            let state = backend.state.lock().await;
            state
                .diagnostics
                .lint_dirs()
                .into_iter()
                .filter(|d| d.starts_with(root))
                .collect()
        };
        backend.publish_lint(&linter, covered, placed).await;
        backend.report_lint_failures(&failures).await;
        result
            .failures
            .extend(failures.into_iter().map(|f| f.message));
    }
    result.files = files.len();
    result.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let summary = match cancelled {
        Some(_) => String::from("cancelled"),
        None => format!("{} issue(s) in {} file(s)", result.issues, result.files),
    };
    work.finish(summary).await;
    backend
        .send_lint_status(
            RunState::Idle,
            "the workspace",
            &linter,
            result.issues,
            &result.failures,
        )
        .await;
    match cancelled {
        Some(cause) => Err(cause.error(LintWorkspace::METHOD).into()),
        None => Ok(result),
    }
}
