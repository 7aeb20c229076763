//! `gord ssh lint` output: text for people, JSON for scripts, SARIF 2.1.0 for
//! code-scanning tools. Pure functions of the findings.

use std::fmt::Write;
use std::path::Path;

use serde_json::json;

use crate::finding::{Finding, Range, Severity};
use crate::render::escape::line as esc;

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// `path:line:col: severity[CODE] message`, then the fix, one finding a block.
pub fn render_text(findings: &[Finding], colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("{code}{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    for f in findings {
        let (file, range) = place(f);
        let level = match f.severity {
            Severity::Error => paint("\x1b[31m", "error"),
            Severity::Warning => paint("\x1b[33m", "warning"),
            Severity::Info => paint("\x1b[36m", "info"),
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {level}[{}] {}",
            esc(&file),
            range.start.line + 1,
            range.start.character + 1,
            f.code,
            esc(&f.message)
        );
        if let Some(fix) = f.fix() {
            let how = match (&fix.command, fix.safe) {
                (Some(argv), _) => {
                    format!("{} (run: {})", fix.title, crate::render::shell_words(argv))
                }
                (None, true) => format!("{} (gord ssh fix applies it)", fix.title),
                (None, false) => fix.title.clone(),
            };
            let _ = writeln!(out, "    {} {}", paint("\x1b[2m", "fix:"), esc(&how));
        }
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "{} finding{}: {} error{}, {} warning{}, {} info",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        count(Severity::Error),
        if count(Severity::Error) == 1 { "" } else { "s" },
        count(Severity::Warning),
        if count(Severity::Warning) == 1 {
            ""
        } else {
            "s"
        },
        count(Severity::Info)
    );
    out
}

/// The file and range of an SSH finding (every one has both).
fn place(f: &Finding) -> (String, Range) {
    match f.file_range() {
        Some((path, range)) => (path.display().to_string(), range),
        None => (String::new(), Range::default()),
    }
}

/// One finding as `gord ssh lint --format json` has always shown it:
/// `file`, `range`, at most one `fix` whose edits name their `file`.
fn json_finding(f: &Finding) -> serde_json::Value {
    let (file, range) = place(f);
    let mut value = json!({
        "code": f.code,
        "severity": f.severity,
        "file": file,
        "range": range,
        "message": f.message,
    });
    if let Some(fix) = f.fix() {
        let mut out = json!({ "title": fix.title, "safe": fix.safe });
        if !fix.edits.is_empty() {
            let edits: Vec<_> = fix
                .edits
                .iter()
                .map(|e| json!({ "file": e.path, "range": e.range, "new_text": e.new_text }))
                .collect();
            out["edits"] = json!(edits);
        }
        if let Some(argv) = &fix.command {
            out["command"] = json!(argv);
        }
        value["fix"] = out;
    }
    value
}

pub fn render_json(config: &Path, findings: &[Finding]) -> String {
    let findings: Vec<_> = findings.iter().map(json_finding).collect();
    let value = json!({
        "config": config.display().to_string(),
        "findings": findings,
    });
    crate::render::escape::json(&serde_json::to_string_pretty(&value).unwrap_or_default())
        .into_owned()
}

/// SARIF 2.1.0, one run, rule ids = finding codes, 1-based UTF-16 columns.
pub fn render_sarif(findings: &[Finding], docs_base: Option<&Path>) -> String {
    let mut codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes
        .iter()
        .map(|code| {
            let mut rule = json!({ "id": code, "name": code });
            if let Some(page) = crate::docs::rule_page(docs_base, &crate::check::doc_path(code)) {
                rule["helpUri"] = json!(crate::uri::file_uri(&page));
            }
            rule
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let (file, range) = place(f);
            json!({
                "ruleId": f.code,
                "level": match f.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "note" },
                "message": { "text": esc(&f.message) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": crate::uri::file_uri(Path::new(&file)) },
                        "region": {
                            "startLine": range.start.line + 1,
                            "startColumn": range.start.character + 1,
                            "endLine": range.end.line + 1,
                            "endColumn": range.end.character + 1,
                        }
                    }
                }],
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "gord",
                "version": crate::VERSION,
                "informationUri": "https://github.com/gord-dev/gord",
                "rules": rules,
            } },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    crate::render::escape::json(&serde_json::to_string_pretty(&sarif).unwrap_or_default())
        .into_owned()
}

/// The word used for a severity in JSON and text.
pub fn severity_name(severity: Severity) -> &'static str {
    severity_word(severity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::lint_text;

    #[test]
    fn text_points_at_file_line_and_column() {
        let findings = lint_text("Host a\n  Hostnme x\n");
        let text = render_text(&findings, false);
        assert!(
            text.starts_with("/home/me/.ssh/config:2:3: error[SSH001] Unknown keyword \"Hostnme\""),
            "{text}"
        );
        assert!(text.contains("fix: Change to HostName (gord ssh fix applies it)"));
        assert!(text
            .lines()
            .last()
            .unwrap()
            .starts_with(&format!("{} finding", findings.len())));
    }

    #[test]
    fn sarif_uses_codes_as_rule_ids_and_one_based_columns() {
        let findings = lint_text("Host a\n  Hostnme x\n");
        let sarif: serde_json::Value =
            serde_json::from_str(&render_sarif(&findings, None)).unwrap();
        assert_eq!(sarif["version"], "2.1.0");
        let result = &sarif["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "SSH001");
        assert_eq!(result["level"], "error");
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            2
        );
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startColumn"],
            3
        );
        assert_eq!(
            sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"],
            "SSH001"
        );
    }
}
