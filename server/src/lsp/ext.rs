//! The custom `gord/*` methods, each declared once: its method name, its
//! params and its result (or a notification's params). The server routes
//! them from `handlers::routes`; extension/src/protocol.ts mirrors them as
//! typed request objects; docs/protocol.md describes them, and
//! tests/protocol_doc.rs checks names and fields against it both ways.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::check::{HealthReport, Status, Summary};
use crate::debug::config::AttachConfigurations;
use crate::debug::launch::{ServerKind, StopReport};
use crate::debug::preflight::Preflight;
use crate::remote::model::FleetReport;

/// Bumped when a message changes incompatibly. 2: a cancelled
/// `gord/lint/workspace` or `gord/preload` is the error RequestCancelled,
/// no longer a result with `cancelled: true`.
pub const PROTOCOL_VERSION: u32 = 2;

/// A `gord/*` request (client to server). Like ls-types' `Request`, except
/// that a result need only be serialisable: some results (the process list,
/// a preflight) carry borrowed rule codes and are never read back.
pub trait Request {
    const METHOD: &'static str;
    /// `NoParams` when the request takes none (the `params` field omitted).
    type Params: DeserializeOwned + Send + 'static;
    type Result: Serialize + Send + 'static;
}

/// The params of a request that takes none.
pub type NoParams = ();

/// Declares each request once: a type named for it, its method, params and
/// result, and the list of every method.
macro_rules! requests {
    ($( $(#[$doc:meta])* $name:ident = $method:literal, $params:ty => $result:ty; )*) => {
        $(
            $(#[$doc])*
            pub enum $name {}

            impl Request for $name {
                const METHOD: &'static str = $method;
                type Params = $params;
                type Result = $result;
            }
        )*

        /// Every request method, in the order docs/protocol.md lists them.
        pub const REQUESTS: &[&str] = &[$($method),*];
    };
}

/// Declares each server-to-client notification once, as ls-types'
/// `Notification` (what tower-lsp's client sends).
macro_rules! notifications {
    ($( $(#[$doc:meta])* $name:ident = $method:literal, $params:ty; )*) => {
        $(
            $(#[$doc])*
            pub enum $name {}

            impl tower_lsp_server::ls_types::notification::Notification for $name {
                type Params = $params;
                const METHOD: &'static str = $method;
            }
        )*

        /// Every notification method, in the order docs/protocol.md lists them.
        pub const NOTIFICATIONS: &[&str] = &[$($method),*];
    };
}

requests! {
    /// The sidecar's name, version and protocol version.
    Version = "gord/version", NoParams => VersionResult;
    /// The health report: the last one, or a fresh run.
    Health = "gord/health", HealthParams => HealthReport;
    /// The health report rendered (Markdown, HTML), with the fleet.
    Report = "gord/report", HealthParams => ReportResult;
    /// golangci-lint (or go vet) over every module, with cancellable progress.
    LintWorkspace = "gord/lint/workspace", LintWorkspaceParams => LintWorkspaceResult;
    /// Warms the workspace's caches, with cancellable progress.
    Preload = "gord/preload", PreloadParams => PreloadResult;
    /// The hosts an ssh config names literally.
    RemoteHosts = "gord/remote/hosts", RemoteHostsParams => RemoteHostsResult;
    /// Checks remote hosts, with cancellable progress.
    RemoteCheck = "gord/remote/check", RemoteCheckParams => FleetReport;
    /// The processes on this machine, each with its debugger preflight.
    Procs = "gord/procs", ProcsParams => ProcsResult;
    /// Starts dlv on loopback, attached to a process.
    Attach = "gord/attach", AttachParams => AttachResult;
    /// Stops a dlv this sidecar started; the target keeps running.
    Detach = "gord/detach", DetachParams => DetachResult;
    /// Creates the missing VS Code user settings.json a settings fix edits.
    SettingsCreate = "gord/settings/create", SettingsCreateParams => SettingsCreateResult;
}

notifications! {
    /// A health run started or ended.
    StatusNotification = "gord/status", StatusParams;
    /// A lint run started or ended.
    LintStatusNotification = "gord/lint/status", LintStatusParams;
}

/// Every custom method, requests and notifications alike.
pub fn all_methods() -> impl Iterator<Item = &'static str> {
    REQUESTS.iter().chain(NOTIFICATIONS).copied()
}

/// JSON-RPC error code of a refused attach (the preflight found an error).
pub const ATTACH_REFUSED: i64 = -32001;

/// Result of `gord/version`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VersionResult {
    pub name: String,
    pub version: String,
    pub protocol_version: u32,
}

/// Params of `gord/health` and `gord/report`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct HealthParams {
    /// Run the checks now instead of returning the last report.
    pub refresh: bool,
}

/// Result of `gord/report`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReportResult {
    pub markdown: String,
    /// The same report as an HTML fragment for the editor's report view.
    pub html: String,
    pub report: HealthReport,
    /// The last remote check's hosts (what `gord/remote/check` returned,
    /// merged host by host); omitted before the first one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet: Option<FleetReport>,
}

/// `gord/status` notification: a health run started or ended.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StatusParams {
    pub state: RunState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckBrief>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    Running,
    Idle,
}

/// One line of the status-bar tooltip.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CheckBrief {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub message: String,
}

impl StatusParams {
    pub fn running() -> Self {
        StatusParams {
            state: RunState::Running,
            summary: None,
            checks: Vec::new(),
        }
    }

    pub fn idle(report: &HealthReport) -> Self {
        StatusParams {
            state: RunState::Idle,
            summary: Some(report.summary),
            checks: report
                .checks
                .iter()
                .map(|c| CheckBrief {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    status: c.status,
                    message: c.message.clone(),
                })
                .collect(),
        }
    }
}

/// `gord/lint/status` notification: a lint run started or ended.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LintStatusParams {
    pub state: RunState,
    /// What runs: `./pkg` in `/path/to/module`, or `the workspace`.
    pub scope: String,
    /// `golangci-lint 2.15.0`, `go vet`, or empty when none is installed.
    pub linter: String,
    /// Issues found (idle only).
    #[serde(default)]
    pub issues: usize,
    /// The linter's own failures (idle only): config errors, code that does
    /// not compile, a crash.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<String>,
}

/// `gord/preload` params.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PreloadParams {
    /// Download nothing and start no gopls: only prove the workspace loads offline.
    #[serde(default)]
    pub offline_check_only: bool,
    /// The client's own progress token; without one the server creates one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_done_token: Option<tower_lsp_server::ls_types::ProgressToken>,
}

/// `gord/preload` result. A cancelled preload answers RequestCancelled instead.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PreloadResult {
    /// The report as `gord preload` prints it.
    pub text: String,
    pub report: crate::preload::PreloadReport,
}

/// `gord/lint/workspace` params.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct LintWorkspaceParams {
    /// The client's own progress token; without one the server creates one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_done_token: Option<tower_lsp_server::ls_types::ProgressToken>,
}

/// `gord/lint/workspace` result. A cancelled run answers RequestCancelled instead.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LintWorkspaceResult {
    pub linter: String,
    pub modules: usize,
    pub issues: usize,
    pub files: usize,
    pub failures: Vec<String>,
    pub duration_ms: u64,
}

/// `gord/remote/hosts` params.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct RemoteHostsParams {
    /// The ssh config to read; default ~/.ssh/config.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

/// `gord/remote/hosts` result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteHostsResult {
    /// The config file read (its includes were read too).
    pub config: String,
    pub hosts: Vec<RemoteHost>,
}

/// A host a config names literally, at the `Host` line that first names it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteHost {
    pub host: String,
    pub file: String,
    /// 0-based, as LSP counts lines.
    pub line: usize,
}

/// Which hosts `gord/remote/check` checks.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum HostSelection {
    /// Exactly the string `"all"`: every host the config names literally.
    All(AllHosts),
    Named(Vec<String>),
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AllHosts {
    All,
}

/// `gord/remote/check` params.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RemoteCheckParams {
    pub hosts: HostSelection,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Bounds each network step and each ssh run (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    /// The client's own progress token; without one the server creates one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_done_token: Option<tower_lsp_server::ls_types::ProgressToken>,
}

/// `gord/procs` params.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct ProcsParams {
    /// Only Go programs.
    pub go_only: bool,
}

/// `gord/procs` result: [`crate::debug::ProcessList`], Go programs first
/// (see [`crate::debug::order_for_picking`]).
pub type ProcsResult = crate::debug::ProcessList;

/// `gord/attach` params.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AttachParams {
    pub pid: u32,
    /// `headless` (default: attached at once; vscode-go's `mode: remote`) or
    /// `dap` (`dlv dap`, attaches when the editor sends `attach`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<ServerKind>,
}

/// `gord/attach` result: where dlv listens and what to start in the editor.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AttachResult {
    /// Names this dlv server in `gord/detach`.
    pub session_id: String,
    pub server: ServerKind,
    pub host: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dlv_pid: Option<u32>,
    /// The debug configuration to start: vscode-go's for a headless server,
    /// gord's own (`gord-dlv`) for a dap server. It carries `gordSessionId`.
    pub configuration: serde_json::Value,
    /// Both configurations, for a client that prefers the other.
    pub configurations: AttachConfigurations,
    /// The preflight that allowed it (warnings, e.g. DBG007, may remain).
    pub preflight: Preflight,
}

/// The `data` of the error `gord/attach` answers when the preflight blocks.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AttachRefusal {
    pub preflight: Preflight,
}

/// `gord/detach` params: the session, or the port its dlv listens on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct DetachParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// `gord/detach` result.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DetachResult {
    /// False when no session matched (already detached).
    pub detached: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<StopReport>,
}

/// `gord/settings/create` params: a remote host's settings fix on a user
/// settings.json that does not exist yet, as its quick fix's command
/// carries it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SettingsCreateParams {
    /// The file to create: the sidecar's VS Code user settings.json.
    pub path: String,
    /// The fix's edits, on the empty text.
    pub edits: Vec<SettingsEdit>,
}

/// One edit of [`SettingsCreateParams`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SettingsEdit {
    pub range: crate::finding::Range,
    pub new_text: String,
}

/// `gord/settings/create` result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SettingsCreateResult {
    /// The file created.
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_check_takes_a_host_list_or_all() {
        let all: RemoteCheckParams = serde_json::from_str(r#"{"hosts":"all"}"#).unwrap();
        assert_eq!(all.hosts, HostSelection::All(AllHosts::All));
        let named: RemoteCheckParams =
            serde_json::from_str(r#"{"hosts":["a","b"],"config":"/c","timeoutSeconds":3}"#)
                .unwrap();
        assert_eq!(
            named.hosts,
            HostSelection::Named(vec!["a".into(), "b".into()])
        );
        assert_eq!(named.config.as_deref(), Some("/c"));
        assert_eq!(named.timeout_seconds, Some(3));
        assert!(serde_json::from_str::<RemoteCheckParams>(r#"{"hosts":"web"}"#).is_err());
    }

    #[test]
    fn health_params_may_be_empty() {
        let params: HealthParams = serde_json::from_str("{}").unwrap();
        assert!(!params.refresh);
        let params: HealthParams = serde_json::from_str(r#"{"refresh":true}"#).unwrap();
        assert!(params.refresh);
    }
}
