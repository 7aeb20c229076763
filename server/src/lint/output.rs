//! `gord lint` output: text for people, JSON for scripts, SARIF 2.1.0 for
//! code-scanning tools. Pure functions of a finished run.

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use super::model::{doc_url, Level, LintFailure, ToolKind};
use super::Linted;
use crate::render::escape::line as esc;

/// One finished `gord lint`: who ran, on what, what came out.
#[derive(Debug, Clone)]
pub struct Report {
    pub tool: ToolKind,
    /// `golangci-lint 2.15.0`, `go vet`.
    pub linter: String,
    pub runs: Vec<ModuleRun>,
}

#[derive(Debug, Clone)]
pub struct ModuleRun {
    pub module_root: PathBuf,
    pub patterns: Vec<String>,
    pub issues: Vec<Linted>,
    pub failures: Vec<LintFailure>,
    pub duration_ms: u64,
}

impl Report {
    pub fn issues(&self) -> impl Iterator<Item = &Linted> {
        self.runs.iter().flat_map(|r| r.issues.iter())
    }

    pub fn failures(&self) -> impl Iterator<Item = &LintFailure> {
        self.runs.iter().flat_map(|r| r.failures.iter())
    }
}

fn level(issue: &Linted) -> Level {
    issue.level
}

/// `file:line:col: severity: message (linter)` in compiler style (1-based
/// line, 1-based UTF-16 column, as editors' terminals link them), each fix
/// below its issue, then a count.
pub fn render_text(report: &Report, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for issue in report.issues() {
        let word = match level(issue) {
            Level::Error => paint("\x1b[31m", "error"),
            Level::Warning => paint("\x1b[33m", "warning"),
            Level::Info | Level::Hint => paint("\x1b[36m", level(issue).word()),
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {word}: {} ({})",
            esc(&issue.path().display().to_string()),
            issue.range().start.line + 1,
            issue.range().start.character + 1,
            esc(&issue.finding.message),
            esc(&issue.finding.code)
        );
        for fix in &issue.finding.fixes {
            let _ = writeln!(out, "    {} {}", paint("\x1b[2m", "fix:"), esc(&fix.title));
        }
    }
    let count = report.issues().count();
    let fixable = report
        .issues()
        .filter(|i| !i.finding.fixes.is_empty())
        .count();
    let _ = writeln!(
        out,
        "{count} issue{} ({fixable} with a suggested fix) from {}",
        if count == 1 { "" } else { "s" },
        esc(&report.linter)
    );
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonIssue<'a> {
    file: &'a std::path::Path,
    linter: &'a str,
    message: &'a str,
    severity: &'static str,
    /// 0-based line, UTF-16 columns (LSP).
    range: crate::finding::Range,
    /// As the tool reported it: 1-based line and byte column.
    reported: &'a super::model::Span,
    doc_url: String,
    fixes: Vec<JsonFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFix<'a> {
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

/// An edit of the issue's own file, as LSP writes one.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEdit<'a> {
    range: crate::finding::Range,
    new_text: &'a str,
}

/// The run as one JSON document.
pub fn render_json(report: &Report) -> String {
    let issues: Vec<JsonIssue<'_>> = report
        .issues()
        .map(|i| JsonIssue {
            file: i.path(),
            linter: &i.finding.code,
            message: &i.finding.message,
            severity: level(i).word(),
            range: i.range(),
            reported: &i.reported,
            doc_url: doc_url(report.tool, &i.finding.code),
            fixes: i
                .finding
                .fixes
                .iter()
                .map(|f| JsonFix {
                    title: &f.title,
                    edits: f
                        .edits
                        .iter()
                        .map(|e| JsonEdit {
                            range: e.range,
                            new_text: &e.new_text,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let runs: Vec<_> = report
        .runs
        .iter()
        .map(|r| {
            json!({
                "moduleRoot": r.module_root,
                "patterns": r.patterns,
                "durationMs": r.duration_ms,
                "failures": r.failures,
            })
        })
        .collect();
    let doc = json!({
        "tool": report.tool,
        "linter": report.linter,
        "issues": issues,
        "runs": runs,
    });
    crate::render::escape::json(&serde_json::to_string_pretty(&doc).unwrap_or_default())
        .into_owned()
}

/// SARIF 2.1.0: one rule per linter, linking to its documentation.
pub fn render_sarif(report: &Report) -> String {
    let mut linters: Vec<&str> = report.issues().map(|i| i.finding.code.as_str()).collect();
    linters.sort_unstable();
    linters.dedup();
    let rules: Vec<_> = linters
        .iter()
        .map(|l| json!({ "id": esc(l), "name": esc(l), "helpUri": esc(&doc_url(report.tool, l)) }))
        .collect();
    let results: Vec<_> = report
        .issues()
        .map(|i| {
            json!({
                "ruleId": esc(&i.finding.code),
                "level": match level(i) { Level::Error => "error", Level::Warning => "warning", Level::Info | Level::Hint => "note" },
                "message": { "text": esc(&i.finding.message) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": crate::uri::file_uri(i.path()) },
                        "region": {
                            "startLine": i.range().start.line + 1,
                            "startColumn": i.range().start.character + 1,
                            "endLine": i.range().end.line + 1,
                            "endColumn": i.range().end.character + 1,
                        }
                    }
                }],
            })
        })
        .collect();
    let notifications: Vec<_> = report
        .failures()
        .map(|f| json!({ "level": "error", "message": { "text": esc(&f.message) } }))
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": report.tool.source(),
                "semanticVersion": report.linter.rsplit(' ').next().unwrap_or_default(),
                "rules": rules,
            } },
            "invocations": [{
                "executionSuccessful": report.failures().next().is_none(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    crate::render::escape::json(&serde_json::to_string_pretty(&sarif).unwrap_or_default())
        .into_owned()
}
