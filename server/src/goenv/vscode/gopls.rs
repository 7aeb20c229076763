//! GO034: the `"gopls": {...}` settings against what the installed gopls
//! says about its own settings (`gopls api-json`), so the verdict follows the
//! user's gopls version. gopls reads only the last dotted part of a key
//! (`ui.semanticTokens` is `semanticTokens`), as it does here.

use std::path::Path;

use serde::Deserialize;

use super::document::{Document, Member, Removable, Value};
use crate::finding::{Finding, Fix, Severity, Subject};

/// One setting as `gopls api-json` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoplsOption {
    #[serde(rename = "Name")]
    pub name: String,
    /// The dotted section (`ui.diagnostic`), empty at the top.
    #[serde(rename = "Hierarchy", default)]
    pub hierarchy: String,
    #[serde(rename = "DeprecationMessage", default)]
    pub deprecation: String,
}

impl GoplsOption {
    /// The name as the Go extension writes it (`ui.semanticTokens`).
    pub fn full_name(&self) -> String {
        if self.hierarchy.is_empty() {
            self.name.clone()
        } else {
            format!("{}.{}", self.hierarchy, self.name)
        }
    }
}

#[derive(Deserialize)]
struct ApiJson {
    #[serde(rename = "Options")]
    options: ApiOptions,
}

#[derive(Deserialize)]
struct ApiOptions {
    #[serde(rename = "User")]
    user: Vec<GoplsOption>,
}

/// The user settings in `gopls api-json` output.
pub fn parse_api_json(text: &str) -> Result<Vec<GoplsOption>, String> {
    serde_json::from_str::<ApiJson>(text)
        .map(|api| api.options.user)
        .map_err(|e| format!("`gopls api-json` printed no settings gord can read: {e}"))
}

/// The name gopls looks a key up by: its last dotted part.
fn flat(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Levenshtein distance, case-insensitive, for a did-you-mean.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            previous = here;
        }
    }
    row[b.len()]
}

/// The described setting a mistyped key most likely means.
fn closest<'o>(key: &str, options: &'o [GoplsOption]) -> Option<&'o GoplsOption> {
    let key = flat(key);
    let limit = (key.len() / 4).clamp(1, 3);
    options
        .iter()
        .map(|o| (distance(key, &o.name), o))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// GO034 for each `"gopls"` object of one settings file (every one of them:
/// an earlier duplicate is GO030's). `version` names the gopls for messages.
pub fn judge(
    path: &Path,
    doc: &Document<'_>,
    options: &[GoplsOption],
    version: &str,
    basis: u64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for gopls in doc.members.iter().filter(|m| m.key == "gopls") {
        let Value::Object(members) = &gopls.value else {
            continue;
        };
        for member in members {
            if let Some(finding) = judge_key(path, doc, member, options, version) {
                let mut finding = finding.with_rule_page();
                finding.basis = Some(basis);
                out.push(finding);
            }
        }
    }
    out
}

fn judge_key(
    path: &Path,
    doc: &Document<'_>,
    member: &Member,
    options: &[GoplsOption],
    version: &str,
) -> Option<Finding> {
    let key = &member.key;
    let at = Subject::file(path, doc.range(member.key_span));
    let remove = || {
        Fix::edits(
            format!("Remove the gopls setting \"{key}\""),
            doc.removal(path, Removable::Member(member)),
        )
    };
    match options.iter().find(|o| o.name == flat(key)) {
        Some(option) if option.deprecation.is_empty() => None,
        Some(option) => Some(
            Finding::new(
                "GO034",
                Severity::Warning,
                format!(
                    "gopls {version} deprecates the setting \"{key}\": {}",
                    option
                        .deprecation
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                at,
            )
            .with_fix(remove()),
        ),
        None => {
            let mut finding = Finding::new(
                "GO034",
                Severity::Warning,
                format!(
                    "gopls {version} does not describe the setting \"{key}\" (`gopls api-json`): unless it is one of \
                     gopls' undocumented internal settings, gopls rejects it (\"unexpected setting\") and it has no effect"
                ),
                at,
            );
            if let Some(option) = closest(key, options) {
                let name = option.full_name();
                finding.message = format!(
                    "gopls {version} does not describe the setting \"{key}\"; did you mean \"{name}\"?"
                );
                finding = finding.with_fix(Fix::edits(
                    format!("Rename to \"{name}\""),
                    vec![doc.rename(path, member, &name)],
                ));
            }
            Some(finding.with_fix(remove()))
        }
    }
}

/// GO035: the gopls could not describe its settings; an info on each
/// `"gopls"` key, no edit.
pub fn undescribed(
    path: &Path,
    doc: &Document<'_>,
    gopls: &Path,
    why: &str,
    basis: u64,
) -> Vec<Finding> {
    doc.members
        .iter()
        .filter(|m| m.key == "gopls")
        .map(|m| {
            let mut finding = Finding::new(
                "GO035",
                Severity::Info,
                format!(
                    "the gopls settings here are not checked: gopls at {} cannot describe its settings ({why}); gopls \
                     v0.5 or newer can",
                    gopls.display()
                ),
                Subject::file(path, doc.range(m.key_span)),
            )
            .with_rule_page();
            finding.basis = Some(basis);
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `gopls api-json` of gopls v0.23.0, recorded by
    /// scripts/record-gopls-api-json.sh.
    const API_JSON: &str = include_str!("../../../tests/fixtures/gopls-api-json-v0.23.0.json");

    fn options() -> Vec<GoplsOption> {
        parse_api_json(API_JSON).unwrap()
    }

    fn findings(text: &str) -> Vec<Finding> {
        let doc = Document::parse(text).unwrap();
        judge(
            Path::new("/u/settings.json"),
            &doc,
            &options(),
            "v0.23.0",
            7,
        )
    }

    #[test]
    fn the_recorded_api_json_describes_the_settings_the_go_extension_documents() {
        let names: Vec<String> = options().iter().map(GoplsOption::full_name).collect();
        for expected in [
            "ui.semanticTokens",
            "build.buildFlags",
            "formatting.gofumpt",
            "ui.diagnostic.staticcheck",
        ] {
            assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
        }
    }

    #[test]
    fn described_settings_pass_with_or_without_their_section() {
        let text =
            r#"{"gopls": {"ui.semanticTokens": true, "gofumpt": true, "build.buildFlags": []}}"#;
        assert!(findings(text).is_empty(), "{:?}", findings(text));
    }

    #[test]
    fn a_deprecated_setting_quotes_gopls_and_is_removed() {
        let text = "{\n  \"gopls\": {\n    \"ui.noSemanticString\": true,\n    \"gofumpt\": true\n  }\n}\n";
        let found = findings(text);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.code, "GO034");
        assert!(
            f.message.starts_with("gopls v0.23.0 deprecates the setting \"ui.noSemanticString\": use SemanticTokenTypes"),
            "{}",
            f.message
        );
        assert_eq!(f.range().unwrap().start.line, 2);
        assert_eq!(f.basis, Some(7));
        let edit = &f.fix().unwrap().edits[0];
        assert_eq!((edit.range.start.line, edit.range.end.line), (2, 3));
        assert_eq!(f.doc.as_deref(), Some("docs/rules/GO034.md"));
    }

    #[test]
    fn a_setting_gopls_never_had_is_unknown_and_offered_for_removal() {
        let found = findings(
            r#"{"gopls": {"memoryLimit": "2GiB", "build.experimentalWorkspaceModule": true}}"#,
        );
        assert_eq!(found.len(), 2);
        assert!(found[0]
            .message
            .contains("does not describe the setting \"memoryLimit\""));
        assert!(found[1]
            .message
            .contains("\"build.experimentalWorkspaceModule\""));
        assert_eq!(found[0].fixes.len(), 1);
        assert!(found[0].fixes[0].title.starts_with("Remove"));
    }

    #[test]
    fn a_misspelt_setting_is_offered_the_described_name_first() {
        let found = findings(r#"{"gopls": {"ui.semanticToken": true}}"#);
        assert!(found[0]
            .message
            .ends_with("did you mean \"ui.semanticTokens\"?"));
        let rename = &found[0].fixes[0];
        assert_eq!(rename.title, "Rename to \"ui.semanticTokens\"");
        assert_eq!(rename.edits[0].new_text, "\"ui.semanticTokens\"");
        assert!(found[0].fixes[1].title.starts_with("Remove"));
    }

    #[test]
    fn output_that_is_not_api_json_is_an_error_not_an_empty_list() {
        assert!(parse_api_json("flag provided but not defined: -api-json").is_err());
        assert!(parse_api_json("{}").is_err());
    }

    #[test]
    fn an_old_gopls_gives_one_info_per_gopls_object_and_no_edit() {
        let doc = Document::parse(r#"{"gopls": {"x": 1}}"#).unwrap();
        let found = undescribed(
            Path::new("/s.json"),
            &doc,
            Path::new("/old/gopls"),
            "unknown command",
            1,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert!(found[0].fixes.is_empty());
    }
}
