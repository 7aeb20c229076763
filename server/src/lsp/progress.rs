//! Work-done progress for long requests (workspace lint, preload): the token
//! is the client's own when the request carries one (`workDoneToken`), else
//! one the server creates; Cancel on it fires a switch the request watches.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::oneshot;
use tower_lsp_server::ls_types::{NumberOrString, ProgressToken, WorkDoneProgressCancelParams};

use super::Backend;

/// The text of a token, as the cancel switches are keyed.
pub fn token_text(token: &ProgressToken) -> String {
    match token {
        NumberOrString::Number(n) => n.to_string(),
        NumberOrString::String(s) => s.clone(),
    }
}

/// A token no other request of this server uses.
fn fresh_token(kind: &str) -> ProgressToken {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    ProgressToken::String(format!(
        "gord-{kind}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A progress token and the receiving end of its Cancel switch.
pub struct Tracked {
    pub token: ProgressToken,
    pub cancelled: oneshot::Receiver<()>,
    key: String,
}

impl Backend {
    /// The token to report on: `given` (the client made it and shows it), else
    /// a new one the client is asked to create. Either way Cancel on it
    /// reaches the returned switch until [`Self::untrack_progress`].
    pub(super) async fn track_progress(&self, given: Option<ProgressToken>, kind: &str) -> Tracked {
        let token = match given {
            Some(token) => token,
            None => {
                let token = fresh_token(kind);
                if let Err(e) = self.client.create_work_done_progress(token.clone()).await {
                    tracing::debug!("the client declined a progress token: {e}");
                }
                token
            }
        };
        let key = token_text(&token);
        let (tx, cancelled) = oneshot::channel();
        self.state
            .lock()
            .await
            .progress_cancels
            .insert(key.clone(), tx);
        Tracked {
            token,
            cancelled,
            key,
        }
    }

    pub(super) async fn untrack_progress(&self, tracked_key: &str) {
        self.state.lock().await.progress_cancels.remove(tracked_key);
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

impl Tracked {
    pub fn key(&self) -> &str {
        &self.key
    }
}
