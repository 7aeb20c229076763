//! `gord ssh lint` output: the findings through the shared renderers (text
//! for people, the JSON envelope for scripts, SARIF 2.1.0 for code-scanning
//! tools), with this command's facts (the config it read).

use std::path::Path;

use serde::Serialize;

use crate::finding::{Finding, Fix, Range};
use crate::render::{json, sarif, FindingsText};
use crate::ssh::release::which::{Choice, Followed};

/// `path:line:col: severity[CODE] message`, then the fix, then a count.
pub fn render_text(findings: &[Finding], colour: bool) -> String {
    crate::render::render_findings(
        findings,
        &FindingsText {
            colour,
            applies_safe_fixes: Some("gord ssh fix"),
        },
    )
}

#[derive(serde::Serialize)]
struct Facts<'a> {
    config: &'a Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    ssh: Option<Followed>,
}

pub fn render_json(config: &Path, findings: &[Finding]) -> String {
    json::render(
        "ssh lint",
        &Facts { config, ssh: None },
        &with_old_fields(findings),
    )
}

/// [`render_json`] naming the ssh whose rules were followed.
pub fn render_json_for(config: &Path, findings: &[Finding], ssh: &Choice) -> String {
    json::render(
        "ssh lint",
        &Facts {
            config,
            ssh: Some(ssh.followed()),
        },
        &with_old_fields(findings),
    )
}

/// A finding in `gord ssh lint --format json`: the model's fields and, so
/// existing readers keep working, the old `file`, `range` and `fix` (whose
/// edits name their `file` and have a `new_text`).
#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    file: &'a Path,
    range: Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<OldFix<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OldFix<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    edits: Vec<OldEdit<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<&'a [String]>,
    safe: bool,
}

#[derive(Serialize)]
struct OldEdit<'a> {
    file: &'a Path,
    range: Range,
    new_text: &'a str,
}

fn old_fix(fix: &Fix) -> OldFix<'_> {
    OldFix {
        title: &fix.title,
        edits: fix
            .edits
            .iter()
            .map(|e| OldEdit {
                file: &e.path,
                range: e.range,
                new_text: &e.new_text,
            })
            .collect(),
        command: fix.command.as_deref(),
        safe: fix.safe,
    }
}

fn with_old_fields(findings: &[Finding]) -> Vec<JsonFinding<'_>> {
    findings
        .iter()
        .map(|finding| JsonFinding {
            finding,
            file: finding.path().unwrap_or(Path::new("")),
            range: finding.range().unwrap_or_default(),
            fix: finding.fix().map(old_fix),
        })
        .collect()
}

pub fn render_sarif(findings: &[Finding], docs_root: Option<&Path>) -> String {
    sarif::gord(findings, docs_root)
}

/// [`render_sarif`] naming the ssh whose rules were followed, as the JSON
/// does: the run's `properties.ssh`.
pub fn render_sarif_for(findings: &[Finding], docs_root: Option<&Path>, ssh: &Choice) -> String {
    let properties = serde_json::json!({ "ssh": ssh.followed() });
    sarif::render(&sarif::Log {
        tool: sarif::gord_tool(),
        findings,
        docs_root,
        failures: &[],
        properties: Some(&properties),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::lint::tests::{lint_text, MISSPELT};

    #[test]
    fn text_points_at_file_line_and_column() {
        let findings = lint_text(MISSPELT);
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
    fn rule_findings_show_a_caret_under_their_range() {
        let config =
            "Host *\n  User ubuntu\nHost devbox\n  HostName 127.0.0.1\n  User dev\n  Hostnme x\n";
        let findings = lint_text(config);
        let text = crate::render::render_findings_with_source(
            &findings,
            &FindingsText {
                colour: false,
                applies_safe_fixes: Some("gord ssh fix"),
            },
            &|_| Some(config.to_string()),
        );
        insta::assert_snapshot!(text, @r#"
        /home/me/.ssh/config:5:3: warning[SSH002] User dev does not apply to devbox: ssh keeps the first value it obtains, and ~/.ssh/config line 2 in "Host *" (line 1) already set it, so devbox gets User ubuntu; put specific Host blocks before general ones such as "Host *"
        5 |   User dev
          |   ^^^^^^^^
            fix: Move the "Host *" block to the end of the file
        /home/me/.ssh/config:6:3: error[SSH001] Unknown keyword "Hostnme": ssh stops with "Bad configuration option: hostnme" and connects to no host; did you mean "hostname"?
        6 |   Hostnme x
          |   ^^^^^^^
            fix: Change to HostName (gord ssh fix applies it)
        2 findings: 1 error, 1 warning, 0 info
        "#);
    }

    #[test]
    fn json_keeps_the_old_fields_beside_the_model() {
        let findings = lint_text(MISSPELT);
        let doc: serde_json::Value =
            serde_json::from_str(&render_json(Path::new("/home/me/.ssh/config"), &findings))
                .unwrap();
        assert_eq!(doc["schemaVersion"], 1);
        assert_eq!(doc["command"], "ssh lint");
        assert_eq!(doc["config"], "/home/me/.ssh/config");
        let typo = &doc["findings"][0];
        assert_eq!(typo["code"], "SSH001");
        assert_eq!(typo["file"], "/home/me/.ssh/config");
        assert_eq!(typo["range"]["start"]["line"], 1);
        assert_eq!(typo["fix"]["edits"][0]["new_text"], "HostName");
        assert_eq!(typo["fix"]["safe"], true);
        assert_eq!(typo["subject"]["kind"], "file");
        assert_eq!(typo["fixes"][0]["edits"][0]["newText"], "HostName");
        assert_eq!(typo["doc"], "docs/rules/SSH001.md");
    }

    #[test]
    fn sarif_names_the_ssh_followed_as_the_json_does() {
        let findings = lint_text(MISSPELT);
        let ssh = Choice::of_version(
            crate::ssh::release::parse_version_argument("9.2p1-debian").unwrap(),
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&render_sarif_for(&findings, None, &ssh)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&render_json_for(
            Path::new("/home/me/.ssh/config"),
            &findings,
            &ssh,
        ))
        .unwrap();
        let properties = &sarif["runs"][0]["properties"];
        assert_eq!(properties["ssh"], json["ssh"]);
        insta::assert_snapshot!(serde_json::to_string_pretty(properties).unwrap(), @r#"
        {
          "ssh": {
            "program": null,
            "rules": "9.2p1-debian",
            "source": "versionArgument",
            "summary": "Debian's OpenSSH 9.2p1 (from --ssh-version)",
            "version": "9.2p1-debian"
          }
        }
        "#);
        assert_eq!(sarif["runs"][0]["tool"]["driver"]["name"], "gord");
        assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "SSH001");
    }

    #[test]
    fn sarif_uses_codes_as_rule_ids_and_one_based_columns() {
        let findings = lint_text(MISSPELT);
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
            result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
            "HostName"
        );
        assert_eq!(
            sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"],
            "SSH001"
        );
    }
}
