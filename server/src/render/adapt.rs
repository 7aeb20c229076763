//! Temporary: the jobs' own finding types turned into [`crate::finding::Finding`]
//! so every format has one renderer. When each job returns `Finding`s itself,
//! this file is deleted whole (its callers then pass the job's findings
//! straight to the renderers).

use std::path::{Path, PathBuf};

use serde::Serialize;
use tower_lsp_server::ls_types;

use crate::check::{self, HealthReport, Status};
use crate::debug::preflight::{Preflight, Severity as DebugSeverity};
use crate::finding::{Edit, Finding, Fix, Position, Range, Severity, Subject};
use crate::lint::model::{doc_url, Level};
use crate::lint::output::Report as LintReport;
use crate::remote::model::{FleetReport, HostReport};
use crate::ssh::lint::{self as ssh_lint, LintFinding};

fn range(r: ls_types::Range) -> Range {
    Range::new(
        Position::new(r.start.line, r.start.character),
        Position::new(r.end.line, r.end.character),
    )
}

/// A check's status as a finding's severity; only warnings and errors
/// become findings, so `Ok`/`Skipped` (never asked for) read as info.
fn severity_of_status(status: Status) -> Severity {
    match status {
        Status::Error => Severity::Error,
        Status::Warning => Severity::Warning,
        Status::Ok | Status::Skipped => Severity::Info,
    }
}

fn ssh_severity(severity: ssh_lint::Severity) -> Severity {
    match severity {
        ssh_lint::Severity::Error => Severity::Error,
        ssh_lint::Severity::Warning => Severity::Warning,
        ssh_lint::Severity::Info => Severity::Info,
    }
}

/// `gord ssh lint`'s findings.
pub fn ssh(findings: &[LintFinding]) -> Vec<Finding> {
    findings
        .iter()
        .map(|f| {
            let mut finding = Finding::new(
                f.code,
                ssh_severity(f.severity),
                f.message.clone(),
                Subject::File {
                    path: f.file.clone(),
                    range: range(f.range),
                },
            )
            .with_rule_page();
            if let Some(fix) = &f.fix {
                finding = finding.with_fix(Fix {
                    title: fix.title.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| Edit {
                            path: e.file.clone(),
                            range: range(e.range),
                            new_text: e.new_text.clone(),
                        })
                        .collect(),
                    command: fix.command.clone(),
                    safe: fix.safe,
                });
            }
            finding
        })
        .collect()
}

/// An ssh lint finding in `gord ssh lint --format json`: the model's fields
/// and, so existing readers keep working, the old `file`, `range` and `fix`.
#[derive(Serialize)]
pub struct SshJsonFinding<'a> {
    #[serde(flatten)]
    pub finding: Finding,
    pub file: &'a Path,
    pub range: &'a ls_types::Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<&'a ssh_lint::SshFix>,
}

/// [`ssh`], each finding with its old fields beside it.
pub fn ssh_json(findings: &[LintFinding]) -> Vec<SshJsonFinding<'_>> {
    ssh(findings)
        .into_iter()
        .zip(findings)
        .map(|(finding, old)| SshJsonFinding {
            finding,
            file: &old.file,
            range: &old.range,
            fix: old.fix.as_ref(),
        })
        .collect()
}

/// `gord lint`'s issues: the linter's name is the code, its page the doc.
pub fn lint(report: &LintReport) -> Vec<Finding> {
    report
        .issues()
        .map(|placed| {
            let issue = &placed.issue;
            let severity = match Level::of(issue.severity.as_deref()) {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info | Level::Hint => Severity::Info,
            };
            let mut finding = Finding::new(
                issue.linter.clone(),
                severity,
                issue.message.clone(),
                Subject::File {
                    path: issue.file.clone(),
                    range: range(placed.range),
                },
            )
            .with_doc(doc_url(report.tool, &issue.linter));
            for fix in &placed.fixes {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| Edit {
                        path: issue.file.clone(),
                        range: range(e.range),
                        new_text: e.new_text.clone(),
                    })
                    .collect();
                finding = finding.with_fix(Fix::edits(fix.title.clone(), edits));
            }
            finding
        })
        .collect()
}

/// `gord remote check`'s findings, each on its host.
pub fn remote(fleet: &FleetReport) -> Vec<Finding> {
    fleet.hosts.iter().flat_map(remote_host).collect()
}

/// One host's findings.
pub fn remote_host(host: &HostReport) -> Vec<Finding> {
    host.findings
        .iter()
        .map(|f| {
            let mut finding = Finding::new(
                f.code.clone(),
                severity_of_status(f.status),
                f.message.clone(),
                Subject::Host {
                    host: host.host.clone(),
                },
            )
            .with_rule_page();
            finding.detail = f.detail.clone();
            finding.fixes.extend(f.fix.as_ref().map(check_fix));
            finding
        })
        .collect()
}

/// The debugger preflight's findings for one process (`gord attach
/// --dry-run`): the title leads the message, Delve's own words are the detail.
pub fn debug(preflight: &Preflight, name: Option<&str>) -> Vec<Finding> {
    preflight
        .findings
        .iter()
        .map(|f| {
            let severity = match f.severity {
                DebugSeverity::Error => Severity::Error,
                DebugSeverity::Warning => Severity::Warning,
                DebugSeverity::Info => Severity::Info,
            };
            let mut finding = Finding::new(
                f.code,
                severity,
                format!("{}: {}", f.title, f.message),
                Subject::Process {
                    pid: preflight.pid,
                    name: name.map(String::from),
                },
            )
            .with_doc(f.doc.clone());
            finding.detail = f
                .delve_error
                .as_ref()
                .map(|e| format!("Delve would say: {e}"));
            finding.fixes.extend(f.fix.as_ref().map(check_fix));
            finding
        })
        .collect()
}

/// `gord check`'s findings: each check's located findings, then one finding
/// for each check that warns or fails (on the workspace as a whole).
pub fn check(report: &HealthReport) -> Vec<Finding> {
    let mut out = Vec::new();
    for result in &report.checks {
        for located in &result.findings {
            let Some(path) = crate::uri::uri_to_path(&located.location.uri) else {
                continue;
            };
            let mut finding = Finding::new(
                result.id.clone(),
                severity_of_status(located.status),
                located.message.clone(),
                Subject::File {
                    path,
                    range: range(located.location.range),
                },
            )
            .with_doc(result.doc.clone());
            finding.fixes.extend(located.fix.as_ref().map(check_fix));
            out.push(finding);
        }
        if result.status >= Status::Warning {
            let mut finding = Finding::new(
                result.id.clone(),
                severity_of_status(result.status),
                result.message.clone(),
                Subject::Workspace,
            )
            .with_doc(result.doc.clone());
            finding.detail = result.detail.clone();
            finding.fixes.extend(result.fix.as_ref().map(check_fix));
            out.push(finding);
        }
    }
    out
}

/// A check's fix: its argv as is, its LSP workspace edit as file edits.
fn check_fix(fix: &check::Fix) -> Fix {
    let mut edits = Vec::new();
    if let Some(edit) = &fix.edit {
        for (uri, text_edits) in edit.changes.iter().flatten() {
            push_edits(&mut edits, uri.as_str(), text_edits.iter());
        }
        match &edit.document_changes {
            Some(ls_types::DocumentChanges::Edits(docs)) => {
                for doc in docs {
                    push_edits(&mut edits, doc.text_document.uri.as_str(), text_edits(doc));
                }
            }
            Some(ls_types::DocumentChanges::Operations(ops)) => {
                for op in ops {
                    if let ls_types::DocumentChangeOperation::Edit(doc) = op {
                        push_edits(&mut edits, doc.text_document.uri.as_str(), text_edits(doc));
                    }
                }
            }
            None => {}
        }
    }
    Fix {
        title: fix.title.clone(),
        edits,
        command: fix.command.clone(),
        safe: false,
    }
}

fn text_edits(doc: &ls_types::TextDocumentEdit) -> impl Iterator<Item = &ls_types::TextEdit> {
    doc.edits.iter().map(|e| match e {
        ls_types::OneOf::Left(edit) => edit,
        ls_types::OneOf::Right(annotated) => &annotated.text_edit,
    })
}

fn push_edits<'a>(
    out: &mut Vec<Edit>,
    uri: &str,
    edits: impl Iterator<Item = &'a ls_types::TextEdit>,
) {
    let Some(path) = crate::uri::uri_to_path(uri) else {
        return;
    };
    out.extend(edits.map(|e| Edit {
        path: PathBuf::from(&path),
        range: range(e.range),
        new_text: e.new_text.clone(),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::report;

    #[test]
    fn a_health_report_gives_its_located_findings_and_one_per_failing_check() {
        let findings = check(&report());
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
                    &Subject::File {
                        path: PathBuf::from("/ws/go.mod"),
                        range: Range::new(Position::new(2, 3), Position::new(2, 7)),
                    }
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

    #[test]
    fn a_check_fix_that_edits_becomes_file_edits() {
        use std::collections::HashMap;
        let uri: ls_types::Uri = "file:///ws/go.mod".parse().unwrap();
        let fix = check::Fix {
            title: "Use go 1.26".into(),
            command: None,
            edit: Some(ls_types::WorkspaceEdit {
                changes: Some(HashMap::from([(
                    uri,
                    vec![ls_types::TextEdit {
                        range: ls_types::Range::new(
                            ls_types::Position::new(2, 3),
                            ls_types::Position::new(2, 7),
                        ),
                        new_text: "1.26".into(),
                    }],
                )])),
                document_changes: None,
                change_annotations: None,
            }),
        };
        assert_eq!(
            check_fix(&fix).edits,
            [Edit {
                path: PathBuf::from("/ws/go.mod"),
                range: Range::new(Position::new(2, 3), Position::new(2, 7)),
                new_text: "1.26".into(),
            }]
        );
    }

    #[test]
    fn preflight_findings_sit_on_their_process() {
        use crate::debug::preflight::DebugFinding;
        let preflight = Preflight {
            pid: 4242,
            blocked: true,
            findings: vec![DebugFinding {
                code: "DBG006",
                severity: DebugSeverity::Error,
                title: "no DWARF debug info",
                message: "the binary was built with -ldflags=-w".into(),
                delve_error: Some("could not attach".into()),
                fix: None,
                doc: "docs/rules/DBG006.md".into(),
            }],
        };
        let findings = debug(&preflight, Some("server"));
        assert_eq!(
            findings[0].subject,
            Subject::Process {
                pid: 4242,
                name: Some("server".into())
            }
        );
        assert_eq!(
            findings[0].message,
            "no DWARF debug info: the binary was built with -ldflags=-w"
        );
        assert_eq!(
            findings[0].detail.as_deref(),
            Some("Delve would say: could not attach")
        );
        assert_eq!(findings[0].severity, Severity::Error);
    }

    #[test]
    fn remote_findings_sit_on_their_host_with_their_command_fix() {
        let findings = remote(&crate::render::fleet::tests::fleet());
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].subject,
            Subject::Host {
                host: "db<1>".into()
            }
        );
        assert_eq!(findings[0].doc.as_deref(), Some("docs/rules/RMT009.md"));
        assert_eq!(
            findings[0].fixes[0].title,
            "Load it into your ssh-agent once"
        );
    }
}
