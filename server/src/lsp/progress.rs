//! Long requests (workspace lint, preload, remote checks) report standard
//! work-done progress with a Cancel button. The token is the client's own when
//! the request carries one (`workDoneToken`: the extension does, so VS Code
//! shows a notification with Cancel), else one the server creates. A cancel
//! switch waits under it for `window/workDoneProgress/cancel`, and the
//! progress always ends: when the work finishes, and when its request is
//! dropped (`$/cancelRequest`), so no notification is left spinning.

use std::sync::atomic::{AtomicU64, Ordering};

use tower_lsp_server::ls_types::notification::Progress as ProgressNotification;
use tower_lsp_server::ls_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, ProgressToken, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCancelParams, WorkDoneProgressEnd,
    WorkDoneProgressReport,
};
use tower_lsp_server::Client;

use super::Backend;

/// Sends `$/progress` reports for one token; cheap to clone into a task.
#[derive(Clone)]
pub struct ProgressSender {
    client: Client,
    token: ProgressToken,
}

impl ProgressSender {
    async fn send(&self, value: WorkDoneProgress) {
        self.client
            .send_notification::<ProgressNotification>(ProgressParams {
                token: self.token.clone(),
                value: ProgressParamsValue::WorkDone(value),
            })
            .await;
    }

    pub async fn report(&self, message: String, percentage: u32) {
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(true),
            message: Some(message),
            percentage: Some(percentage.min(100)),
        }))
        .await;
    }
}

/// A running, cancellable piece of work. [`Cancellable::finish`] ends its
/// progress; dropping it unfinished ends it as cancelled.
pub struct Cancellable {
    sender: ProgressSender,
    key: String,
    backend: Backend,
    finished: bool,
}

impl Cancellable {
    pub fn sender(&self) -> ProgressSender {
        self.sender.clone()
    }

    pub async fn finish(mut self, message: String) {
        self.finished = true;
        self.backend
            .state
            .lock()
            .await
            .progress_cancels
            .remove(&self.key);
        self.sender
            .send(WorkDoneProgress::End(WorkDoneProgressEnd {
                message: Some(message),
            }))
            .await;
    }
}

impl Drop for Cancellable {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        let sender = self.sender.clone();
        let key = std::mem::take(&mut self.key);
        let state = std::sync::Arc::clone(&self.backend.state);
        // Drop cannot wait: the cleanup runs on its own.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                state.lock().await.progress_cancels.remove(&key);
                sender
                    .send(WorkDoneProgress::End(WorkDoneProgressEnd {
                        message: Some(String::from("cancelled")),
                    }))
                    .await;
            });
        }
    }
}

/// A token no other progress of this server uses.
fn new_token(prefix: &str) -> ProgressToken {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    ProgressToken::String(format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed)))
}

pub fn token_text(token: &ProgressToken) -> String {
    match token {
        NumberOrString::Number(n) => n.to_string(),
        NumberOrString::String(s) => s.clone(),
    }
}

impl Backend {
    /// Begins cancellable progress under `given` (the client's token), else
    /// under a token the client is asked to create, and returns the work with
    /// the receiver its Cancel button fires.
    pub(super) async fn begin_cancellable(
        &self,
        given: Option<ProgressToken>,
        prefix: &str,
        title: &str,
        message: String,
    ) -> (Cancellable, tokio::sync::oneshot::Receiver<()>) {
        let created = given.is_none();
        let token = given.unwrap_or_else(|| new_token(prefix));
        let key = token_text(&token);
        let (cancel_tx, cancel_rx) = tokio::sync::oneshot::channel::<()>();
        self.state
            .lock()
            .await
            .progress_cancels
            .insert(key.clone(), cancel_tx);
        if created {
            if let Err(e) = self.client.create_work_done_progress(token.clone()).await {
                tracing::debug!("the client declined a progress token: {e}");
            }
        }
        let sender = ProgressSender {
            client: self.client.clone(),
            token,
        };
        sender
            .send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: title.to_string(),
                cancellable: Some(true),
                message: Some(message),
                percentage: Some(0),
            }))
            .await;
        let work = Cancellable {
            sender,
            key,
            backend: self.handle(),
            finished: false,
        };
        (work, cancel_rx)
    }

    /// `window/workDoneProgress/cancel`: the user pressed Cancel.
    pub(super) async fn cancel_progress(&self, params: WorkDoneProgressCancelParams) {
        let sender = self
            .state
            .lock()
            .await
            .progress_cancels
            .remove(&token_text(&params.token));
        if let Some(sender) = sender {
            let _ = sender.send(());
        }
    }
}
