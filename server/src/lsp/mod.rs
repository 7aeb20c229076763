//! `gord serve`: the LSP sidecar. This file is the routing table and the
//! server's state; the pure pieces live in one file per feature.

pub mod attach;
pub mod code_action;
pub mod diagnostics;
pub mod documents;
pub mod errors;
pub mod ext;
pub mod framing;
mod handlers;
pub mod health_edits;
pub mod lint;
pub mod lint_runs;
pub mod preload_runs;
pub mod progress;
pub mod remote;
pub mod ssh;
pub mod ssh_edit;
mod ssh_runs;
pub mod stdin_eof;
pub mod store;
pub mod versioned;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, DidChangeConfigurationParams, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, MessageType,
    OneOf, Position, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use tower_lsp_server::ls_types::{
    CompletionOptions, CompletionParams, CompletionResponse, DocumentFormattingParams,
    DocumentRangeFormattingParams, DocumentSymbolParams, DocumentSymbolResponse, TextEdit,
};
use tower_lsp_server::ls_types::{
    DidChangeWorkspaceFoldersParams, WorkspaceFolder, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::check::HealthReport;
use crate::logging::LogLevel;
use crate::settings::{SettingProblem, Settings};
use crate::ssh::config::local::LocalFacts;
use crate::ssh::config::resolve::ConfigFs;
use documents::{Document, Documents};
use ext::{StatusNotification, StatusParams};
use store::{DiagnosticsStore, Producer};

/// Runs the server on stdin/stdout until the client says `exit`.
pub async fn serve(log_level: LogLevel) {
    // Kept here too, so the dlv servers are stopped however the loop ends:
    // `exit`, or stdin closed because the editor went away.
    // dlv sessions a killed sidecar left behind are detached first.
    tokio::task::spawn_blocking(crate::debug::sessions::recover_orphans);
    let sessions = attach::SharedSessions::default();
    let shared = Arc::clone(&sessions);
    let (service, socket) = handlers::routes(LspService::build(move |client| {
        Backend::new(client, log_level, shared)
    }))
    .finish();
    // stdin's end stops the server at once: the serve future is dropped with
    // every request in flight (their children killed), and main drops the
    // background tasks (lint, preload, remote, health) with the runtime.
    let eof = tokio_util::sync::CancellationToken::new();
    let stdin = stdin_eof::EofSignal::new(tokio::io::stdin(), eof.clone());
    // Our framing in front of tower-lsp's: a malformed message gets an error
    // answer instead of ending the sidecar.
    let (pipes, relay) = framing::Relay::start(stdin, tokio::io::stdout());
    tokio::select! {
        () = Server::new(pipes.input, pipes.output, socket).serve(service) => {}
        () = eof.cancelled() => tracing::info!("stdin closed: stopping"),
        signal = termination() => tracing::info!(signal, "stopping on a signal"),
    }
    relay.finish().await;
    let _ = tokio::task::spawn_blocking(move || attach::stop_all(&sessions)).await;
}

/// Resolves when SIGTERM, SIGINT or SIGHUP arrives, with its name. dlv runs
/// in a process group of its own, so a signal meant for the sidecar never
/// reaches it: the sidecar stops it on its way out instead.
async fn termination() -> &'static str {
    crate::platform::signals::termination(true).await
}

pub struct Backend {
    client: Client,
    log_level: LogLevel,
    state: Arc<Mutex<State>>,
    /// Held for the length of a health run, so runs never overlap.
    run_lock: Arc<Mutex<()>>,
    /// Lint runs per package (a std mutex: held only for map updates).
    lint_runs: Arc<std::sync::Mutex<lint_runs::LintRuns>>,
    linter_cache: Arc<Mutex<lint_runs::LinterCache>>,
    /// The dlv servers this sidecar started.
    debug_sessions: attach::SharedSessions,
    /// The files the client watches for us (the open SSH configs' includes),
    /// held while the registration is being changed.
    watching: Arc<Mutex<BTreeSet<PathBuf>>>,
}

#[derive(Default)]
struct State {
    settings: Settings,
    /// The first workspace folder: "the workspace" where one is needed.
    workspace: Option<PathBuf>,
    /// Every workspace folder, the first included, kept current with
    /// `workspace/didChangeWorkspaceFolders`: Restricted Mode's program
    /// filter excludes them all.
    folders: Vec<PathBuf>,
    /// True only when the client said the JSON boolean `true`.
    trusted: bool,
    /// The share of the health checks this sidecar runs (`part`).
    part: crate::part::Part,
    report: Option<HealthReport>,
    /// The remote hosts checked so far, each as last checked.
    fleet: Option<crate::remote::model::FleetReport>,
    documents: Documents,
    diagnostics: DiagnosticsStore,
    /// Lint failures already shown to the user (each is shown once).
    reported_lint_failures: HashSet<String>,
    /// Cancel switches of running work, by progress token.
    progress_cancels: HashMap<String, tokio_util::sync::CancellationToken>,
    /// The running long request of each kind, which a newer one supersedes.
    superseding: progress::Superseding,
    /// What the client can take (versioned edits, file watchers).
    client_support: versioned::ClientSupport,
    /// Every file each open SSH config's last lint read, by config path.
    ssh_files: BTreeMap<PathBuf, Vec<PathBuf>>,
    /// Which VS Code the client is and where its user data is, for the
    /// settings fixes (`initializationOptions`).
    editor: crate::remote::settings_fix::EditorHint,
}

impl State {
    /// Where programs may come from, for every lookup this workspace makes.
    fn trust(&self) -> crate::check::Trust {
        crate::check::Trust::new(self.trusted, &self.folders)
    }

    /// Replaces the workspace folders; the first becomes the workspace.
    fn set_folders(&mut self, folders: Vec<PathBuf>) {
        self.workspace = folders.first().cloned();
        self.folders = folders;
    }
}

/// How long typing must pause before an SSH config is linted again.
const LINT_DEBOUNCE: Duration = Duration::from_millis(150);

impl Backend {
    fn new(client: Client, log_level: LogLevel, debug_sessions: attach::SharedSessions) -> Self {
        Backend {
            client,
            log_level,
            state: Arc::new(Mutex::new(State::default())),
            run_lock: Arc::new(Mutex::new(())),
            lint_runs: Arc::default(),
            linter_cache: Arc::default(),
            debug_sessions,
            watching: Arc::default(),
        }
    }

    /// A handle for background work that outlives the current request.
    fn handle(&self) -> Backend {
        Backend {
            client: self.client.clone(),
            log_level: self.log_level.clone(),
            state: Arc::clone(&self.state),
            run_lock: Arc::clone(&self.run_lock),
            lint_runs: Arc::clone(&self.lint_runs),
            linter_cache: Arc::clone(&self.linter_cache),
            debug_sessions: Arc::clone(&self.debug_sessions),
            watching: Arc::clone(&self.watching),
        }
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
        let (part, workspace, settings, trust) = {
            let state = self.state.lock().await;
            (
                state.part,
                state.workspace.clone(),
                state.settings.clone(),
                state.trust(),
            )
        };
        let report = crate::health_of(part, workspace, settings, trust).await;
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
        let by_file = diagnostics::diagnostics_by_file(report, &doc_uri);
        let changed = {
            let mut state = self.state.lock().await;
            state.report = Some(report.clone());
            state.diagnostics.replace(Producer::Health, by_file)
        };
        self.send_diagnostics(changed).await;
    }

    /// Publishes the merged diagnostics of each URI in `uris`.
    async fn send_diagnostics(&self, uris: Vec<String>) {
        let merged: Vec<(String, Vec<_>)> = {
            let state = self.state.lock().await;
            uris.into_iter()
                .map(|u| {
                    let d = state.diagnostics.merged(&u);
                    (u, d)
                })
                .collect()
        };
        for (uri, diagnostics) in merged {
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

    /// Lints an open SSH config after a pause in typing, on its in-memory text.
    fn schedule_ssh_lint(&self, path: PathBuf, version: i32) {
        let backend = self.handle();
        tokio::spawn(async move {
            tokio::time::sleep(LINT_DEBOUNCE).await;
            let (overlay, allow_exec, request) = {
                let state = backend.state.lock().await;
                // An untrusted workspace never gets a config's commands run.
                let allow_exec = state.settings.allow_match_exec && state.trusted;
                // Nor a program of its choosing: the rules stay 9.2p1's.
                let request = state.trusted.then(|| state.settings.ssh_request());
                match state.documents.get(&path) {
                    Some(doc) if doc.version == version => {
                        (state.documents.overlay(), allow_exec, request)
                    }
                    // A newer edit has its own lint scheduled; a closed file needs none.
                    _ => return,
                }
            };
            let main = path.clone();
            let linted = tokio::task::spawn_blocking(move || {
                let local = LocalFacts::current();
                let followed = followed_ssh(request);
                ssh::diagnostics_for(&main, &overlay, &local, &doc_uri, allow_exec, followed)
            })
            .await;
            let Ok(linted) = linted else {
                tracing::error!(path = %path.display(), "SSH lint failed internally");
                return;
            };
            let changed = {
                let mut state = backend.state.lock().await;
                if state.documents.get(&path).map(|d| d.version) != Some(version) {
                    return;
                }
                state.ssh_files.insert(path.clone(), linted.files);
                state
                    .diagnostics
                    .replace(Producer::Ssh(crate::uri::file_uri(&path)), linted.by_file)
            };
            backend.send_diagnostics(changed).await;
            backend.sync_watches().await;
        });
    }

    /// The path and overlay for a request on an open SSH config.
    async fn ssh_document(&self, uri: &Uri) -> Option<(PathBuf, documents::OverlayFs)> {
        let path = crate::uri::uri_to_path(uri.as_str())?;
        let state = self.state.lock().await;
        let doc = state.documents.get(&path)?;
        doc.is_ssh_config()
            .then(|| (path.clone(), state.documents.overlay()))
    }

    /// Answers a position query (hover, definition) on an open SSH config,
    /// off the async runtime, over the open documents' overlay; None for any
    /// other document.
    async fn at_ssh_position<T: Send + 'static>(
        &self,
        at: TextDocumentPositionParams,
        query: fn(&Path, &dyn ConfigFs, &LocalFacts, Position) -> Option<T>,
    ) -> Option<T> {
        let (path, overlay) = self.ssh_document(&at.text_document.uri).await?;
        tokio::task::spawn_blocking(move || {
            query(&path, &overlay, &LocalFacts::current(), at.position)
        })
        .await
        .ok()
        .flatten()
    }

    /// Applies new settings; bad entries are logged, shown once, and ignored.
    async fn apply_settings(&self, raw: &Value) {
        let problems = {
            let mut state = self.state.lock().await;
            let (settings, problems) = Settings::from_json(raw, &state.settings);
            self.log_level.set(settings.trace.log_filter());
            crate::lifeline::allow_toolchain_switch(settings.allow_toolchain_switch);
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

fn is_go_file(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "go")
}

/// A file a health check reads and whose save reruns the report: a VS Code
/// settings file (GO030), a dev container's files (GO040-GO045), a
/// golangci-lint config (GO050-GO053).
fn feeds_health_report(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    matches!(name, "settings.json" | ".devcontainer.json")
        || crate::goenv::golangci_config::CONFIG_NAMES.contains(&name)
        || path.components().any(|c| c.as_os_str() == ".devcontainer")
}

impl Backend {
    /// Quick fixes for the lint diagnostics of `path`: the linter's own
    /// fixes, a //nolint comment, disabling the linter in the config.
    async fn lint_quick_fixes(
        &self,
        path: &std::path::Path,
        diagnostics: &[tower_lsp_server::ls_types::Diagnostic],
    ) -> Vec<tower_lsp_server::ls_types::CodeActionOrCommand> {
        let (overlay, document_changes) = {
            let state = self.state.lock().await;
            (
                state.documents.overlay(),
                state.client_support.document_changes,
            )
        };
        let major = self
            .linter_cache
            .lock()
            .await
            .linter
            .as_ref()
            .map_or(2, |l| l.major);
        let read = |p: &std::path::Path| -> Option<String> {
            use crate::ssh::config::resolve::ConfigFs;
            overlay
                .read(p)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
        };
        let module_root = path
            .parent()
            .map(crate::lint::scope::module_root)
            .unwrap_or_default();
        let version = |p: &std::path::Path| overlay.version(p);
        let ctx = lint::FixContext {
            major,
            read: &read,
            module_root,
            version: &version,
            document_changes,
        };
        lint::quick_fixes(path, diagnostics, &ctx)
    }
}

impl Backend {
    /// Quick fixes that edit a file for the health diagnostics of `path`
    /// (settings files; a remote host's settings fix on its Host line), while
    /// their guard holds for the edited file's current text.
    async fn health_quick_fixes(
        &self,
        path: &std::path::Path,
        diagnostics: &[tower_lsp_server::ls_types::Diagnostic],
    ) -> Vec<tower_lsp_server::ls_types::CodeActionOrCommand> {
        if !diagnostics.iter().any(health_edits::wants) {
            return Vec::new();
        }
        let (overlay, document_changes) = {
            let state = self.state.lock().await;
            (
                state.documents.overlay(),
                state.client_support.document_changes,
            )
        };
        let read = |p: &std::path::Path| {
            use crate::ssh::config::resolve::ConfigFs;
            match overlay.read(p) {
                Ok(bytes) => String::from_utf8(bytes)
                    .map_or(health_edits::Target::Unreadable, health_edits::Target::Text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => health_edits::Target::Missing,
                Err(_) => health_edits::Target::Unreadable,
            }
        };
        let build = |p: &std::path::Path, uri: Uri, edits| {
            let version = overlay.version(p);
            versioned::workspace_edit(vec![(uri, edits)], document_changes, &|_| version)
        };
        health_edits::quick_fixes(path, diagnostics, &read, &build)
    }
}

/// The rule page of a check or rule id as a URI, when the page is on disk.
fn doc_uri(doc: &str) -> Option<Uri> {
    let root = crate::docs::docs_root();
    crate::docs::rule_page(root.as_deref(), doc)
        .and_then(|page| Uri::from_str(&crate::uri::file_uri(&page)).ok())
}

/// Every workspace folder from initialize params, else the deprecated root
/// URI, else the root path.
#[allow(deprecated)]
fn folders_of(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| crate::uri::uri_to_path(folder.uri.as_str()))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    params
        .root_uri
        .as_ref()
        .and_then(|uri| crate::uri::uri_to_path(uri.as_str()))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .into_iter()
        .collect()
}

/// The editor as `initializationOptions` describe it: `userSettingsDir`
/// (its `User` directory, absolute) and `appName` (`vscode.env.appName`).
fn editor_of(options: &Value) -> crate::remote::settings_fix::EditorHint {
    let text = |key: &str| options.get(key).and_then(Value::as_str);
    crate::remote::settings_fix::EditorHint {
        user_dir: text("userSettingsDir")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute()),
        product: text("appName").and_then(crate::goenv::vscode::Product::from_app_name),
    }
}

/// Trust is granted only by the JSON boolean `true`: omitted, `"false"`, `0`
/// or `null` is Restricted Mode (a missing flag must not fail open).
fn trusted_of(options: &Value) -> bool {
    options.get("trusted") == Some(&Value::Bool(true))
}

/// The folders after a `workspace/didChangeWorkspaceFolders` event: removed
/// ones go, added ones join at the end, the order of the rest kept.
fn change_folders(
    mut folders: Vec<PathBuf>,
    removed: &[PathBuf],
    added: Vec<PathBuf>,
) -> Vec<PathBuf> {
    folders.retain(|f| !removed.contains(f));
    for folder in added {
        if !folders.contains(&folder) {
            folders.push(folder);
        }
    }
    folders
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let options = params.initialization_options.clone().unwrap_or(Value::Null);
        let trusted = trusted_of(&options);
        let (part, unknown_part) = crate::part::Part::of_option(options.get("part"));
        if let Some(value) = unknown_part {
            tracing::warn!(%value, "initializationOptions.part is not \"ui\" or \"workspace\": running every check");
        }
        let settings_json = options.get("settings").cloned().unwrap_or(Value::Null);
        {
            let mut state = self.state.lock().await;
            state.set_folders(folders_of(&params));
            state.trusted = trusted;
            state.part = part;
            state.client_support = versioned::ClientSupport::of(&params.capabilities);
            state.editor = editor_of(&options);
            tracing::info!(folders = ?state.folders, trusted, ?part, editor = ?state.editor, "initialize");
        }
        self.apply_settings(&settings_json).await;
        let edits_ssh = part.runs(crate::check::Area::Ssh);
        let static_formatting =
            edits_ssh && !self.state.lock().await.client_support.register_formatting;
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::FULL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                completion_provider: edits_ssh.then(|| CompletionOptions {
                    // After a separator, in an algorithm list and for a
                    // negated Match criterion.
                    trigger_characters: Some(
                        [" ", "=", ",", "+", "^", "!"].map(String::from).to_vec(),
                    ),
                    ..CompletionOptions::default()
                }),
                document_symbol_provider: edits_ssh.then_some(OneOf::Left(true)),
                // Registered for SSH configs only in `initialized` when the
                // client can (it sends JSON and YAML files too).
                document_formatting_provider: static_formatting.then_some(OneOf::Left(true)),
                document_range_formatting_provider: static_formatting.then_some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        // Only for a client that resolves edits lazily.
                        resolve_provider: self
                            .state
                            .lock()
                            .await
                            .client_support
                            .resolve_edit
                            .then_some(true),
                        ..CodeActionOptions::default()
                    },
                )),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
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
        let register = {
            let state = self.state.lock().await;
            state.client_support.register_formatting && state.part.runs(crate::check::Area::Ssh)
        };
        if register {
            let backend = self.handle();
            tokio::spawn(async move { backend.register_ssh_formatting().await });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        tracing::info!("shutdown");
        self.stop_debug_sessions().await;
        Ok(())
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let before = self.state.lock().await.settings.clone();
        self.apply_settings(&params.settings).await;
        // The client sends the settings right after `initialized` too: only a
        // real change is worth another health run.
        if self.state.lock().await.settings == before {
            return;
        }
        let backend = self.handle();
        tokio::spawn(async move {
            backend.run_health().await;
        });
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: Vec<WorkspaceFolder>| -> Vec<PathBuf> {
            folders
                .iter()
                .filter_map(|f| crate::uri::uri_to_path(f.uri.as_str()))
                .collect()
        };
        let removed = paths(params.event.removed);
        let added = paths(params.event.added);
        let first_changed = {
            let mut state = self.state.lock().await;
            let before = state.workspace.clone();
            let folders = change_folders(std::mem::take(&mut state.folders), &removed, added);
            state.set_folders(folders);
            tracing::info!(folders = ?state.folders, "workspace folders changed");
            state.workspace != before
        };
        // The linter was found under the old folders: find it again.
        *self.linter_cache.lock().await = lint_runs::LinterCache::default();
        if first_changed {
            let backend = self.handle();
            tokio::spawn(async move {
                backend.run_health().await;
            });
        }
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let Some(path) = crate::uri::uri_to_path(item.uri.as_str()) else {
            return;
        };
        let doc = Document {
            path: path.clone(),
            language: item.language_id,
            version: item.version,
            text: Arc::new(item.text),
        };
        let ssh = doc.is_ssh_config();
        let go = is_go_file(&path);
        let lint_on_open = {
            let mut state = self.state.lock().await;
            state.documents.open(doc);
            state.settings.lint_on_open && state.trusted
        };
        // The buffer now wins over the disk for the configs that include it.
        self.relint_including(&path).await;
        if ssh {
            self.schedule_ssh_lint(path, item.version);
        } else if go && lint_on_open {
            self.schedule_package_lint(&path);
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let Some(path) = crate::uri::uri_to_path(params.text_document.uri.as_str()) else {
            return;
        };
        let lint_on_save = {
            let state = self.state.lock().await;
            state.settings.lint_on_save && state.trusted
        };
        if is_go_file(&path) && lint_on_save {
            self.schedule_package_lint(&path);
        }
        // A file a health check reads: the report follows.
        if feeds_health_report(&path) {
            let backend = self.handle();
            tokio::spawn(async move {
                backend.run_health().await;
            });
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let Some(path) = crate::uri::uri_to_path(params.text_document.uri.as_str()) else {
            return;
        };
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().last() else {
            return;
        };
        let version = params.text_document.version;
        let ssh = {
            let mut state = self.state.lock().await;
            match state.documents.change(&path, version, change.text) {
                Ok(doc) => doc.is_ssh_config(),
                // A late or repeated change must not roll the text back.
                Err(e @ documents::ChangeRefused::Stale { .. }) => {
                    tracing::debug!(path = %path.display(), "didChange ignored: {e}");
                    return;
                }
                Err(documents::ChangeRefused::NotOpen) => false,
            }
        };
        self.relint_including(&path).await;
        if ssh {
            self.schedule_ssh_lint(path, version);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let Some(path) = crate::uri::uri_to_path(params.text_document.uri.as_str()) else {
            return;
        };
        let changed = {
            let mut state = self.state.lock().await;
            state.ssh_files.remove(&path);
            match state.documents.close(&path) {
                // The file on disk may differ from the closed buffer: its
                // diagnostics go with it.
                Some(doc) if doc.is_ssh_config() => state.diagnostics.replace(
                    Producer::Ssh(crate::uri::file_uri(&path)),
                    Default::default(),
                ),
                _ => Vec::new(),
            }
        };
        self.send_diagnostics(changed).await;
        // The configs that include it read the disk again.
        self.relint_including(&path).await;
        let backend = self.handle();
        tokio::spawn(async move { backend.sync_watches().await });
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        for event in params.changes {
            if let Some(path) = crate::uri::uri_to_path(event.uri.as_str()) {
                self.relint_including(&path).await;
            }
        }
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let request = self.ssh_followed_request().await;
        let Some((path, overlay)) = self.ssh_document(&at.text_document.uri).await else {
            return Ok(None);
        };
        Ok(tokio::task::spawn_blocking(move || {
            let followed = followed_ssh(request);
            ssh::hover_for(
                &path,
                &overlay,
                &LocalFacts::current(),
                at.position,
                followed,
            )
        })
        .await
        .ok()
        .flatten())
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let Some((_, text)) = self.ssh_text(&at.text_document.uri).await else {
            return Ok(None);
        };
        let request = self.ssh_followed_request().await;
        Ok(tokio::task::spawn_blocking(move || {
            let machine = ssh_edit::machine_facts();
            ssh_edit::completion(&text, at.position, &followed_ssh(request), &machine)
        })
        .await
        .ok()
        .flatten())
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((path, text)) = self.ssh_text(&params.text_document.uri).await else {
            return Ok(None);
        };
        Ok(tokio::task::spawn_blocking(move || {
            DocumentSymbolResponse::Nested(ssh_edit::document_symbols(&path, &text))
        })
        .await
        .ok())
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some((_, text)) = self.ssh_text(&params.text_document.uri).await else {
            return Ok(None);
        };
        Ok(Some(ssh_edit::formatting(&text, &params.options, None)))
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        let Some((_, text)) = self.ssh_text(&params.text_document.uri).await else {
            return Ok(None);
        };
        Ok(Some(ssh_edit::formatting(
            &text,
            &params.options,
            Some(params.range),
        )))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let location = self
            .at_ssh_position(params.text_document_position_params, ssh::definition)
            .await;
        Ok(location.map(GotoDefinitionResponse::Scalar))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let mut actions = code_action::quick_fixes(&params.context.diagnostics);
        if let Some(path) = crate::uri::uri_to_path(params.text_document.uri.as_str()) {
            let lazy = self.state.lock().await.client_support.resolve_edit;
            actions.extend(
                self.ssh_quick_fixes(&path, &params.context.diagnostics, lazy)
                    .await,
            );
            actions.extend(
                self.lint_quick_fixes(&path, &params.context.diagnostics)
                    .await,
            );
            actions.extend(
                self.health_quick_fixes(&path, &params.context.diagnostics)
                    .await,
            );
        }
        Ok((!actions.is_empty()).then_some(actions))
    }

    async fn code_action_resolve(
        &self,
        action: tower_lsp_server::ls_types::CodeAction,
    ) -> Result<tower_lsp_server::ls_types::CodeAction> {
        Ok(self.resolve_ssh_fix(action).await)
    }
}

/// The ssh whose release the SSH config features follow: the settings' (see
/// [`Settings::ssh_request`]); None (an untrusted workspace, which never
/// gets a program run) follows the release gord's resolution models.
fn followed_ssh(
    request: Option<crate::ssh::release::which::Request>,
) -> crate::ssh::release::which::Choice {
    match request {
        Some(request) => crate::ssh::release::which::choose(&request),
        None => crate::ssh::release::which::Choice::of_version(
            crate::ssh::config::resolve::modelled_version(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(value: Value) -> InitializeParams {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn only_the_json_boolean_true_grants_trust() {
        assert!(trusted_of(&json!({ "trusted": true })));
        for options in [
            json!({}),
            json!({ "trusted": false }),
            json!({ "trusted": "true" }),
            json!({ "trusted": "false" }),
            json!({ "trusted": 1 }),
            json!({ "trusted": 0 }),
            json!({ "trusted": null }),
            Value::Null,
        ] {
            assert!(!trusted_of(&options), "{options}");
        }
    }

    #[test]
    fn every_workspace_folder_is_kept_in_order() {
        let p = params(json!({
            "capabilities": {},
            "rootUri": "file:///root",
            "workspaceFolders": [
                { "uri": "file:///a", "name": "a" },
                { "uri": "file:///b", "name": "b" },
            ],
        }));
        assert_eq!(folders_of(&p), [PathBuf::from("/a"), PathBuf::from("/b")]);
    }

    #[test]
    fn without_folders_the_root_uri_then_the_root_path_counts() {
        let p = params(json!({ "capabilities": {}, "rootUri": "file:///root" }));
        assert_eq!(folders_of(&p), [PathBuf::from("/root")]);
        let p = params(json!({ "capabilities": {}, "rootPath": "/old", "workspaceFolders": [] }));
        assert_eq!(folders_of(&p), [PathBuf::from("/old")]);
        assert!(folders_of(&params(json!({ "capabilities": {} }))).is_empty());
    }

    #[test]
    fn folder_changes_remove_then_add() {
        let folders = vec![PathBuf::from("/a"), PathBuf::from("/b")];
        let changed = change_folders(
            folders,
            &[PathBuf::from("/a")],
            vec![PathBuf::from("/c"), PathBuf::from("/b")],
        );
        assert_eq!(changed, [PathBuf::from("/b"), PathBuf::from("/c")]);
    }
}
