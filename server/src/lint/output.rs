//! `gord lint` output: its own text layout for people; the JSON envelope
//! and SARIF 2.1.0 through the shared renderers, with this command's facts
//! (the linter, each module's run and the linter's own failures).

use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use super::model::{doc_url, Level, LintFailure, ToolKind};
use super::Linted;
use crate::finding::Finding;
use crate::render::escape::line as esc;
use crate::render::sarif;
use crate::render::style::{self, Paint};

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

    /// Every run's findings, in order.
    pub fn findings(&self) -> Vec<Finding> {
        self.issues().map(|l| l.finding.clone()).collect()
    }
}

fn level(issue: &Linted) -> Level {
    issue.level
}

/// `file:line:col: severity: message (linter)` in compiler style (1-based
/// line, 1-based UTF-16 column, as editors' terminals link them), each fix
/// below its issue, then a count. A message of several lines (gocritic's,
/// a typecheck's list) keeps its first line there and the rest indented
/// below it, so every line that starts with a file name is one issue.
pub fn render_text(report: &Report, colour: bool) -> String {
    let painter = Paint::new(colour);
    let paint = |style, text: &str| painter.paint(style, text);
    let mut out = String::new();
    for issue in report.issues() {
        let word = match level(issue) {
            Level::Error => paint(style::ERROR, "error"),
            Level::Warning => paint(style::WARNING, "warning"),
            Level::Info | Level::Hint => paint(style::INFO, level(issue).word()),
        };
        let mut lines = issue
            .finding
            .message
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.trim().is_empty());
        let _ = writeln!(
            out,
            "{}:{}:{}: {word}: {} ({})",
            esc(&issue.path().display().to_string()),
            issue.range().start.line + 1,
            issue.range().start.character + 1,
            esc(lines.next().unwrap_or_default()),
            esc(&issue.finding.code)
        );
        for line in lines {
            // Its own indentation (tabs, as Go's messages use) as spaces.
            let body = line.trim_start_matches('\t');
            let tabs = line.len() - body.len();
            let _ = writeln!(out, "    {}{}", "    ".repeat(tabs), esc(body));
        }
        for fix in &issue.finding.fixes {
            let _ = writeln!(out, "    {} {}", paint(style::DIM, "fix:"), esc(&fix.title));
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

/// The run in the JSON envelope: its facts (`tool`, `linter`, `issues` as
/// the linter placed them, `runs`) and the findings.
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
    let facts = json!({
        "tool": report.tool,
        "linter": report.linter,
        "issues": issues,
        "runs": runs,
    });
    crate::render::json::render("lint", &facts, &report.findings())
}

/// SARIF 2.1.0: one rule per linter, linking to its documentation; the
/// linter's own failures as notifications.
pub fn render_sarif(report: &Report) -> String {
    let failures: Vec<String> = report.failures().map(|f| f.message.clone()).collect();
    sarif::render(&sarif::Log {
        tool: sarif::Tool {
            name: report.tool.source(),
            version: report.linter.rsplit(' ').next().unwrap_or_default(),
            information_uri: None,
        },
        findings: &report.findings(),
        docs_root: None,
        failures: &failures,
        properties: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Position, Range, Severity, Subject};
    use crate::lint::model::{LinePos, Span};

    fn report(message: &str) -> Report {
        let range = Range::new(Position::new(2, 1), Position::new(2, 4));
        let finding = Finding::new(
            "gocritic".to_string(),
            Severity::Warning,
            message.to_string(),
            Subject::file(PathBuf::from("/m/a.go"), range),
        );
        Report {
            tool: ToolKind::GolangciLint,
            linter: "golangci-lint 2.15.0".into(),
            runs: vec![ModuleRun {
                module_root: PathBuf::from("/m"),
                patterns: vec!["./...".into()],
                issues: vec![Linted {
                    finding,
                    reported: Span::Point {
                        start: LinePos { line: 3, column: 2 },
                    },
                    level: Level::Warning,
                }],
                failures: Vec::new(),
                duration_ms: 1,
            }],
        }
    }

    #[test]
    fn a_message_of_several_lines_is_one_issue_line_and_indented_continuations() {
        let text = render_text(
            &report("first line\r\n/m/b.go:1:1: error: not an issue\n\n\tlast\n"),
            false,
        );
        assert_eq!(
            text,
            "/m/a.go:3:2: warning: first line (gocritic)\n    /m/b.go:1:1: error: not an issue\n        last\n1 issue (0 with a suggested fix) from golangci-lint 2.15.0\n"
        );
    }

    #[test]
    fn a_one_line_message_is_unchanged() {
        assert_eq!(
            render_text(&report("say it once"), false).lines().next(),
            Some("/m/a.go:3:2: warning: say it once (gocritic)")
        );
    }
}
