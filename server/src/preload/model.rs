//! The wire types of a preload: the progress events it sends while it runs
//! and the report it ends with. camelCase, like every gord protocol type, so
//! the LSP side (`$/progress`, `gord/preload`) can pass them on as they are.

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity, Subject};
use crate::preload::caches::{CacheDir, GoplsCache};
use crate::preload::private::PrivateSetup;
use crate::preload::workspace::RootKind;

/// The stages of a preload, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Step {
    /// Find go.work and go.mod files.
    Discover,
    /// `go list -m -json all`: the module graph and what is already cached.
    Resolve,
    /// `go mod download -json` for each module not in GOMODCACHE.
    Download,
    /// A headless gopls session until its initial workspace load is done.
    Gopls,
    /// `go list -export -deps -test` with GOPROXY=off: fills the build cache
    /// and proves the workspace builds offline.
    Build,
    /// Cache sizes and the private-module setup.
    Report,
}

impl Step {
    pub fn title(self) -> &'static str {
        match self {
            Step::Discover => "Finding modules",
            Step::Resolve => "Resolving the module graph",
            Step::Download => "Downloading modules",
            Step::Gopls => "Warming gopls' cache",
            Step::Build => "Warming the build cache (offline)",
            Step::Report => "Measuring caches",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepStatus {
    Done,
    /// Nothing to do: the caches already held everything.
    Skipped,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ModuleOutcome {
    Downloaded,
    /// Already in GOMODCACHE.
    Cached,
    Failed,
}

/// What a preload reports while it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum PreloadEvent {
    #[serde(rename_all = "camelCase")]
    StepStarted { step: Step, title: String },
    /// One module settled: `done` of `total` modules so far.
    #[serde(rename_all = "camelCase")]
    Module {
        done: usize,
        total: usize,
        module: String,
        outcome: ModuleOutcome,
    },
    #[serde(rename_all = "camelCase")]
    StepFinished {
        step: Step,
        status: StepStatus,
        message: String,
        duration_ms: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    pub step: Step,
    pub status: StepStatus,
    pub message: String,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootReport {
    pub dir: String,
    pub kind: RootKind,
    pub modules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailedModule {
    pub module: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleSummary {
    /// Modules the workspace needs (what `go mod download` would fetch).
    pub total: usize,
    pub downloaded: usize,
    /// Already in GOMODCACHE, so not downloaded again.
    pub cached: usize,
    pub failed: Vec<FailedModule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildSummary {
    /// Packages listed (the workspace's, their tests, and every dependency).
    pub packages: usize,
    /// Packages go compiled; the rest came from the build cache.
    pub compiled: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoplsSummary {
    pub folder: String,
    /// Start to the end of "Setting up workspace".
    pub loaded_ms: u64,
    /// Start to the end of the initial diagnosis of the workspace.
    pub diagnosed_ms: u64,
    /// Bytes gopls added to its cache in this session.
    pub cache_growth_bytes: u64,
}

/// Can the workspace's packages be listed and type-checked with GOPROXY=off?
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfflineReport {
    pub ready: bool,
    /// `path@version` of each module that still needs the network.
    pub needs_network: Vec<String>,
    /// go's error lines (first few), credentials redacted.
    pub errors: Vec<String>,
}

/// What a preload did and found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreloadReport {
    pub workspace: String,
    pub roots: Vec<RootReport>,
    pub steps: Vec<StepReport>,
    pub modules: ModuleSummary,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<BuildSummary>,
    pub gopls: Vec<GoplsSummary>,
    pub offline: OfflineReport,
    pub caches: Vec<CacheDir>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gopls_cache: Option<GoplsCache>,
    pub private: PrivateSetup,
    pub duration_ms: u64,
}

impl PreloadReport {
    /// What went wrong, as findings: each failed step an error
    /// (`GO023`), each module that still needs the network a
    /// warning (`GO021`; one about the workspace when go
    /// named no module), go's first error lines as its detail.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .steps
            .iter()
            .filter(|s| s.status == StepStatus::Failed)
            .map(|s| {
                Finding::new(
                    "GO023",
                    Severity::Error,
                    format!("{}: {}", s.step.title(), s.message),
                    Subject::Workspace,
                )
                .with_rule_page()
            })
            .collect();
        if self.offline.ready {
            return out;
        }
        let detail = (!self.offline.errors.is_empty()).then(|| self.offline.errors.join("\n"));
        let offline = |message: String, subject: Subject| {
            let mut finding =
                Finding::new("GO021", Severity::Warning, message, subject).with_rule_page();
            finding.detail = detail.clone();
            finding
        };
        if self.offline.needs_network.is_empty() {
            out.push(offline(
                "the workspace's packages do not list and type-check with GOPROXY=off".into(),
                Subject::Workspace,
            ));
        }
        for module in &self.offline.needs_network {
            out.push(offline(
                format!("{module} still needs the network"),
                Subject::Module {
                    module: module.clone(),
                },
            ));
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn report(steps: &[(Step, StepStatus)], offline: OfflineReport) -> PreloadReport {
        PreloadReport {
            workspace: "/ws".into(),
            roots: vec![],
            steps: steps
                .iter()
                .map(|&(step, status)| StepReport {
                    step,
                    status,
                    message: "go mod download failed".into(),
                    duration_ms: 1,
                })
                .collect(),
            modules: ModuleSummary::default(),
            build: None,
            gopls: vec![],
            offline,
            caches: vec![],
            gopls_cache: None,
            private: PrivateSetup::default(),
            duration_ms: 1,
        }
    }

    #[test]
    fn a_warm_offline_ready_workspace_has_no_finding() {
        let ready = OfflineReport {
            ready: true,
            ..OfflineReport::default()
        };
        assert!(report(&[(Step::Download, StepStatus::Done)], ready)
            .findings()
            .is_empty());
    }

    #[test]
    fn a_failed_step_is_an_error_and_each_module_needing_the_network_a_warning() {
        let offline = OfflineReport {
            ready: false,
            needs_network: vec!["example.com/x@v1.0.0".into()],
            errors: vec!["GOPROXY=off".into()],
        };
        let findings = report(&[(Step::Download, StepStatus::Failed)], offline).findings();
        let summary: Vec<(&str, Severity, &str, &Subject)> = findings
            .iter()
            .map(|f| (f.code.as_str(), f.severity, f.message.as_str(), &f.subject))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "GO023",
                    Severity::Error,
                    "Downloading modules: go mod download failed",
                    &Subject::Workspace
                ),
                (
                    "GO021",
                    Severity::Warning,
                    "example.com/x@v1.0.0 still needs the network",
                    &Subject::Module {
                        module: "example.com/x@v1.0.0".into()
                    }
                ),
            ]
        );
        assert_eq!(findings[1].detail.as_deref(), Some("GOPROXY=off"));
    }

    #[test]
    fn a_workspace_not_ready_offline_without_a_named_module_is_one_warning_on_the_workspace() {
        let offline = OfflineReport {
            ready: false,
            ..OfflineReport::default()
        };
        let findings = report(&[], offline).findings();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].subject, Subject::Workspace);
        assert_eq!(findings[0].severity, Severity::Warning);
    }

    #[test]
    fn events_are_tagged_camel_case_json() {
        let event = PreloadEvent::Module {
            done: 2,
            total: 5,
            module: "example.com/x@v1.0.0".into(),
            outcome: ModuleOutcome::Cached,
        };
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            serde_json::json!({"event": "module", "done": 2, "total": 5, "module": "example.com/x@v1.0.0", "outcome": "cached"})
        );
        let finished = PreloadEvent::StepFinished {
            step: Step::Gopls,
            status: StepStatus::Skipped,
            message: "m".into(),
            duration_ms: 3,
        };
        let json = serde_json::to_value(&finished).unwrap();
        assert_eq!(
            (json["event"].as_str(), json["durationMs"].as_u64()),
            (Some("stepFinished"), Some(3))
        );
    }
}
