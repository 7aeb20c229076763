//! The wire shape of a [`CheckResult`] in `gord/health`, `gord/report` and
//! `gord check --format json`, as it was before findings had one model: a
//! located finding is `{message, status, location: {uri, range}, fix}` (an
//! SSH rule's code leads its message), a fix is `{title, command, edit}`
//! with `edit` a workspace edit's `changes`. Kept so the extension and
//! scripts read the report as before.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::model::{Area, CheckResult, Status};
use crate::finding::{Edit, Finding, Fix, Range, Severity, Subject};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckResultWire {
    id: String,
    title: String,
    area: Area,
    status: Status,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    duration_ms: u64,
    doc: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings: Vec<FindingWire>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fix: Option<FixWire>,
    /// What the check followed, for machine readers (SSH050: the ssh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    properties: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FindingWire {
    message: String,
    status: Status,
    location: LocationWire,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fix: Option<FixWire>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LocationWire {
    uri: String,
    range: Range,
}

/// A fix as the report, the fleet and the preflight have always shown one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FixWire {
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edit: Option<EditWire>,
    /// Only when set: the fix may be applied unattended.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    safe: bool,
}

/// A workspace edit's `changes`: text edits by file URI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EditWire {
    changes: BTreeMap<String, Vec<TextEditWire>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TextEditWire {
    range: Range,
    new_text: String,
}

fn severity_of(status: Status) -> Severity {
    match status {
        Status::Error => Severity::Error,
        Status::Warning => Severity::Warning,
        Status::Ok | Status::Skipped => Severity::Info,
    }
}

fn path_of(uri: &str) -> PathBuf {
    crate::uri::uri_to_path(uri).unwrap_or_else(|| PathBuf::from(uri))
}

impl From<&Fix> for FixWire {
    fn from(fix: &Fix) -> Self {
        let mut changes: BTreeMap<String, Vec<TextEditWire>> = BTreeMap::new();
        for e in &fix.edits {
            changes
                .entry(crate::uri::file_uri(&e.path))
                .or_default()
                .push(TextEditWire {
                    range: e.range,
                    new_text: e.new_text.clone(),
                });
        }
        FixWire {
            title: crate::render::escape::line(&fix.title).into_owned(),
            command: fix.command.clone(),
            edit: (!changes.is_empty()).then_some(EditWire { changes }),
            safe: fix.safe,
        }
    }
}

impl From<FixWire> for Fix {
    fn from(wire: FixWire) -> Self {
        let edits = wire
            .edit
            .map(|e| e.changes)
            .unwrap_or_default()
            .into_iter()
            .flat_map(|(uri, edits)| {
                let path = path_of(&uri);
                edits.into_iter().map(move |e| Edit {
                    path: path.clone(),
                    range: e.range,
                    new_text: e.new_text,
                })
            })
            .collect();
        Fix {
            title: wire.title,
            edits,
            command: wire.command,
            safe: wire.safe,
        }
    }
}

/// `SSH001: message` → (`SSH001`, `message`): a code is capitals then digits.
fn split_code(message: &str) -> Option<(&str, &str)> {
    let (code, rest) = message.split_once(": ")?;
    let digits = code.trim_start_matches(|c: char| c.is_ascii_uppercase());
    let is_code = digits.len() < code.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit());
    is_code.then_some((code, rest))
}

impl From<CheckResult> for CheckResultWire {
    fn from(r: CheckResult) -> Self {
        let findings = r
            .findings
            .iter()
            .filter_map(|f| {
                let (path, range) = f.file_range()?;
                let message = r.located_message(f);
                Some(FindingWire {
                    message,
                    status: Status::from(f.severity),
                    location: LocationWire {
                        uri: crate::uri::file_uri(path),
                        range,
                    },
                    fix: f.fix().map(FixWire::from),
                })
            })
            .collect();
        CheckResultWire {
            fix: r.fix.as_ref().map(FixWire::from),
            id: r.id,
            title: r.title,
            area: r.area,
            status: r.status,
            message: r.message,
            detail: r.detail,
            duration_ms: r.duration_ms,
            doc: r.doc,
            findings,
            properties: r.properties,
        }
    }
}

impl From<CheckResultWire> for CheckResult {
    fn from(w: CheckResultWire) -> Self {
        let findings = w
            .findings
            .into_iter()
            .map(|f| {
                let (code, message, doc) = match split_code(&f.message) {
                    Some((code, rest)) => {
                        (code.to_string(), rest.to_string(), super::doc_path(code))
                    }
                    None => (w.id.clone(), f.message.clone(), w.doc.clone()),
                };
                let subject = Subject::file(path_of(&f.location.uri), f.location.range);
                let mut finding =
                    Finding::new(code, severity_of(f.status), message, subject).with_doc(doc);
                finding.fixes.extend(f.fix.map(Fix::from));
                finding
            })
            .collect();
        CheckResult {
            id: w.id,
            title: w.title,
            area: w.area,
            status: w.status,
            message: w.message,
            detail: w.detail,
            duration_ms: w.duration_ms,
            doc: w.doc,
            findings,
            fix: w.fix.map(Fix::from),
            properties: w.properties,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Position;

    fn ssh_result() -> CheckResult {
        let path = PathBuf::from("/home/u/.ssh/config");
        let range = Range::new(Position::new(2, 2), Position::new(2, 9));
        let typo = Finding::new(
            "SSH001",
            Severity::Error,
            "Unknown keyword",
            Subject::file(&path, range),
        )
        .with_rule_page()
        .with_fix(
            Fix::edits(
                "Change to HostName",
                vec![Edit {
                    path,
                    range,
                    new_text: "HostName".into(),
                }],
            )
            .safe(),
        );
        CheckResult {
            id: "SSH000".into(),
            title: "SSH config".into(),
            area: Area::Ssh,
            status: Status::Error,
            message: "1 error(s)".into(),
            detail: None,
            duration_ms: 3,
            doc: "docs/rules/SSH000.md".into(),
            findings: vec![typo],
            fix: Some(Fix::run("See every finding", ["gord", "ssh", "lint"])),
            properties: None,
        }
    }

    #[test]
    fn a_located_finding_keeps_its_message_status_location_and_edit_shape() {
        let json = serde_json::to_value(ssh_result()).unwrap();
        let f = &json["findings"][0];
        assert_eq!(f["message"], "SSH001: Unknown keyword");
        assert_eq!(f["status"], "error");
        assert_eq!(f["location"]["uri"], "file:///home/u/.ssh/config");
        assert_eq!(f["location"]["range"]["start"]["line"], 2);
        let edits = &f["fix"]["edit"]["changes"]["file:///home/u/.ssh/config"];
        assert_eq!(edits[0]["newText"], "HostName");
        assert_eq!(json["fix"]["command"][2], "lint");
        assert!(json["fix"].get("safe").is_none(), "false is left out");
        assert!(json["fix"].get("edit").is_none());
    }

    #[test]
    fn a_result_read_back_from_the_wire_is_the_result_written() {
        let result = ssh_result();
        let back: CheckResult =
            serde_json::from_value(serde_json::to_value(&result).unwrap()).unwrap();
        assert_eq!(back, result);
    }

    #[test]
    fn only_a_leading_rule_code_is_taken_for_one() {
        assert_eq!(split_code("SSH001: x: y"), Some(("SSH001", "x: y")));
        assert_eq!(split_code("invalid go version: x"), None);
        assert_eq!(split_code("GO: x"), None);
        assert_eq!(split_code("123: x"), None);
    }
}
