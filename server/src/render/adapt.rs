//! What is left between the jobs' results and the renderers now that every
//! job returns [`crate::finding::Finding`]s: gathering a result's findings
//! (a health report's located findings plus one per failing check, a fleet's
//! hosts), the preflight's findings as the CLI shows them, and the old
//! fields `gord ssh lint --format json` keeps beside each finding.

use std::path::Path;

use serde::Serialize;

use crate::check::{HealthReport, Status};
use crate::debug::preflight::{title, Preflight};
use crate::finding::{Finding, Fix, Range, Severity, Subject};
use crate::lint::output::Report as LintReport;
use crate::remote::model::{FleetReport, HostReport};

/// A check's status as a finding's severity; only warnings and errors
/// become findings, so `Ok`/`Skipped` (never asked for) read as info.
fn severity_of_status(status: Status) -> Severity {
    match status {
        Status::Error => Severity::Error,
        Status::Warning => Severity::Warning,
        Status::Ok | Status::Skipped => Severity::Info,
    }
}

/// An ssh lint finding in `gord ssh lint --format json`: the model's fields
/// and, so existing readers keep working, the old `file`, `range` and `fix`
/// (whose edits name their `file` and have a `new_text`).
#[derive(Serialize)]
pub struct SshJsonFinding<'a> {
    #[serde(flatten)]
    pub finding: &'a Finding,
    pub file: &'a Path,
    pub range: Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<OldSshFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OldSshFix<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    edits: Vec<OldSshEdit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<&'a [String]>,
    safe: bool,
}

#[derive(Serialize)]
pub struct OldSshEdit<'a> {
    file: &'a Path,
    range: Range,
    new_text: &'a str,
}

fn old_ssh_fix(fix: &Fix) -> OldSshFix<'_> {
    OldSshFix {
        title: &fix.title,
        edits: fix
            .edits
            .iter()
            .map(|e| OldSshEdit {
                file: &e.path,
                range: e.range,
                new_text: &e.new_text,
            })
            .collect(),
        command: fix.command.as_deref(),
        safe: fix.safe,
    }
}

/// The ssh findings, each with its old fields beside it.
pub fn ssh_json(findings: &[Finding]) -> Vec<SshJsonFinding<'_>> {
    findings
        .iter()
        .map(|finding| SshJsonFinding {
            finding,
            file: finding.path().unwrap_or(Path::new("")),
            range: finding.range().unwrap_or_default(),
            fix: finding.fix().map(old_ssh_fix),
        })
        .collect()
}

/// `gord lint`'s findings.
pub fn lint(report: &LintReport) -> Vec<Finding> {
    report.issues().map(|l| l.finding.clone()).collect()
}

/// `gord remote check`'s findings, each on its host.
pub fn remote(fleet: &FleetReport) -> Vec<Finding> {
    fleet.hosts.iter().flat_map(remote_host).collect()
}

/// One host's findings, on the host the report names.
pub fn remote_host(host: &HostReport) -> Vec<Finding> {
    host.findings
        .iter()
        .map(|f| Finding {
            subject: Subject::Host {
                host: host.host.clone(),
            },
            ..f.clone()
        })
        .collect()
}

/// The debugger preflight's findings for one process (`gord attach
/// --dry-run`): the title leads the message, Delve's own words are the detail.
pub fn debug(preflight: &Preflight, name: Option<&str>) -> Vec<Finding> {
    preflight
        .findings
        .iter()
        .map(|f| Finding {
            message: format!("{}: {}", title(&f.code), f.message),
            subject: Subject::Process {
                pid: preflight.pid,
                name: name.map(String::from),
            },
            detail: f.detail.as_ref().map(|e| format!("Delve would say: {e}")),
            ..f.clone()
        })
        .collect()
}

/// `gord check`'s findings: each check's located findings, then one finding
/// for each check that warns or fails (on the workspace as a whole).
pub fn check(report: &HealthReport) -> Vec<Finding> {
    let mut out = Vec::new();
    for result in &report.checks {
        out.extend(result.findings.iter().cloned());
        if result.status >= Status::Warning {
            let mut finding = Finding::new(
                result.id.clone(),
                severity_of_status(result.status),
                result.message.clone(),
                Subject::Workspace,
            )
            .with_doc(result.doc.clone());
            finding.detail = result.detail.clone();
            finding.fixes.extend(result.fix.clone());
            out.push(finding);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;
    use crate::render::fixtures::report;
    use std::path::PathBuf;

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
    fn preflight_findings_sit_on_their_process() {
        let preflight = Preflight {
            pid: 4242,
            blocked: true,
            findings: vec![Finding::new(
                "DBG006",
                Severity::Error,
                "the binary was built with -ldflags=-w",
                Subject::Workspace,
            )
            .with_detail("could not attach")
            .with_doc("docs/rules/DBG006.md")],
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

    #[test]
    fn the_ssh_json_keeps_the_old_file_range_and_fix_beside_the_model() {
        let findings = crate::ssh::lint::tests::lint_text("Host a\n  Hostnme x\n");
        let json = serde_json::to_value(ssh_json(&findings)).unwrap();
        let typo = json
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "SSH001")
            .unwrap();
        assert_eq!(typo["file"], "/home/me/.ssh/config");
        assert_eq!(typo["range"]["start"]["line"], 1);
        assert_eq!(typo["fix"]["edits"][0]["new_text"], "HostName");
        assert_eq!(typo["fix"]["safe"], true);
        assert_eq!(typo["subject"]["kind"], "file");
    }
}
