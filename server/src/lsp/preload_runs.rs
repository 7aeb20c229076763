//! `gord/preload`: the cache warm-up of `gord preload`, with standard
//! work-done progress the user can cancel. Events from the preload are
//! forwarded to `$/progress` as they come; a cancel fires the preload's
//! token, which kills every go and gopls process it started.

use tower_lsp_server::jsonrpc::{Error, Result};

use super::ext::{PreloadParams, PreloadResult};
use super::Backend;
use crate::exec::SystemRunner;
use crate::preload::{CancellationToken, PreloadError, PreloadEvent, StepStatus};

/// The progress line for an event, and a percentage when it gives one.
pub fn progress_line(event: &PreloadEvent) -> (String, Option<u32>) {
    match event {
        PreloadEvent::StepStarted { title, .. } => (format!("{title}…"), None),
        PreloadEvent::Module {
            done,
            total,
            module,
            ..
        } => (
            format!("module {done} of {total}: {module}"),
            u32::try_from(done * 100 / (*total).max(1)).ok(),
        ),
        PreloadEvent::StepFinished {
            step,
            status,
            message,
            ..
        } => {
            let word = match status {
                StepStatus::Done => "done",
                StepStatus::Skipped => "skipped",
                StepStatus::Failed => "failed",
            };
            (format!("{}: {word} — {message}", step_title(*step)), None)
        }
    }
}

fn step_title(step: crate::preload::Step) -> &'static str {
    step.title()
}

impl Backend {
    pub(super) async fn preload_request(&self, params: PreloadParams) -> Result<PreloadResult> {
        let (workspace, trust) = {
            let state = self.state.lock().await;
            (state.workspace.clone(), state.trust())
        };
        if !trust.is_trusted() {
            return Err(Error::invalid_params(
                "the workspace is not trusted: gord runs no go or gopls on it (go follows go.mod's toolchain line)",
            ));
        }
        let Some(workspace) = workspace else {
            return Err(Error::invalid_params("no workspace folder is open"));
        };
        let env = crate::check::Environment::from_process();
        let tools = crate::preload::locate_toolchain(&env, &trust, &SystemRunner)
            .await
            .map_err(|e| Error::invalid_params(format!("cannot preload: {e}")))?;
        let request = crate::preload::PreloadRequest {
            workspace,
            offline_check_only: params.offline_check_only,
        };

        let (work, cancel_rx) = self
            .begin_cancellable(
                params.work_done_token.clone(),
                "gord-preload",
                "Preloading Go caches",
                String::from("Finding modules…"),
            )
            .await;
        let progress = work.sender();
        let cancel = CancellationToken::new();
        // Cancel from the client, or this request dropped ($/cancelRequest),
        // stops the preload and every process it started.
        let _cancel_on_drop = cancel.clone().drop_guard();
        let on_cancel = cancel.clone();
        tokio::spawn(async move {
            if cancel_rx.await.is_ok() {
                on_cancel.cancel();
            }
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
        let result = match run.await {
            Ok(result) => result,
            Err(e) => {
                cancel.cancel();
                return Err(Error::invalid_params(format!("preload stopped: {e}")));
            }
        };
        let outcome = match result {
            Ok(report) => {
                let text = crate::preload::text::render_report(&report);
                work.finish(String::from(if report.offline.ready {
                    "done: the workspace loads offline"
                } else {
                    "done: some modules still need the network"
                }))
                .await;
                Ok(PreloadResult {
                    cancelled: false,
                    text,
                    report: Some(report),
                })
            }
            Err(PreloadError::Cancelled) => {
                work.finish(String::from("cancelled")).await;
                tracing::info!(
                    "preload cancelled; every go and gopls process it started was stopped"
                );
                Ok(PreloadResult {
                    cancelled: true,
                    text: String::from(
                        "Preload cancelled; every go and gopls process it started was stopped.\n",
                    ),
                    report: None,
                })
            }
            Err(e) => {
                work.finish(String::from("failed")).await;
                Err(Error::invalid_params(format!("preload failed: {e}")))
            }
        };
        // Warm or not, the cache checks now say something new.
        let backend = self.handle();
        tokio::spawn(async move {
            backend.run_health().await;
        });
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preload::model::ModuleOutcome;
    use crate::preload::Step;

    #[test]
    fn module_events_give_n_of_n_and_a_percentage() {
        let (line, at) = progress_line(&PreloadEvent::Module {
            done: 3,
            total: 12,
            module: "golang.org/x/text@v0.14.0".into(),
            outcome: ModuleOutcome::Downloaded,
        });
        assert_eq!(line, "module 3 of 12: golang.org/x/text@v0.14.0");
        assert_eq!(at, Some(25));
    }

    #[test]
    fn steps_say_what_runs_and_how_it_ended() {
        let (line, at) = progress_line(&PreloadEvent::StepStarted {
            step: Step::Gopls,
            title: Step::Gopls.title().into(),
        });
        assert_eq!((line.as_str(), at), ("Warming gopls' cache…", None));
        let (line, _) = progress_line(&PreloadEvent::StepFinished {
            step: Step::Download,
            status: StepStatus::Skipped,
            message: "every module was cached".into(),
            duration_ms: 3,
        });
        assert_eq!(
            line,
            "Downloading modules: skipped — every module was cached"
        );
    }
}
