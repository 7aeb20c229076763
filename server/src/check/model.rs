//! A check's result and the report that gathers them. Its located problems
//! are [`Finding`]s; its own fix is a [`Fix`]. These are also the wire types
//! of `gord/health` (see docs/protocol.md), hence camelCase; a result's
//! findings and fix keep their wire shape through [`super::wire`].

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Fix, Severity, Subject};

/// How a check came out. Ordered by gravity, so `max` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Skipped,
    Ok,
    Warning,
    Error,
}

impl Status {
    /// The worst of `statuses` (`max`); `Ok` when there are none.
    pub fn worst_of(statuses: impl IntoIterator<Item = Status>) -> Status {
        statuses.into_iter().max().unwrap_or(Status::Ok)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Skipped => "skipped",
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }
}

impl From<Severity> for Status {
    /// A finding's severity as the status the report shows it with (a note
    /// is no problem).
    fn from(severity: Severity) -> Self {
        match severity {
            Severity::Error => Status::Error,
            Severity::Warning => Status::Warning,
            Severity::Info => Status::Ok,
        }
    }
}

/// Which part of the user's setup a check looks at; the report groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Go,
    Ssh,
    Remote,
    Cache,
    Debug,
    Lint,
}

impl Area {
    pub fn title(self) -> &'static str {
        match self {
            Area::Go => "Go toolchain",
            Area::Ssh => "SSH config",
            Area::Remote => "Remote hosts",
            Area::Cache => "Caches",
            Area::Debug => "Debugger",
            Area::Lint => "Lint",
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    into = "super::wire::CheckResultWire",
    from = "super::wire::CheckResultWire"
)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub area: Area,
    pub status: Status,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub duration_ms: u64,
    pub doc: String,
    /// Problems at a place (a file range) the editor shows as diagnostics.
    pub findings: Vec<Finding>,
    pub fix: Option<Fix>,
    /// What the check followed, for machine readers: an object (SSH050's
    /// `ssh`, the ssh Remote-SSH runs), merged into the SARIF run's
    /// properties.
    pub properties: Option<serde_json::Value>,
}

impl CheckResult {
    /// A located finding's message as the report shows it: led by the
    /// finding's rule code when that is not the check's own id
    /// (`SSH001: Unknown keyword` under SSH000).
    pub fn located_message(&self, finding: &Finding) -> String {
        if finding.code == self.id {
            finding.message.clone()
        } else {
            format!("{}: {}", finding.code, finding.message)
        }
    }
}

/// What a check returns; the runner adds id, title, area, doc and timing.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub message: String,
    pub detail: Option<String>,
    pub findings: Vec<Finding>,
    pub fix: Option<Fix>,
    pub properties: Option<serde_json::Value>,
}

impl Outcome {
    fn new(status: Status, message: impl Into<String>) -> Self {
        Outcome {
            status,
            message: message.into(),
            detail: None,
            findings: Vec::new(),
            fix: None,
            properties: None,
        }
    }

    pub fn ok(message: impl Into<String>) -> Self {
        Self::new(Status::Ok, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Status::Warning, message)
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Status::Error, message)
    }

    /// Not run, and why (the reason is mandatory).
    pub fn skipped(reason: impl Into<String>) -> Self {
        Self::new(Status::Skipped, reason)
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        self.detail = (!detail.is_empty()).then_some(detail);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_findings(mut self, findings: Vec<Finding>) -> Self {
        self.findings = findings;
        self
    }

    /// What the check followed, for machine readers (see
    /// [`CheckResult::properties`]).
    pub fn with_properties(mut self, properties: serde_json::Value) -> Self {
        self.properties = Some(properties);
        self
    }

    /// A check's verdict from its findings: the first of the gravest
    /// warnings or errors leads the message (with how many more there are)
    /// and gives its fix. None when there is none (only notes, or nothing).
    pub fn from_findings(findings: &[Finding]) -> Option<Outcome> {
        let problems: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity > Severity::Info)
            .collect();
        let worst = problems.iter().map(|f| f.severity).max()?;
        let first = problems.iter().find(|f| f.severity == worst)?;
        let mut message = format!("{}: {}", first.code, first.message);
        if problems.len() > 1 {
            message.push_str(&format!(" (and {} more)", problems.len() - 1));
        }
        let mut outcome = if worst == Severity::Error {
            Outcome::error(message)
        } else {
            Outcome::warning(message)
        };
        outcome.fix = first.fix().cloned();
        Some(outcome)
    }
}

/// Counts per status and the overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub status: SummaryStatus,
    pub ok: usize,
    pub warning: usize,
    pub error: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SummaryStatus {
    #[default]
    Ok,
    Warning,
    Error,
}

impl Summary {
    pub fn of(checks: &[CheckResult]) -> Self {
        let mut summary = Summary::default();
        for check in checks {
            match check.status {
                Status::Ok => summary.ok += 1,
                Status::Warning => summary.warning += 1,
                Status::Error => summary.error += 1,
                Status::Skipped => summary.skipped += 1,
            }
        }
        summary.status = if summary.error > 0 {
            SummaryStatus::Error
        } else if summary.warning > 0 {
            SummaryStatus::Warning
        } else {
            SummaryStatus::Ok
        };
        summary
    }
}

/// Every check of one run, in catalogue order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<String>,
    pub duration_ms: u64,
    pub summary: Summary,
    pub checks: Vec<CheckResult>,
}

impl HealthReport {
    /// The worst status among the checks (skipped counts as nothing).
    pub fn worst(&self) -> Status {
        Status::worst_of(self.checks.iter().map(|c| c.status))
    }

    /// What the checks followed (their [`CheckResult::properties`] merged,
    /// the first check's value of a key winning); None when none says.
    pub fn properties(&self) -> Option<serde_json::Value> {
        let mut merged = serde_json::Map::new();
        for result in &self.checks {
            if let Some(serde_json::Value::Object(properties)) = &result.properties {
                for (key, value) in properties {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
        (!merged.is_empty()).then_some(serde_json::Value::Object(merged))
    }

    /// The report as findings (`gord check -f json|sarif`): each check's
    /// located findings, then one finding for each check that warns or
    /// fails, about the workspace as a whole.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for result in &self.checks {
            out.extend(result.findings.iter().cloned());
            let severity = match result.status {
                Status::Error => Severity::Error,
                Status::Warning => Severity::Warning,
                Status::Ok | Status::Skipped => continue,
            };
            let mut finding = Finding::new(
                result.id.clone(),
                severity,
                result.message.clone(),
                Subject::Workspace,
            )
            .with_doc(result.doc.clone());
            finding.detail = result.detail.clone();
            finding.fixes.extend(result.fix.clone());
            out.push(finding);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_health_report_gives_its_located_findings_and_one_per_failing_check() {
        use crate::finding::{Position, Range};
        let findings = crate::render::fixtures::report().findings();
        let summary: Vec<(&str, Severity, &Subject)> = findings
            .iter()
            .map(|f| (f.code.as_str(), f.severity, &f.subject))
            .collect();
        assert_eq!(
            summary,
            [
                ("GO010", Severity::Warning, &Subject::Workspace),
                (
                    "GO006",
                    Severity::Error,
                    &Subject::file(
                        "/ws/go.mod",
                        Range::new(Position::new(2, 3), Position::new(2, 7))
                    )
                ),
                ("GO006", Severity::Error, &Subject::Workspace),
            ]
        );
        assert_eq!(findings[0].doc.as_deref(), Some("docs/rules/GO010.md"));
        assert_eq!(
            findings[0].fixes[0].command.as_deref(),
            Some(
                &[
                    "go".to_string(),
                    "install".into(),
                    "golang.org/x/tools/gopls@v0.23.0".into()
                ][..]
            )
        );
    }

    fn result(id: &str, status: Status) -> CheckResult {
        CheckResult {
            id: id.into(),
            title: id.into(),
            area: Area::Go,
            status,
            message: String::new(),
            detail: None,
            duration_ms: 0,
            doc: String::new(),
            findings: vec![],
            fix: None,
            properties: None,
        }
    }

    #[test]
    fn the_report_s_properties_merge_its_checks_the_first_winning() {
        let with = |id: &str, properties: serde_json::Value| CheckResult {
            properties: Some(properties),
            ..result(id, Status::Ok)
        };
        let report = |checks: Vec<CheckResult>| HealthReport {
            version: String::new(),
            workspace: None,
            duration_ms: 0,
            summary: Summary::default(),
            checks,
        };
        assert_eq!(report(vec![result("A", Status::Ok)]).properties(), None);
        let merged = report(vec![
            result("A", Status::Ok),
            with("B", serde_json::json!({ "ssh": { "rules": "9.2p1" } })),
            with("C", serde_json::json!({ "ssh": "later", "go": "1.26" })),
        ])
        .properties();
        assert_eq!(
            merged,
            Some(serde_json::json!({ "ssh": { "rules": "9.2p1" }, "go": "1.26" }))
        );
    }

    #[test]
    fn summary_counts_each_status_and_takes_the_worst() {
        let checks = [
            result("A", Status::Ok),
            result("B", Status::Warning),
            result("C", Status::Skipped),
            result("D", Status::Warning),
        ];
        let summary = Summary::of(&checks);
        assert_eq!(
            summary,
            Summary {
                status: SummaryStatus::Warning,
                ok: 1,
                warning: 2,
                error: 0,
                skipped: 1
            }
        );
        let with_error = [result("A", Status::Ok), result("E", Status::Error)];
        assert_eq!(Summary::of(&with_error).status, SummaryStatus::Error);
        assert_eq!(Summary::of(&[]).status, SummaryStatus::Ok);
    }

    #[test]
    fn status_orders_by_gravity() {
        assert!(Status::Error > Status::Warning);
        assert!(Status::Warning > Status::Ok);
        assert!(Status::Ok > Status::Skipped);
    }

    #[test]
    fn wire_format_is_camel_case_and_omits_empty_optionals() {
        let json = serde_json::to_value(result("GO001", Status::Ok)).unwrap();
        assert_eq!(json["durationMs"], 0);
        assert_eq!(json["status"], "ok");
        assert_eq!(json["area"], "go");
        assert!(json.get("detail").is_none());
        assert!(json.get("findings").is_none());
        assert!(json.get("fix").is_none());
    }
}
