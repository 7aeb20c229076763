//! `gord serve`: the LSP sidecar. This file is the routing table and the
//! server's state; the pure pieces live in one file per feature.

pub mod code_action;
pub mod diagnostics;
pub mod ext;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, DidChangeConfigurationParams, InitializeParams, InitializeResult,
    InitializedParams, MessageType, ServerCapabilities, ServerInfo, Uri,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::check::HealthReport;
use crate::logging::LogLevel;
use crate::settings::{SettingProblem, Settings};
use ext::{HealthParams, ReportResult, StatusNotification, StatusParams, VersionResult};

/// Runs the server on stdin/stdout until the client says `exit`.
pub async fn serve(log_level: LogLevel) {
    let (service, socket) = LspService::build(|client| Backend::new(client, log_level))
        .custom_method(ext::VERSION, Backend::version)
        .custom_method(ext::HEALTH, Backend::health)
        .custom_method(ext::REPORT, Backend::report)
        .finish();
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket)
        .serve(service)
        .await;
}

pub struct Backend {
    client: Client,
    log_level: LogLevel,
    state: Arc<Mutex<State>>,
    /// Held for the length of a health run, so runs never overlap.
    run_lock: Arc<Mutex<()>>,
}

#[derive(Default)]
struct State {
    settings: Settings,
    workspace: Option<PathBuf>,
    trusted: bool,
    report: Option<HealthReport>,
    /// Files that currently carry gord diagnostics, to clear them later.
    published: BTreeSet<String>,
}

impl Backend {
    fn new(client: Client, log_level: LogLevel) -> Self {
        Backend {
            client,
            log_level,
            state: Arc::new(Mutex::new(State {
                trusted: true,
                ..State::default()
            })),
            run_lock: Arc::new(Mutex::new(())),
        }
    }

    /// A handle for background work that outlives the current request.
    fn handle(&self) -> Backend {
        Backend {
            client: self.client.clone(),
            log_level: self.log_level.clone(),
            state: Arc::clone(&self.state),
            run_lock: Arc::clone(&self.run_lock),
        }
    }

    async fn version(&self) -> Result<VersionResult> {
        Ok(VersionResult {
            name: String::from("gord"),
            version: crate::VERSION.to_string(),
            protocol_version: ext::PROTOCOL_VERSION,
        })
    }

    async fn health(&self, params: HealthParams) -> Result<HealthReport> {
        Ok(self.report_for(params.refresh).await)
    }

    async fn report(&self, params: HealthParams) -> Result<ReportResult> {
        let report = self.report_for(params.refresh).await;
        let markdown = crate::render::render_markdown(&report, crate::docs::docs_root().as_deref());
        Ok(ReportResult { markdown, report })
    }

    /// The last report, or a fresh one when asked or when there is none.
    async fn report_for(&self, refresh: bool) -> HealthReport {
        if !refresh {
            if let Some(report) = self.state.lock().await.report.clone() {
                return report;
            }
        }
        self.run_health().await
    }

    /// Runs every check, then publishes diagnostics and the status.
    async fn run_health(&self) -> HealthReport {
        let _running = self.run_lock.lock().await;
        self.client
            .send_notification::<StatusNotification>(StatusParams::running())
            .await;
        let (workspace, settings, trusted) = {
            let state = self.state.lock().await;
            (
                state.workspace.clone(),
                state.settings.clone(),
                state.trusted,
            )
        };
        let report = crate::health(workspace, settings, trusted).await;
        tracing::info!(
            status = ?report.summary.status,
            duration_ms = report.duration_ms,
            "health run finished"
        );
        self.publish(&report).await;
        self.client
            .send_notification::<StatusNotification>(StatusParams::idle(&report))
            .await;
        report
    }

    async fn publish(&self, report: &HealthReport) {
        let docs_root = crate::docs::docs_root();
        let doc_uri = |doc: &str| {
            crate::docs::rule_page(docs_root.as_deref(), doc)
                .and_then(|page| Uri::from_str(&crate::uri::file_uri(&page)).ok())
        };
        let by_file = diagnostics::diagnostics_by_file(report, &doc_uri);
        let stale: Vec<String> = {
            let mut state = self.state.lock().await;
            state.report = Some(report.clone());
            let now: BTreeSet<String> = by_file.keys().cloned().collect();
            let stale = state.published.difference(&now).cloned().collect();
            state.published = now;
            stale
        };
        let cleared = stale.into_iter().map(|uri| (uri, Vec::new()));
        for (uri, diagnostics) in by_file.into_iter().chain(cleared) {
            match Uri::from_str(&uri) {
                Ok(parsed) => {
                    self.client
                        .publish_diagnostics(parsed, diagnostics, None)
                        .await
                }
                Err(e) => tracing::warn!("not publishing diagnostics for bad URI {uri}: {e}"),
            }
        }
    }

    /// Applies new settings; bad entries are logged, shown once, and ignored.
    async fn apply_settings(&self, raw: &Value) {
        let problems = {
            let mut state = self.state.lock().await;
            let (settings, problems) = Settings::from_json(raw, &state.settings);
            self.log_level.set(settings.trace.log_filter());
            state.settings = settings;
            problems
        };
        self.report_setting_problems(&problems).await;
    }

    async fn report_setting_problems(&self, problems: &[SettingProblem]) {
        if problems.is_empty() {
            return;
        }
        for problem in problems {
            tracing::warn!("ignored setting {problem}");
        }
        let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
        self.client
            .show_message(
                MessageType::WARNING,
                format!(
                    "Go Remote Doctor ignored invalid settings: {}",
                    list.join("; ")
                ),
            )
            .await;
    }
}

/// The workspace folder from initialize params: the first workspace folder,
/// else the deprecated root URI.
#[allow(deprecated)]
fn workspace_of(params: &InitializeParams) -> Option<PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| folder.uri.as_str().to_string())
        .or_else(|| params.root_uri.as_ref().map(|u| u.as_str().to_string()))?;
    crate::uri::uri_to_path(&uri)
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let options = params.initialization_options.clone().unwrap_or(Value::Null);
        let trusted = options
            .get("trusted")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let settings_json = options.get("settings").cloned().unwrap_or(Value::Null);
        {
            let mut state = self.state.lock().await;
            state.workspace = workspace_of(&params);
            state.trusted = trusted;
            tracing::info!(workspace = ?state.workspace, trusted, "initialize");
        }
        self.apply_settings(&settings_json).await;
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                experimental: Some(serde_json::json!({
                    "gord": { "protocolVersion": ext::PROTOCOL_VERSION }
                })),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: String::from("gord"),
                version: Some(crate::VERSION.to_string()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        // The first health run goes in the background: the editor never waits.
        let backend = self.handle();
        tokio::spawn(async move {
            backend.run_health().await;
        });
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        Ok(())
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&params.settings).await;
        let backend = self.handle();
        tokio::spawn(async move {
            backend.run_health().await;
        });
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let actions = code_action::quick_fixes(&params.context.diagnostics);
        Ok((!actions.is_empty()).then_some(actions))
    }
}
