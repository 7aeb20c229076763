//! JSON for scripts: one envelope for every command (docs/json-schema.md).
//!
//! ```text
//! { "schemaVersion": 1, "command": "ssh lint", ...the command's facts..., "findings": [...] }
//! ```
//!
//! The facts are the command's own report (the health report's checks, the
//! fleet table, the lint runs), written at the top level where each
//! command's JSON always had them, so existing readers keep working. The
//! findings are [`crate::finding::Finding`]s, the same for every command.

use serde::Serialize;

/// Bumped when a field changes meaning or goes away (adding one does not).
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Envelope<'a, F: Serialize, T: Serialize> {
    schema_version: u32,
    command: &'a str,
    #[serde(flatten)]
    facts: &'a F,
    findings: &'a [T],
}

/// The envelope for `command` (`check`, `ssh lint`, `lint`, `remote check`):
/// `facts` must serialize as a JSON object (a struct or a map) without a
/// `findings`, `schemaVersion` or `command` field of its own.
pub fn render<F: Serialize, T: Serialize>(command: &str, facts: &F, findings: &[T]) -> String {
    let envelope = Envelope {
        schema_version: SCHEMA_VERSION,
        command,
        facts,
        findings,
    };
    // Serializing plain data cannot fail; keep a fallback anyway.
    let json = serde_json::to_string_pretty(&envelope)
        .unwrap_or_else(|e| format!("{{\"error\": \"could not serialize the report: {e}\"}}"));
    crate::render::escape::json(&json).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Severity, Subject};
    use serde_json::{json, Value};

    #[test]
    fn the_envelope_has_its_version_the_command_the_facts_and_the_findings() {
        let facts = json!({ "config": "/home/me/.ssh/config" });
        let findings = [Finding::new(
            "RMT003",
            Severity::Error,
            "host key changed\u{202e}",
            Subject::Host { host: "db".into() },
        )];
        let text = render("remote check", &facts, &findings);
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(doc["schemaVersion"], SCHEMA_VERSION);
        assert_eq!(doc["command"], "remote check");
        assert_eq!(doc["config"], "/home/me/.ssh/config");
        assert_eq!(
            doc["findings"][0]["subject"],
            json!({"kind": "host", "host": "db"})
        );
        assert_eq!(doc["findings"][0]["message"], "host key changed\u{202e}");
        assert!(
            text.contains("host key changed\\u202e"),
            "bidi overrides never reach a terminal raw: {text}"
        );
    }

    #[test]
    fn a_report_struct_keeps_its_field_order_after_the_version() {
        let report = crate::render::fixtures::report();
        let text = render("check", &report, &report.findings());
        let keys: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("  \""))
            .filter_map(|l| l.trim().split('"').nth(1))
            .collect();
        assert_eq!(
            keys,
            [
                "schemaVersion",
                "command",
                "version",
                "workspace",
                "durationMs",
                "summary",
                "checks",
                "findings"
            ]
        );
    }
}
