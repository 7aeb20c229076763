//! The one converter from [`Finding`]s to LSP diagnostics. Every job's
//! findings (the health checks, the SSH rules, the remote doctor, lint)
//! become diagnostics here, each carrying its fixes in `data` together with
//! a guard (the hash of the text the fixes were computed on),
//! so a quick fix is built from the diagnostic alone and refused once the
//! text has moved on ([`super::code_action`]).

use std::collections::BTreeMap;

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

/// Which text a finding's edits were computed on: a hash of it (a lint's
/// [`crate::lint::text_hash`] of the file; for SSH, of the whole include
/// set). A quick fix is offered only while the text still hashes the same;
/// the edit the user applies is versioned on top, so the editor refuses it
/// once the document moves on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guard {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

impl Guard {
    /// The guard of a finding computed on the text that hashes to `basis`.
    pub fn of(basis: Option<u64>) -> Guard {
        Guard {
            // A string: a JSON number this large loses digits in JavaScript.
            hash: basis.map(|b| format!("{b:016x}")),
        }
    }

    /// Whether a text with hash `hash` is the text the fixes were computed
    /// on. A guard that names nothing holds for no text: edits without a
    /// guard are never applied.
    pub fn holds(&self, hash: u64) -> bool {
        *self == Guard::of(Some(hash))
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
/// the caller publishes it on. The fixes travel in `data` with the guard of
/// the finding's [`Finding::basis`].
pub fn to_diagnostic(
    finding: &Finding,
    source: &str,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
) -> Diagnostic {
    let guard = Guard::of(finding.basis);
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

/// Diagnostics per file URI for every finding about a file among `findings`.
pub fn by_file<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    source: &str,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut out: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for finding in findings {
        let Some(path) = finding.path() else {
            continue;
        };
        out.entry(crate::uri::file_uri(path))
            .or_default()
            .push(to_diagnostic(finding, source, doc_uri));
    }
    out
}

/// Diagnostics per file URI for every located finding of the report (the
/// SSH findings with the basis of the include set the check read).
pub fn diagnostics_by_file(
    report: &HealthReport,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    by_file(
        report.checks.iter().flat_map(|c| &c.findings),
        SOURCE,
        doc_uri,
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
        let d = to_diagnostic(&typo(), SOURCE, &|doc| {
            (doc == "docs/rules/SSH001.md").then(|| page.clone())
        });
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
        let finding = Finding {
            basis: Some(0xff),
            ..typo()
        };
        let d = to_diagnostic(&finding, SOURCE, &|_| None);
        // What the client sends back is the JSON it was given.
        let echoed: Diagnostic = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
        let data = fix_data(&echoed).unwrap();
        assert_eq!(data.fixes, typo().fixes);
        assert_eq!(data.guard, Guard::of(Some(0xff)));
        assert_eq!(echoed.data.unwrap()["hash"], "00000000000000ff");
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
        let d = to_diagnostic(&finding, "golangci-lint", &|_| None);
        assert_eq!(
            d.code_description.unwrap().href.as_str(),
            "https://golangci-lint.run/usage/linters/#errcheck"
        );
        assert_eq!(d.source.as_deref(), Some("golangci-lint"));
        assert!(d.data.is_none());
    }

    #[test]
    fn a_guard_holds_only_for_the_text_it_names() {
        let guard = Guard::of(Some(0xabc));
        assert!(guard.holds(0xabc));
        assert!(!guard.holds(0xabd), "the file changed");
        assert!(!Guard::default().holds(0xabc), "no guard, no edit");
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
        let by_file = by_file(&findings, SOURCE, &|_| None);
        assert_eq!(by_file.len(), 1);
        assert_eq!(by_file["file:///home/u/.ssh/config"].len(), 1);
    }
}
