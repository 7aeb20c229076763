//! Located findings become LSP diagnostics, one list per file.

use std::collections::BTreeMap;

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Uri,
};

use crate::check::{HealthReport, Status};

/// Diagnostics per file URI for every located finding of the report.
/// `doc_uri` turns a check's rule page into a link, when there is one.
pub fn diagnostics_by_file(
    report: &HealthReport,
    doc_uri: &dyn Fn(&str) -> Option<Uri>,
) -> BTreeMap<String, Vec<Diagnostic>> {
    let mut by_file: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
    for check in &report.checks {
        for finding in &check.findings {
            let diagnostic = Diagnostic {
                range: finding.location.range,
                severity: Some(severity(finding.status)),
                code: Some(NumberOrString::String(check.id.clone())),
                code_description: doc_uri(&check.doc).map(|href| CodeDescription { href }),
                source: Some(String::from("gord")),
                message: crate::render::escape::text(&finding.message).into_owned(),
                related_information: None,
                tags: None,
                data: finding
                    .fix
                    .as_ref()
                    .and_then(|fix| serde_json::to_value(fix).ok()),
            };
            by_file
                .entry(finding.location.uri.clone())
                .or_default()
                .push(diagnostic);
        }
    }
    by_file
}

pub(crate) fn severity(status: Status) -> DiagnosticSeverity {
    match status {
        Status::Error => DiagnosticSeverity::ERROR,
        Status::Warning => DiagnosticSeverity::WARNING,
        Status::Ok | Status::Skipped => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixtures::report;

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
}
