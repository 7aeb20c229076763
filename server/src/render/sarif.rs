//! SARIF 2.1.0 for code-scanning tools: the one writer every command uses.
//!
//! One run; a rule per finding code (with `helpUri` to its page: a rule page
//! on disk as a `file://` URI, or the linter's own URL); one result per
//! finding, its columns 1-based UTF-16 code units (`columnKind`). A file
//! subject is a physical location, a host or process a logical one, the
//! workspace none (the result's `properties.subject` names the kind in every
//! case). Fixes that edit files are SARIF `fixes` (artifact changes with
//! replacements); fixes that run a command or only advise have no SARIF
//! form and go in `properties.fixes`. Related places are `relatedLocations`.
//! A tool's own failures are `toolExecutionNotifications`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::finding::{Edit, Finding, Fix, Range, Severity, Subject};
use crate::render::escape;

/// The tool that produced the findings.
#[derive(Debug, Clone, Copy)]
pub struct Tool<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub information_uri: Option<&'a str>,
}

/// Everything one SARIF log says.
#[derive(Debug, Clone, Copy)]
pub struct Log<'a> {
    pub tool: Tool<'a>,
    pub findings: &'a [Finding],
    /// Where `docs/rules/*.md` are, to link rule pages that exist.
    pub docs_root: Option<&'a Path>,
    /// The tool's own failures (the linter could not run).
    pub failures: &'a [String],
    /// The run's property bag (`runs[0].properties`): what the tool
    /// followed, such as the ssh whose rules `gord ssh lint` applied.
    pub properties: Option<&'a Value>,
}

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(log: &Log<'_>) -> String {
    let mut codes: Vec<&Finding> = Vec::new();
    for finding in log.findings {
        if !codes.iter().any(|f| f.code == finding.code) {
            codes.push(finding);
        }
    }
    codes.sort_by(|a, b| a.code.cmp(&b.code));
    let rules: Vec<Value> = codes.iter().map(|f| rule(f, log.docs_root)).collect();
    let results: Vec<Value> = log
        .findings
        .iter()
        .map(|f| {
            let index = codes.iter().position(|c| c.code == f.code).unwrap_or(0);
            result(f, index)
        })
        .collect();
    let notifications: Vec<Value> = log
        .failures
        .iter()
        .map(|m| json!({ "level": "error", "message": { "text": escape::line(m) } }))
        .collect();
    let mut driver = json!({
        "name": escape::line(log.tool.name),
        "version": escape::line(log.tool.version),
        "rules": rules,
    });
    if let Some(uri) = log.tool.information_uri {
        driver["informationUri"] = json!(uri);
    }
    let mut run = json!({
        "tool": { "driver": driver },
        "invocations": [{
            "executionSuccessful": log.failures.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "columnKind": "utf16CodeUnits",
        "results": results,
    });
    if let Some(properties) = log.properties {
        run["properties"] = properties.clone();
    }
    let sarif = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    escape::json(&serde_json::to_string_pretty(&sarif).unwrap_or_default()).into_owned()
}

/// gord as the tool of a log.
pub fn gord_tool() -> Tool<'static> {
    Tool {
        name: "gord",
        version: crate::VERSION,
        information_uri: Some(crate::render::INFORMATION_URI),
    }
}

/// A log of gord's own findings (`gord procs`, `attach --dry-run`,
/// `preload`, `debug core`): gord is the tool, it ran to the end.
pub fn gord(findings: &[Finding], docs_root: Option<&Path>) -> String {
    render(&Log {
        tool: gord_tool(),
        findings,
        docs_root,
        failures: &[],
        properties: None,
    })
}

/// The rule's help link: an absolute URL as is, a rule page only when it
/// exists under `docs_root` (a `file://` URI).
fn help_uri(doc: &str, docs_root: Option<&Path>) -> Option<String> {
    if doc.starts_with("https://") || doc.starts_with("http://") {
        return Some(doc.to_string());
    }
    crate::docs::rule_page(docs_root, doc).map(|page| crate::uri::file_uri(&page))
}

fn rule(finding: &Finding, docs_root: Option<&Path>) -> Value {
    let code = escape::line(&finding.code);
    let mut rule = json!({ "id": code, "name": code });
    if let Some(uri) = finding
        .doc
        .as_deref()
        .and_then(|doc| help_uri(doc, docs_root))
    {
        rule["helpUri"] = json!(uri);
    }
    rule
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(range: Range) -> Value {
    json!({
        "startLine": range.start.line + 1,
        "startColumn": range.start.character + 1,
        "endLine": range.end.line + 1,
        "endColumn": range.end.character + 1,
    })
}

/// A `file://` URI for an absolute path; a relative one (as the user named
/// the file) stays a relative reference, percent-encoded the same way.
fn artifact_uri(path: &Path) -> String {
    let uri = crate::uri::file_uri(path);
    if path.is_absolute() {
        uri
    } else {
        // `file_uri` takes a relative path from `/`: drop `file:///`.
        uri.trim_start_matches("file:///").to_string()
    }
}

fn physical(path: &Path, range: Range) -> Value {
    json!({
        "artifactLocation": { "uri": artifact_uri(path) },
        "region": region(range),
    })
}

fn subject_kind(subject: &Subject) -> &'static str {
    match subject {
        Subject::File { .. } => "file",
        Subject::Host { .. } => "host",
        Subject::Process { .. } => "process",
        Subject::Module { .. } => "module",
        Subject::Artifact { .. } => "artifact",
        Subject::Workspace => "workspace",
    }
}

fn location(subject: &Subject) -> Option<Value> {
    match subject {
        Subject::File { path, range } => {
            Some(json!({ "physicalLocation": physical(path, *range) }))
        }
        Subject::Host { host } => Some(json!({
            "logicalLocations": [{ "name": escape::line(host), "kind": "host" }],
        })),
        Subject::Process { pid, name } => {
            let shown = match name {
                Some(name) => format!("{} (pid {pid})", escape::line(name)),
                None => format!("pid {pid}"),
            };
            Some(json!({
                "logicalLocations": [{ "name": shown, "fullyQualifiedName": format!("pid/{pid}"), "kind": "process" }],
            }))
        }
        Subject::Module { module } => Some(json!({
            "logicalLocations": [{ "name": escape::line(module), "kind": "module" }],
        })),
        Subject::Artifact { path } => Some(json!({
            "physicalLocation": { "artifactLocation": { "uri": artifact_uri(path) } },
        })),
        Subject::Workspace => None,
    }
}

fn result(finding: &Finding, rule_index: usize) -> Value {
    let mut result = json!({
        "ruleId": escape::line(&finding.code),
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": escape::line(&finding.message) },
    });
    if let Some(location) = location(&finding.subject) {
        result["locations"] = json!([location]);
    }
    if !finding.related.is_empty() {
        let related: Vec<Value> = finding
            .related
            .iter()
            .enumerate()
            .map(|(id, r)| {
                json!({
                    "id": id,
                    "physicalLocation": physical(&r.path, r.range),
                    "message": { "text": escape::line(&r.message) },
                })
            })
            .collect();
        result["relatedLocations"] = json!(related);
    }
    let (with_edits, without): (Vec<&Fix>, Vec<&Fix>) =
        finding.fixes.iter().partition(|f| !f.edits.is_empty());
    if !with_edits.is_empty() {
        result["fixes"] = json!(with_edits.iter().map(|f| sarif_fix(f)).collect::<Vec<_>>());
    }
    let mut properties = json!({ "subject": subject_kind(&finding.subject) });
    if let Some(detail) = &finding.detail {
        properties["detail"] = json!(escape::text(detail));
    }
    if !without.is_empty() {
        let fixes: Vec<Value> = without
            .iter()
            .map(|f| {
                let mut fix = json!({ "title": escape::line(&f.title), "safe": f.safe });
                if let Some(argv) = &f.command {
                    fix["command"] = json!(argv);
                }
                fix
            })
            .collect();
        properties["fixes"] = json!(fixes);
    }
    result["properties"] = properties;
    result
}

/// A fix that edits: one artifact change per file, in the order the files
/// first appear, each with its replacements.
fn sarif_fix(fix: &Fix) -> Value {
    let mut files: Vec<(&PathBuf, Vec<&Edit>)> = Vec::new();
    for edit in &fix.edits {
        match files.iter_mut().find(|(path, _)| **path == edit.path) {
            Some((_, edits)) => edits.push(edit),
            None => files.push((&edit.path, vec![edit])),
        }
    }
    let changes: Vec<Value> = files
        .iter()
        .map(|(path, edits)| {
            let replacements: Vec<Value> = edits
                .iter()
                .map(|e| {
                    json!({
                        "deletedRegion": region(e.range),
                        "insertedContent": { "text": e.new_text },
                    })
                })
                .collect();
            json!({
                "artifactLocation": { "uri": artifact_uri(path) },
                "replacements": replacements,
            })
        })
        .collect();
    json!({
        "description": { "text": escape::line(&fix.title) },
        "artifactChanges": changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Position, Related};

    fn config() -> PathBuf {
        PathBuf::from("/home/me/.ssh/config")
    }

    fn typo() -> Finding {
        let range = Range::new(Position::new(1, 2), Position::new(1, 9));
        Finding::new(
            "SSH001",
            Severity::Error,
            "Unknown keyword \"Hostnme\"",
            Subject::File {
                path: config(),
                range,
            },
        )
        .with_rule_page()
        .with_fix(
            Fix::edits(
                "Change to HostName",
                vec![Edit {
                    path: config(),
                    range,
                    new_text: "HostName".into(),
                }],
            )
            .safe(),
        )
        .with_related(Related {
            path: config(),
            range: Range::line(0, 6),
            message: "in this Host block".into(),
        })
    }

    fn log(findings: &[Finding], docs_root: Option<&Path>) -> Value {
        let text = render(&Log {
            tool: Tool {
                name: "gord",
                version: "0.1.0",
                information_uri: None,
            },
            findings,
            docs_root,
            failures: &[],
            properties: None,
        });
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn a_file_finding_is_a_physical_location_with_one_based_utf16_columns() {
        let sarif = log(&[typo()], None);
        assert_eq!(sarif["version"], "2.1.0");
        let run = &sarif["runs"][0];
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "SSH001");
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "file:///home/me/.ssh/config"
        );
        assert_eq!(
            location["region"],
            json!({"startLine": 2, "startColumn": 3, "endLine": 2, "endColumn": 10})
        );
        assert_eq!(result["relatedLocations"][0]["region"], Value::Null);
        assert_eq!(
            result["relatedLocations"][0]["physicalLocation"]["region"]["endColumn"],
            7
        );
    }

    #[test]
    fn a_relative_path_stays_a_relative_uri_reference() {
        assert_eq!(
            artifact_uri(Path::new("examples/my config")),
            "examples/my%20config"
        );
        assert_eq!(artifact_uri(Path::new("/a b")), "file:///a%20b");
    }

    #[test]
    fn an_edit_fix_is_a_sarif_fix_with_replacements() {
        let sarif = log(&[typo()], None);
        let fix = &sarif["runs"][0]["results"][0]["fixes"][0];
        assert_eq!(fix["description"]["text"], "Change to HostName");
        let change = &fix["artifactChanges"][0];
        assert_eq!(
            change["artifactLocation"]["uri"],
            "file:///home/me/.ssh/config"
        );
        assert_eq!(
            change["replacements"][0]["insertedContent"]["text"],
            "HostName"
        );
        assert_eq!(change["replacements"][0]["deletedRegion"]["startColumn"], 3);
    }

    #[test]
    fn a_host_is_a_logical_location_and_a_command_fix_a_property() {
        let finding = Finding::new(
            "RMT009",
            Severity::Warning,
            "the key needs its passphrase",
            Subject::Host { host: "db".into() },
        )
        .with_fix(Fix::run("Load it", ["ssh-add", "/k"]));
        let sarif = log(&[finding], None);
        let result = &sarif["runs"][0]["results"][0];
        assert_eq!(
            result["locations"][0]["logicalLocations"][0],
            json!({"name": "db", "kind": "host"})
        );
        assert_eq!(result["fixes"], Value::Null);
        assert_eq!(
            result["properties"],
            json!({"subject": "host", "fixes": [{"title": "Load it", "safe": false, "command": ["ssh-add", "/k"]}]})
        );
        assert_eq!(result["level"], "warning");
    }

    #[test]
    fn a_workspace_finding_has_no_location_and_says_so() {
        let finding = Finding::new("GO001", Severity::Info, "go is old", Subject::Workspace)
            .with_detail("go1.20");
        let result = &log(&[finding], None)["runs"][0]["results"][0];
        assert_eq!(result["locations"], Value::Null);
        assert_eq!(result["level"], "note");
        assert_eq!(
            result["properties"],
            json!({"subject": "workspace", "detail": "go1.20"})
        );
    }

    #[test]
    fn rules_are_one_per_code_and_link_only_to_pages_that_exist() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("docs/rules")).unwrap();
        std::fs::write(root.path().join("docs/rules/SSH001.md"), "# SSH001").unwrap();
        let missing =
            Finding::new("SSH999", Severity::Info, "m", Subject::Workspace).with_rule_page();
        let linter = Finding::new("errcheck", Severity::Warning, "m", Subject::Workspace)
            .with_doc("https://golangci-lint.run/usage/linters/#errcheck");
        let sarif = log(&[typo(), missing, typo(), linter], Some(root.path()));
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
        assert_eq!(ids, ["SSH001", "SSH999", "errcheck"]);
        assert_eq!(
            rules[0]["helpUri"],
            crate::uri::file_uri(&root.path().join("docs/rules/SSH001.md"))
        );
        assert_eq!(rules[1]["helpUri"], Value::Null);
        assert_eq!(
            rules[2]["helpUri"],
            "https://golangci-lint.run/usage/linters/#errcheck"
        );
        let indices: Vec<u64> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["ruleIndex"].as_u64())
            .collect();
        assert_eq!(indices, [0, 1, 0, 2]);
    }

    #[test]
    fn the_run_carries_what_the_tool_followed_in_its_properties() {
        let followed = json!({ "ssh": { "rules": "9.2p1-debian" } });
        let text = render(&Log {
            tool: Tool {
                name: "gord",
                version: "0.1.0",
                information_uri: None,
            },
            findings: &[],
            docs_root: None,
            failures: &[],
            properties: Some(&followed),
        });
        let sarif: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(sarif["runs"][0]["properties"], followed);
        assert_eq!(log(&[], None)["runs"][0].get("properties"), None);
    }

    #[test]
    fn a_tool_failure_is_a_notification_and_an_unsuccessful_run() {
        let text = render(&Log {
            tool: Tool {
                name: "golangci-lint",
                version: "2.15.0",
                information_uri: None,
            },
            findings: &[],
            docs_root: None,
            failures: &["typecheck: undefined: x\u{1b}[2J".to_string()],
            properties: None,
        });
        let sarif: Value = serde_json::from_str(&text).unwrap();
        let invocation = &sarif["runs"][0]["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(
            invocation["toolExecutionNotifications"][0]["message"]["text"],
            "typecheck: undefined: x\\x1b[2J"
        );
    }
}
