//! Long requests (workspace lint, preload, remote checks) report standard
//! work-done progress with a Cancel button. The token is the client's own when
//! the request carries one (`workDoneToken`: the extension does, so VS Code
//! shows a notification with Cancel), else one the server creates. A cancel
//! switch waits under it for `window/workDoneProgress/cancel`; a second one
//! fires when a newer request of the same kind starts (it supersedes this
//! one). Either way the request answers RequestCancelled. The progress
//! always ends: when the work finishes, and when its request is dropped
//! (`$/cancelRequest`), so no notification is left spinning.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio_util::sync::CancellationToken;
use tower_lsp_server::ls_types::notification::Progress as ProgressNotification;
use tower_lsp_server::ls_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, ProgressToken, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCancelParams, WorkDoneProgressEnd,
    WorkDoneProgressReport,
};
use tower_lsp_server::Client;

use super::errors::CancelCause;
use super::Backend;

/// What stops a long request: the user's Cancel, or a newer request of the
/// same kind. Cheap to clone into a task.
#[derive(Clone, Default)]
pub struct CancelSignal {
    client: CancellationToken,
    superseded: CancellationToken,
}

impl CancelSignal {
    /// Resolves when the request is to stop, with why.
    pub async fn cancelled(&self) -> CancelCause {
        tokio::select! {
            () = self.client.cancelled() => CancelCause::Client,
            () = self.superseded.cancelled() => CancelCause::Superseded,
        }
    }
}

/// The running request of each kind (a method, with what it works on when
/// two of one method may run side by side), so a newer one supersedes it.
#[derive(Default)]
pub struct Superseding {
    next: u64,
    running: HashMap<String, (u64, CancellationToken)>,
}

impl Superseding {
    /// Registers a new request under `kind`, cancelling the one it replaces.
    fn start(&mut self, kind: String, switch: CancellationToken) -> u64 {
        self.next += 1;
        if let Some((_, older)) = self.running.insert(kind, (self.next, switch)) {
            older.cancel();
        }
        self.next
    }

    /// Forgets request `id` of `kind` (a newer one may have taken its place).
    fn finish(&mut self, kind: &str, id: u64) {
        if self
            .running
            .get(kind)
            .is_some_and(|(current, _)| *current == id)
        {
            self.running.remove(kind);
        }
    }
}

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
    /// The kind it runs as, and its id there.
    kind: (String, u64),
    backend: Backend,
    finished: bool,
}

impl Cancellable {
    pub fn sender(&self) -> ProgressSender {
        self.sender.clone()
    }

    pub async fn finish(mut self, message: String) {
        self.finished = true;
        {
            let mut state = self.backend.state.lock().await;
            state.progress_cancels.remove(&self.key);
            state.superseding.finish(&self.kind.0, self.kind.1);
        }
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
        let (kind, id) = std::mem::take(&mut self.kind);
        let state = std::sync::Arc::clone(&self.backend.state);
        // Drop cannot wait: the cleanup runs on its own.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                {
                    let mut state = state.lock().await;
                    state.progress_cancels.remove(&key);
                    state.superseding.finish(&kind, id);
                }
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
    /// the signal its Cancel button fires. The work runs as `kind`: a newer
    /// work of the same kind fires the signal too.
    pub(super) async fn begin_cancellable(
        &self,
        given: Option<ProgressToken>,
        kind: String,
        prefix: &str,
        title: &str,
        message: String,
    ) -> (Cancellable, CancelSignal) {
        let created = given.is_none();
        let token = given.unwrap_or_else(|| new_token(prefix));
        let key = token_text(&token);
        let signal = CancelSignal::default();
        let id = {
            let mut state = self.state.lock().await;
            state
                .progress_cancels
                .insert(key.clone(), signal.client.clone());
            state
                .superseding
                .start(kind.clone(), signal.superseded.clone())
        };
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
            kind: (kind, id),
            backend: self.handle(),
            finished: false,
        };
        (work, signal)
    }

    /// `window/workDoneProgress/cancel`: the user pressed Cancel.
    pub(super) async fn cancel_progress(&self, params: WorkDoneProgressCancelParams) {
        let switch = self
            .state
            .lock()
            .await
            .progress_cancels
            .remove(&token_text(&params.token));
        if let Some(switch) = switch {
            switch.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_request_of_a_kind_cancels_the_older_and_no_other() {
        let mut running = Superseding::default();
        let (first, other) = (CancellationToken::new(), CancellationToken::new());
        let first_id = running.start("gord/preload".into(), first.clone());
        running.start("gord/lint/workspace".into(), other.clone());
        assert!(!first.is_cancelled());
        let second = CancellationToken::new();
        let second_id = running.start("gord/preload".into(), second.clone());
        assert!(first.is_cancelled());
        assert!(!other.is_cancelled() && !second.is_cancelled());
        // The older one finishing late does not forget the newer one.
        running.finish("gord/preload", first_id);
        let third = CancellationToken::new();
        running.start("gord/preload".into(), third);
        assert!(second.is_cancelled());
        running.finish("gord/preload", second_id);
    }

    #[tokio::test]
    async fn the_signal_says_which_switch_fired() {
        let signal = CancelSignal::default();
        signal.superseded.cancel();
        assert_eq!(signal.cancelled().await, CancelCause::Superseded);
        let signal = CancelSignal::default();
        signal.client.cancel();
        assert_eq!(signal.cancelled().await, CancelCause::Client);
    }
}
