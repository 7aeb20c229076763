//! The one converter from [`Finding`]s to LSP diagnostics. Every job's
//! findings (the health checks, the SSH rules, the remote doctor, lint)
//! become diagnostics here, each carrying its fixes in `data` together with
//! a guard (the document version or text hash the fixes were computed on),
//! so a quick fix is built from the diagnostic alone and refused once the
//! text has moved on ([`super::code_action`]).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    NumberOrString, Uri,
};

use crate::check::HealthReport;
use crate::finding::{self, Finding, Fix, Severity};

/// The `source` of gord's own diagnostics (lint's name their tool).
pub const SOURCE: &str = "gord";

pub fn position(p: finding::Position) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

pub fn range(r: finding::Range) -> lsp::Range {
    lsp::Range::new(position(r.start), position(r.end))
}

pub fn from_position(p: lsp::Position) -> finding::Position {
    finding::Position::new(p.line, p.character)
}

pub fn from_range(r: lsp::Range) -> finding::Range {
    finding::Range::new(from_position(r.start), from_position(r.end))
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// Which text a finding's edits were computed on. A quick fix is offered
/// only while the file still has that text: the open document at `version`,
/// or (for a file read from disk, or a tool that read the file itself) the
/// text whose [`crate::lint::text_hash`] is `hash`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl Guard {
    /// Whether a text at `version` (None: not open) with hash `hash` is the
    /// text the fixes were computed on. A guard that names nothing holds for
    /// no text: edits without a guard are never applied.
    pub fn holds(&self, version: Option<i32>, hash: &str) -> bool {
        match (&self.version, &self.hash) {
            (_, Some(expected)) => expected == hash,
            (Some(expected), None) => version == Some(*expected),
            (None, None) => false,
        }
    }
}

/// A diagnostic's `data`: the finding's fixes and their guard.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixData {
    pub fixes: Vec<Fix>,
    #[serde(flatten)]
    pub guard: Guard,
}

/// The fixes a diagnostic carries, if it is one of this converter's.
pub fn fix_data(d: &Diagnostic) -> Option<FixData> {
    serde_json::from_value(d.data.clone()?).ok()
}

/// The link for a finding's `doc`: an absolute URL as is, a rule page of
/// gord's through `doc_uri` (None when the page is not on disk).
fn link(doc: &str, doc_uri: &dyn Fn(&str) -> Option<Uri>) -> Option<Uri> {
    if doc.starts_with("https://") || doc.starts_with("http://") {
        Uri::from_str(doc).ok()
    } else {
        doc_uri(doc)
    }
}

/// One finding as a diagnostic from `source`. A finding about no file (a
/// host, a process, the workspace) sits at the start of whatever document
/// the caller publishes it on.
pub fn to_diagnostic(
    finding: &Finding,
    source: &str,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
    guard: Guard,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: Uri::from_str(&crate::uri::file_uri(&r.path)).ok()?,
                    range: range(r.range),
                },
                message: crate::render::escape::text(&r.message).into_owned(),
            })
        })
        .collect();
    // A guard alone still travels: it says whether the text is the one the
    // finding was made on (lint's //nolint is offered only then).
    let data = (!finding.fixes.is_empty() || guard != Guard::default()).then(|| FixData {
        fixes: finding.fixes.clone(),
        guard,
    });
    Diagnostic {
        range: finding.range().map(range).unwrap_or_default(),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(
            crate::render::escape::line(&finding.code).into_owned(),
        )),
        code_description: finding
            .doc
            .as_deref()
            .and_then(|doc| link(doc, doc_uri))
            .map(|href| CodeDescription { href }),
        source: Some(source.to_string()),
        message: crate::render::escape::text(&finding.message).into_owned(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: data.and_then(|d| serde_json::to_value(d).ok()),
    }
}

/// Diagnostics per file URI for every finding about a file among
/// `findings`; `guard` says which text each file's fixes were computed on.
pub fn by_file<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    source: &str,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
    guard: &dyn Fn(&Path) -> Guard,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for finding in findings {
        let Some(path) = finding.path() else {
            continue;
        };
        out.entry(crate::uri::file_uri(path))
            .or_default()
            .push(to_diagnostic(finding, source, doc_uri, guard(path)));
    }
    out
}

/// Diagnostics per file URI for every located finding of the report. The
/// health run reads files from disk: their edits carry no guard and are
/// never taken from the diagnostic (SSH edits are recomputed from the
/// current text, [`super::ssh::quick_fixes`]).
pub fn diagnostics_by_file(
    report: &HealthReport,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    by_file(
        report.checks.iter().flat_map(|c| &c.findings),
        SOURCE,
        doc_uri,
        &|_| Guard::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Position as P, Range as R, Related, Subject};
    use crate::render::fixtures::report;
    use std::path::PathBuf;

    #[test]
    fn each_located_finding_is_a_diagnostic_on_its_file() {
        let by_file = diagnostics_by_file(&report(), &|_| None);
        assert_eq!(by_file.len(), 1);
        let diagnostics = &by_file["file:///ws/go.mod"];
        assert_eq!(diagnostics.len(), 1);
        let d = &diagnostics[0];
        assert_eq!(d.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(d.code, Some(NumberOrString::String("GO006".into())));
        assert_eq!(d.source.as_deref(), Some("gord"));
        assert_eq!(d.range.start.line, 2);
    }

    fn typo() -> Finding {
        let path = PathBuf::from("/home/u/.ssh/config");
        let at = R::new(P::new(3, 2), P::new(3, 9));
        Finding::new(
            "SSH001",
            Severity::Warning,
            "Unknown keyword \"Hostnme\"",
            Subject::file(&path, at),
        )
        .with_rule_page()
        .with_related(Related {
            path: path.clone(),
            range: R::line(1, 6),
            message: "in this Host block".into(),
        })
        .with_fix(
            Fix::edits(
                "Change to HostName",
                vec![Edit {
                    path,
                    range: at,
                    new_text: "HostName".into(),
                }],
            )
            .safe(),
        )
    }

    #[test]
    fn a_diagnostic_has_the_findings_range_severity_code_link_and_related_places() {
        let page = Uri::from_str("file:///docs/rules/SSH001.md").unwrap();
        let d = to_diagnostic(
            &typo(),
            SOURCE,
            &|doc| (doc == "docs/rules/SSH001.md").then(|| page.clone()),
            Guard::default(),
        );
        assert_eq!(
            d.range,
            lsp::Range::new(lsp::Position::new(3, 2), lsp::Position::new(3, 9))
        );
        assert_eq!(d.severity, Some(DiagnosticSeverity::WARNING));
        assert_eq!(d.code, Some(NumberOrString::String("SSH001".into())));
        assert_eq!(d.code_description.map(|c| c.href), Some(page));
        assert_eq!(d.source.as_deref(), Some("gord"));
        assert_eq!(d.message, "Unknown keyword \"Hostnme\"");
        let related = d.related_information.unwrap();
        assert_eq!(
            related[0].location.uri.as_str(),
            "file:///home/u/.ssh/config"
        );
        assert_eq!(related[0].location.range.start.line, 1);
    }

    #[test]
    fn the_fixes_and_their_guard_travel_in_data_and_come_back_unchanged() {
        let guard = Guard {
            version: Some(7),
            hash: None,
        };
        let d = to_diagnostic(&typo(), SOURCE, &|_| None, guard.clone());
        // What the client sends back is the JSON it was given.
        let echoed: Diagnostic = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        let data = fix_data(&echoed).unwrap();
        assert_eq!(data.fixes, typo().fixes);
        assert_eq!(data.guard, guard);
        assert_eq!(echoed.data.unwrap()["version"], 7);
    }

    #[test]
    fn an_absolute_doc_url_is_linked_as_is_and_a_finding_without_fixes_has_no_data() {
        let finding = Finding::new(
            "errcheck",
            Severity::Error,
            "Error return value is not checked",
            Subject::file("/ws/main.go", R::line(4, 10)),
        )
        .with_doc("https://golangci-lint.run/usage/linters/#errcheck");
        let d = to_diagnostic(&finding, "golangci-lint", &|_| None, Guard::default());
        assert_eq!(
            d.code_description.unwrap().href.as_str(),
            "https://golangci-lint.run/usage/linters/#errcheck"
        );
        assert_eq!(d.source.as_deref(), Some("golangci-lint"));
        assert!(d.data.is_none());
    }

    #[test]
    fn a_guard_holds_only_for_the_text_it_names() {
        let by_hash = Guard {
            version: None,
            hash: Some("abc".into()),
        };
        assert!(by_hash.holds(Some(3), "abc"));
        assert!(!by_hash.holds(None, "abd"), "the file changed");
        let by_version = Guard {
            version: Some(3),
            hash: None,
        };
        assert!(by_version.holds(Some(3), "x"));
        assert!(!by_version.holds(Some(4), "x"), "the document moved on");
        assert!(!by_version.holds(None, "x"), "the document was closed");
        assert!(!Guard::default().holds(None, "x"), "no guard, no edit");
    }

    #[test]
    fn findings_about_no_file_are_left_to_the_caller() {
        let findings = [
            typo(),
            Finding::new(
                "RMT001",
                Severity::Error,
                "down",
                Subject::Host { host: "h".into() },
            ),
        ];
        let by_file = by_file(&findings, SOURCE, &|_| None, &|_| Guard::default());
        assert_eq!(by_file.len(), 1);
        assert_eq!(by_file["file:///home/u/.ssh/config"].len(), 1);
    }
}
