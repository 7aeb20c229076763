//! One renderer per format, each a pure function of findings
//! ([`crate::finding::Finding`]) and a command's facts: text for a terminal
//! (`text`, coloured through `style`), JSON for scripts (`json`, one
//! envelope), SARIF 2.1.0 for code-scanning tools (`sarif`), Markdown and
//! HTML for people (the report view). `escape` is the one escaper they all
//! use. Each job's result gives its own findings (`HealthReport::findings`,
//! `FleetReport::findings`, `Preflight::shown`, ...).

pub mod escape;
pub(crate) mod fleet;
mod html;
pub mod json;
mod markdown;
pub mod sarif;
pub mod style;
mod text;

pub use html::{render_findings as render_findings_html, render_html, render_report_html};
pub use markdown::{
    render_findings as render_findings_markdown, render_markdown, render_report_markdown,
};
pub(crate) use text::shell_words;
pub use text::{render_findings, render_findings_with_source, render_text, FindingsText};

use crate::check::{Area, CheckResult, HealthReport, Status};
use crate::finding::Severity;
use crate::remote::model::FleetReport;

/// `gord check --format json`: the health report in the JSON envelope.
pub fn render_json(report: &HealthReport) -> String {
    json::render("check", report, &report.findings())
}

/// `gord check --format sarif`: every check's located findings and one
/// result for each check that warns or fails.
pub fn render_sarif(report: &HealthReport, docs_root: Option<&std::path::Path>) -> String {
    let properties = report.properties();
    sarif::render(&sarif::Log {
        tool: sarif::Tool {
            name: "gord",
            version: &report.version,
            information_uri: Some(INFORMATION_URI),
        },
        findings: &report.findings(),
        docs_root,
        failures: &[],
        properties: properties.as_ref(),
    })
}

/// gord's home page, the SARIF driver's `informationUri`.
pub const INFORMATION_URI: &str = "https://github.com/gord-dev/gord";

pub(crate) fn status_icon(status: Status) -> &'static str {
    match status {
        Status::Ok => "✅",
        Status::Warning => "⚠️",
        Status::Error => "❌",
        Status::Skipped => "⏭️",
    }
}

pub(crate) fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    }
}

/// `12 checks: 9 ok, 2 warnings, 0 errors, 1 skipped`
pub(crate) fn summary_line(report: &HealthReport) -> String {
    let s = &report.summary;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}: {} ok, {}, {}, {} skipped",
        plural(report.checks.len(), "check"),
        s.ok,
        plural(s.warning, "warning"),
        plural(s.error, "error"),
        s.skipped
    )
}

/// The report's one-line verdict, by its worst check.
pub(crate) fn verdict(report: &HealthReport) -> &'static str {
    match report.worst() {
        Status::Error => "❌ problems found",
        Status::Warning => "⚠️ warnings",
        _ => "✅ healthy",
    }
}

/// A check's message as the report shows it: `Skipped: ...` when skipped.
pub(crate) fn check_message(check: &CheckResult) -> String {
    if check.status == Status::Skipped {
        format!("Skipped: {}", check.message)
    } else {
        check.message.clone()
    }
}

/// One row of a report's overview: an area of checks, or the remote hosts.
pub(crate) struct OverviewRow {
    /// The checks' area; None for the remote hosts.
    pub area: Option<Area>,
    pub title: &'static str,
    pub worst: Status,
    /// `ok`, or `N to fix`.
    pub verdict: String,
    /// How many checks (or hosts) the row stands for.
    pub count: usize,
}

impl OverviewRow {
    fn new(area: Option<Area>, title: &'static str, statuses: &[Status]) -> OverviewRow {
        let problems = statuses.iter().filter(|s| **s >= Status::Warning).count();
        OverviewRow {
            area,
            title,
            worst: Status::worst_of(statuses.iter().copied()),
            verdict: if problems == 0 {
                "ok".to_string()
            } else {
                format!("{problems} to fix")
            },
            count: statuses.len(),
        }
    }
}

/// The overview of `report`, an area a row in report order, then the remote
/// hosts when there is a fleet.
pub(crate) fn overview(report: &HealthReport, fleet: Option<&FleetReport>) -> Vec<OverviewRow> {
    let mut areas: Vec<Area> = report.checks.iter().map(|c| c.area).collect();
    areas.dedup();
    let mut rows: Vec<OverviewRow> = areas
        .into_iter()
        .map(|area| {
            let statuses: Vec<Status> = report
                .checks
                .iter()
                .filter(|c| c.area == area)
                .map(|c| c.status)
                .collect();
            OverviewRow::new(Some(area), area.title(), &statuses)
        })
        .collect();
    if let Some(fleet) = fleet {
        let statuses: Vec<Status> = fleet.hosts.iter().map(|h| h.status).collect();
        rows.push(OverviewRow::new(None, fleet::TITLE, &statuses));
    }
    rows
}

/// The checks of `area`, problems first, so the eye lands on what needs doing.
pub(crate) fn checks_worst_first(report: &HealthReport, area: Area) -> Vec<&CheckResult> {
    let mut checks: Vec<&CheckResult> = report.checks.iter().filter(|c| c.area == area).collect();
    checks.sort_by_key(|c| std::cmp::Reverse(c.status));
    checks
}

/// A finding's place as `file:line:col` (1-based), relative to the workspace.
pub(crate) fn place(report: &HealthReport, uri: &str, line: u32, character: u32) -> String {
    let path = crate::uri::uri_to_path(uri)
        .map(|p| {
            report
                .workspace
                .as_ref()
                .and_then(|w| p.strip_prefix(w).ok().map(|r| r.display().to_string()))
                .unwrap_or_else(|| p.display().to_string())
        })
        .unwrap_or_else(|| uri.to_string());
    format!("{path}:{}:{}", line + 1, character + 1)
}

#[cfg(test)]
pub(crate) mod fixtures {
    use crate::check::*;
    use crate::finding::{Finding, Fix, Position, Range, Severity, Subject};

    /// A small report with one of everything, for renderer tests.
    pub fn report() -> HealthReport {
        let check = |id: &str, status, message: &str| CheckResult {
            id: id.into(),
            title: format!("{id} title"),
            area: Area::Go,
            status,
            message: message.into(),
            detail: None,
            duration_ms: 3,
            doc: doc_path(id),
            findings: vec![],
            fix: None,
            properties: None,
        };
        let mut warning = check("GO010", Status::Warning, "gopls is not installed");
        warning.fix = Some(Fix::run(
            "Install gopls",
            ["go", "install", "golang.org/x/tools/gopls@v0.23.0"],
        ));
        let mut located = check("GO006", Status::Error, "go.mod requires go >= 1.99");
        located.findings = vec![Finding::new(
            "GO006",
            Severity::Error,
            "go.mod requires go >= 1.99",
            Subject::file(
                "/ws/go.mod",
                Range::new(Position::new(2, 3), Position::new(2, 7)),
            ),
        )
        .with_doc(doc_path("GO006"))];
        let checks = vec![
            check("GO001", Status::Ok, "go1.26.8 at /usr/local/go/bin/go"),
            warning,
            located,
            check("GO013", Status::Skipped, "no working go"),
        ];
        HealthReport {
            version: "0.1.0".into(),
            workspace: Some("/ws".into()),
            duration_ms: 120,
            summary: Summary::of(&checks),
            checks,
        }
    }
}
