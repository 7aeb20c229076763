//! The debugger in the editor, what `gord/procs`, `gord/attach` and
//! `gord/detach` (handlers/) share: dlv as the workspace's trust allows,
//! the preflight and dlv's start, and the sessions.
//!
//! The sidecar owns every dlv server it starts. `gord/detach` stops one
//! (detaching, so the target keeps running); shutdown, exit and a closed
//! stdin stop them all, so no dlv outlives the editor.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};

use super::errors::RequestError;
use super::ext::{AttachRefusal, AttachResult, DetachParams, ATTACH_REFUSED};
use super::Backend;
use crate::debug::config::{attach_configurations, substitute_path};
use crate::debug::discover::Discovery;
use crate::debug::dlv::DlvFacts;
use crate::debug::launch::{DlvServer, LaunchOptions, ServerKind};

/// The dlv servers this sidecar started, by session id.
#[derive(Default)]
pub struct DebugSessions {
    next: u64,
    servers: HashMap<String, DlvServer>,
}

impl DebugSessions {
    pub(super) fn insert(&mut self, server: DlvServer) -> String {
        self.next += 1;
        let id = format!("dlv-{}", self.next);
        self.servers.insert(id.clone(), server);
        id
    }

    /// Removes the session named by id, else the one listening on `port`.
    pub(super) fn take(&mut self, params: &DetachParams) -> Option<DlvServer> {
        let id = match (&params.session_id, params.port) {
            (Some(id), _) => id.clone(),
            (None, Some(port)) => self
                .servers
                .iter()
                .find(|(_, s)| s.addr().port() == port)
                .map(|(id, _)| id.clone())?,
            (None, None) => return None,
        };
        self.servers.remove(&id)
    }
}

pub type SharedSessions = Arc<Mutex<DebugSessions>>;

/// Stops every dlv server in `sessions`, concurrently (each stop may wait
/// seconds for dlv to detach). Blocks until all are gone.
pub fn stop_all(sessions: &SharedSessions) {
    let servers: Vec<(String, DlvServer)> = sessions
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .servers
        .drain()
        .collect();
    let stops: Vec<_> = servers
        .into_iter()
        .map(|(id, server)| {
            std::thread::spawn(move || {
                let pid = server.target_pid();
                let report = server.stop();
                tracing::info!(session = %id, pid, method = %report.method, "dlv stopped; the target keeps running");
            })
        })
        .collect();
    for stop in stops {
        let _ = stop.join();
    }
}

/// A failure of the machinery (a thread, dlv's start) as RequestFailed.
pub(super) fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    RequestError::failed(format!("{what}: {e}")).into()
}

impl Backend {
    /// dlv as the workspace's trust allows: in an untrusted workspace only
    /// from absolute PATH directories (and a GOPATH/bin) outside it.
    pub(super) async fn dlv_facts(&self) -> DlvFacts {
        let trust = self.state.lock().await.trust();
        let locator =
            crate::toolchain::Locator::new(&crate::check::Environment::from_process(), &trust);
        tokio::task::spawn_blocking(move || crate::debug::dlv::gather_in(&locator))
            .await
            .unwrap_or_else(|_| DlvFacts {
                path: None,
                version: None,
                searched: Vec::new(),
                error: Some("finding dlv failed internally".into()),
            })
    }

    /// Stops every dlv this sidecar started (shutdown, exit, stdin closed).
    pub(super) async fn stop_debug_sessions(&self) {
        let sessions = Arc::clone(&self.debug_sessions);
        let _ = tokio::task::spawn_blocking(move || stop_all(&sessions)).await;
    }
}

/// Preflight, then dlv on loopback. A blocked preflight is an error whose
/// `data` carries the findings. Blocking: run it off the async threads.
pub(super) fn start_dlv(
    dlv: DlvFacts,
    pid: u32,
    kind: ServerKind,
) -> Result<(DlvServer, AttachResult)> {
    crate::platform::linux_only(
        "Attaching the debugger",
        "reads /proc and attaches with ptrace",
    )
    .map_err(|e| Error::from(RequestError::failed(e.to_string())))?;
    let mut discovery = Discovery::system();
    let dlv_path: Option<PathBuf> = dlv.path.clone();
    let (process, preflight) = crate::debug::preflight_pid(&mut discovery, dlv, pid)
        .map_err(|e| Error::from(RequestError::failed(e.to_string())))?;
    if preflight.blocked {
        let reasons: Vec<String> = preflight
            .findings
            .iter()
            .filter(|f| f.severity == crate::finding::Severity::Error)
            .map(|f| {
                let title = crate::debug::preflight::title(&f.code);
                format!("{} {title}: {}", f.code, f.message)
            })
            .collect();
        return Err(Error {
            code: ErrorCode::ServerError(ATTACH_REFUSED),
            message: format!("cannot attach to pid {pid}: {}", reasons.join("; ")).into(),
            data: serde_json::to_value(AttachRefusal { preflight }).ok(),
        });
    }
    let dlv_path = dlv_path.ok_or_else(|| {
        Error::from(RequestError::failed(
            "dlv is not installed: run the health check for how to install it",
        ))
    })?;
    let server = DlvServer::start(&LaunchOptions::new(dlv_path, kind, pid))
        .map_err(|e| failed("starting dlv failed", e))?;
    let build = process.binary.as_ref().and_then(|b| b.go.as_ref());
    let source = crate::debug::source_dir_of(discovery.proc_root(), &process);
    let configs = attach_configurations(
        server.kind(),
        server.addr(),
        pid,
        &process.name,
        substitute_path(build, source.as_deref()),
    );
    let configuration = match kind {
        ServerKind::Headless => serde_json::to_value(&configs.vscode_go),
        ServerKind::Dap => serde_json::to_value(&configs.gord),
    }
    .map_err(|e| failed("the debug configuration", e))?;
    let result = AttachResult {
        session_id: String::new(),
        server: server.kind(),
        host: server.addr().ip().to_string(),
        port: server.addr().port(),
        dlv_pid: server.dlv_pid(),
        configuration,
        configurations: configs,
        preflight,
    };
    Ok((server, result))
}
