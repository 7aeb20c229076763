//! golangci-lint's JSON output (v2 `--output.json.path=stdout`, v1
//! `--out-format=json`) to issues and failures. Pure: text in, model out.

use std::path::Path;

use base64::Engine;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::model::{
    ByteEdit, FailureKind, FixEdit, LinePos, LintFailure, LintIssue, LintOutput, Span, SuggestedFix,
};

#[derive(Deserialize)]
struct RawOutput {
    /// Missing: not golangci-lint's JSON; null: no issues.
    #[serde(rename = "Issues", default, deserialize_with = "present")]
    issues: Option<Option<Vec<RawIssue>>>,
    #[serde(rename = "Report", default)]
    report: Option<RawReport>,
    /// SARIF's log: `{"version":"2.1.0","runs":[...]}`.
    #[serde(default)]
    runs: Option<IgnoredAny>,
}

/// A key that is present (even as null), told from one that is missing.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Why a document is not golangci-lint's JSON report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("it is not a JSON object: {0}")]
    NotJson(String),
    #[error("it is SARIF, not golangci-lint's JSON (write that with `--output.json.path`, v1: `--out-format=json`)")]
    Sarif,
    #[error("it has no \"Issues\" list, which golangci-lint's JSON always has (write it with `--output.json.path`, v1: `--out-format=json`)")]
    NoIssues,
}

#[derive(Deserialize)]
struct RawReport {
    #[serde(rename = "Error", default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct RawIssue {
    #[serde(rename = "FromLinter", default)]
    from_linter: String,
    #[serde(rename = "Text", default)]
    text: String,
    #[serde(rename = "Severity", default)]
    severity: Option<String>,
    #[serde(rename = "Pos")]
    pos: RawPos,
    #[serde(rename = "LineRange", default)]
    line_range: Option<RawLineRange>,
    #[serde(rename = "SuggestedFixes", default)]
    suggested_fixes: Option<Vec<RawSuggestedFix>>,
    #[serde(rename = "Replacement", default)]
    replacement: Option<RawReplacement>,
}

#[derive(Deserialize)]
struct RawPos {
    #[serde(rename = "Filename", default)]
    filename: String,
    #[serde(rename = "Offset", default)]
    offset: Option<i64>,
    #[serde(rename = "Line", default)]
    line: i64,
    #[serde(rename = "Column", default)]
    column: i64,
}

#[derive(Deserialize)]
struct RawLineRange {
    #[serde(rename = "From", default)]
    from: i64,
    #[serde(rename = "To", default)]
    to: i64,
}

#[derive(Deserialize)]
struct RawSuggestedFix {
    #[serde(rename = "Message", default)]
    message: String,
    #[serde(rename = "TextEdits", default)]
    text_edits: Option<Vec<RawTextEdit>>,
}

#[derive(Deserialize)]
struct RawTextEdit {
    #[serde(rename = "Pos")]
    pos: i64,
    #[serde(rename = "End")]
    end: i64,
    /// Go's `[]byte` marshals as base64.
    #[serde(rename = "NewText", default)]
    new_text: Option<String>,
}

#[derive(Deserialize)]
struct RawReplacement {
    #[serde(rename = "NeedOnlyDelete", default)]
    need_only_delete: bool,
    #[serde(rename = "NewLines", default)]
    new_lines: Option<Vec<String>>,
    #[serde(rename = "Inline", default)]
    inline: Option<RawInline>,
}

#[derive(Deserialize)]
struct RawInline {
    #[serde(rename = "StartCol", default)]
    start_col: i64,
    #[serde(rename = "Length", default)]
    length: i64,
    #[serde(rename = "NewString", default)]
    new_string: String,
}

/// The linter golangci-lint reports compile errors under.
const TYPECHECK: &str = "typecheck";

/// Parses golangci-lint's JSON. Relative file names are taken relative to
/// `base` (the directory the tool ran in). A document that is not its
/// report is an `Output` failure naming why, never a panic.
pub fn parse(json: &str, base: &Path) -> LintOutput {
    read_report(json, base).unwrap_or_else(|e| LintOutput {
        issues: Vec::new(),
        failures: vec![LintFailure {
            kind: FailureKind::Output,
            message: format!("golangci-lint's JSON output could not be read: {e}"),
        }],
    })
}

/// golangci-lint's JSON report, and whatever follows it: its default output
/// prints the statistics (`1 issues:`, `* godot: 1`) after the document.
pub fn read_report(json: &str, base: &Path) -> Result<LintOutput, ReportError> {
    let json = json.trim_start();
    if !json.starts_with('{') {
        // serde would read a struct from an array too.
        return Err(ReportError::NotJson(String::from(
            "it does not start with `{`",
        )));
    }
    let raw: RawOutput = serde_json::Deserializer::from_str(json)
        .into_iter::<RawOutput>()
        .next()
        .unwrap_or_else(|| Err(serde::de::Error::custom("it is empty")))
        .map_err(|e| ReportError::NotJson(e.to_string()))?;
    let issues = match (raw.issues, raw.runs) {
        (Some(issues), _) => issues,
        (None, Some(_)) => return Err(ReportError::Sarif),
        (None, None) => return Err(ReportError::NoIssues),
    };
    let mut out = LintOutput::default();
    let mut compile_errors: Vec<String> = Vec::new();
    for issue in issues.unwrap_or_default() {
        if issue.from_linter == TYPECHECK {
            compile_errors.push(compile_error_text(&issue.text));
            continue;
        }
        if let Some(issue) = convert(issue, base) {
            out.issues.push(issue);
        }
    }
    if !compile_errors.is_empty() {
        compile_errors.dedup();
        out.failures.push(LintFailure {
            kind: FailureKind::TypeCheck,
            message: format!(
                "the code does not compile, so the linters did not run on it: {}",
                compile_errors.join("; ")
            ),
        });
    }
    if let Some(error) = raw.report.and_then(|r| r.error) {
        if !error.trim().is_empty() {
            out.failures.push(LintFailure {
                kind: FailureKind::Load,
                message: format!("golangci-lint could not load the packages: {error}"),
            });
        }
    }
    Ok(out)
}

/// golangci-lint prefixes the compiler's text with `: # package\n`.
fn compile_error_text(text: &str) -> String {
    text.lines()
        .map(|l| l.trim_start_matches(": ").trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("; ")
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn to_usize(n: i64) -> Option<usize> {
    usize::try_from(n).ok()
}

fn convert(raw: RawIssue, base: &Path) -> Option<LintIssue> {
    if raw.pos.filename.is_empty() || raw.pos.line <= 0 {
        return None;
    }
    let file = base.join(&raw.pos.filename);
    let start = LinePos {
        line: to_u32(raw.pos.line),
        column: to_u32(raw.pos.column),
    };
    let span = match &raw.line_range {
        Some(range) if range.to > range.from && range.from > 0 => Span::Lines {
            from: to_u32(range.from),
            to: to_u32(range.to),
            // The reported column holds where the range starts on its
            // first line.
            column: if range.from == raw.pos.line {
                start.column
            } else {
                0
            },
        },
        _ => Span::Point { start },
    };
    let mut fixes: Vec<SuggestedFix> = raw
        .suggested_fixes
        .unwrap_or_default()
        .into_iter()
        .filter_map(|fix| {
            let edits = fix
                .text_edits
                .unwrap_or_default()
                .into_iter()
                .map(byte_edit)
                .collect::<Option<Vec<_>>>()?;
            (!edits.is_empty()).then_some(SuggestedFix {
                message: fix.message,
                edits,
            })
        })
        .collect();
    if let Some(replacement) = raw.replacement {
        let (from, to) = match &raw.line_range {
            Some(r) if r.from > 0 && r.to >= r.from => (to_u32(r.from), to_u32(r.to)),
            _ => (start.line, start.line),
        };
        if let Some(edit) = replacement_edit(replacement, from, to, start.line) {
            fixes.push(SuggestedFix {
                message: String::new(),
                edits: vec![edit],
            });
        }
    }
    let severity = raw.severity.filter(|s| !s.trim().is_empty());
    Some(LintIssue {
        file,
        linter: raw.from_linter,
        message: raw.text,
        severity,
        span,
        offset: raw.pos.offset.and_then(to_usize),
        fixes,
    })
}

/// A v2 text edit; an edit with negative or reversed offsets, or text that is
/// not base64, makes the whole fix unusable.
fn byte_edit(raw: RawTextEdit) -> Option<FixEdit> {
    let start = to_usize(raw.pos)?;
    let end = to_usize(raw.end)?;
    if end < start {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw.new_text.unwrap_or_default())
        .ok()?;
    let new_text = String::from_utf8(bytes).ok()?;
    Some(FixEdit::Bytes(ByteEdit {
        start,
        end,
        new_text,
    }))
}

/// v1's `Replacement`: inline when it says so, else whole lines.
fn replacement_edit(raw: RawReplacement, from: u32, to: u32, line: u32) -> Option<FixEdit> {
    if let Some(inline) = raw.inline {
        return Some(FixEdit::Inline {
            line,
            start_column: to_usize(inline.start_col)?,
            length: to_usize(inline.length)?,
            new_text: inline.new_string,
        });
    }
    if raw.need_only_delete {
        return Some(FixEdit::Lines {
            from,
            to,
            new_lines: Vec::new(),
        });
    }
    let new_lines = raw.new_lines?;
    Some(FixEdit::Lines {
        from,
        to,
        new_lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn base() -> PathBuf {
        PathBuf::from("/ws")
    }

    #[test]
    fn a_v2_issue_with_a_suggested_fix_keeps_its_byte_edit_decoded() {
        let json = r#"{"Issues":[{"FromLinter":"misspell","Text":"`Recieve` is a misspelling of `Receive`","Severity":"","SourceLines":["// Recieve"],"Pos":{"Filename":"pkg/a.go","Offset":41,"Line":8,"Column":4},"SuggestedFixes":[{"Message":"","TextEdits":[{"Pos":41,"End":48,"NewText":"UmVjZWl2ZQ=="}]}],"ExpectNoLint":false,"ExpectedNoLintLinter":""}],"Report":{"Linters":[]}}"#;
        let out = parse(json, &base());
        assert!(out.failures.is_empty());
        let issue = &out.issues[0];
        assert_eq!(issue.file, PathBuf::from("/ws/pkg/a.go"));
        assert_eq!(issue.linter, "misspell");
        assert_eq!(issue.severity, None, "an empty severity means none");
        assert_eq!(issue.offset, Some(41));
        assert_eq!(
            issue.span,
            Span::Point {
                start: LinePos { line: 8, column: 4 }
            }
        );
        assert_eq!(
            issue.fixes[0].edits,
            [FixEdit::Bytes(ByteEdit {
                start: 41,
                end: 48,
                new_text: "Receive".into()
            })]
        );
    }

    #[test]
    fn absolute_file_names_stay_as_they_are() {
        let json = r#"{"Issues":[{"FromLinter":"errcheck","Text":"t","Pos":{"Filename":"/abs/a.go","Line":3,"Column":2}}]}"#;
        assert_eq!(
            parse(json, &base()).issues[0].file,
            PathBuf::from("/abs/a.go")
        );
    }

    #[test]
    fn typecheck_issues_are_a_failure_not_findings() {
        let json = r#"{"Issues":[{"FromLinter":"typecheck","Text":": # example.com/x/broken\nbroken/b.go:3:23: cannot use \"x\" (untyped string constant) as int value in return statement","Pos":{"Filename":"/ws/broken/b.go","Line":1,"Column":0}}],"Report":{}}"#;
        let out = parse(json, &base());
        assert!(out.issues.is_empty());
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].kind, FailureKind::TypeCheck);
        assert!(
            out.failures[0]
                .message
                .contains("broken/b.go:3:23: cannot use \"x\""),
            "{}",
            out.failures[0].message
        );
        assert!(!out.failures[0].message.contains('#'));
    }

    #[test]
    fn a_report_error_is_a_load_failure() {
        let json = r#"{"Issues":[],"Report":{"Error":"typechecking error: stat /ws/nonexist: directory not found"}}"#;
        let out = parse(json, &base());
        assert_eq!(out.failures[0].kind, FailureKind::Load);
        assert!(out.failures[0].message.contains("directory not found"));
    }

    #[test]
    fn the_statistics_after_the_document_are_not_part_of_it() {
        // golangci-lint 2.15.0's `run --output.json.path=stdout`, without
        // --show-stats=false, on a CRLF file godot flags.
        let text = "{\"Issues\":[{\"FromLinter\":\"godot\",\"Text\":\"Comment should end in a period\",\"Severity\":\"\",\"SourceLines\":[\"// Add adds two numbers\"],\"Pos\":{\"Filename\":\"a.go\",\"Offset\":16,\"Line\":3,\"Column\":1},\"SuggestedFixes\":[{\"Message\":\"\",\"TextEdits\":[{\"Pos\":16,\"End\":40,\"NewText\":\"Ly8gQWRkIGFkZHMgdHdvIG51bWJlcnMuDQ==\"}]}],\"ExpectNoLint\":false,\"ExpectedNoLintLinter\":\"\"}],\"Report\":{\"Linters\":[{\"Name\":\"godot\",\"Enabled\":true}]}}\n1 issues:\n* godot: 1\n";
        let out = read_report(text, &base()).unwrap();
        assert_eq!(out.issues.len(), 1);
        assert_eq!(out.issues[0].linter, "godot");
        assert!(out.failures.is_empty());
    }

    #[test]
    fn a_document_that_is_not_golangci_lints_report_is_refused_saying_why() {
        // golangci-lint 2.15.0's own --output.sarif.path, shortened.
        let sarif = r#"{"version":"2.1.0","$schema":"https://schemastore.azurewebsites.net/schemas/json/sarif-2.1.0-rtm.6.json","runs":[{"tool":{"driver":{"name":"golangci-lint"}},"results":[]}]}"#;
        assert_eq!(read_report(sarif, &base()), Err(ReportError::Sarif));
        for empty in ["{}", r#"{"Report":{}}"#, r#"{"issues":[]}"#] {
            assert_eq!(
                read_report(empty, &base()),
                Err(ReportError::NoIssues),
                "{empty}"
            );
        }
        assert!(matches!(
            read_report("1 issues:\n* godot: 1\n", &base()),
            Err(ReportError::NotJson(_))
        ));
        let failure = &parse("{}", &base()).failures[0];
        assert_eq!(failure.kind, FailureKind::Output);
        assert!(
            failure.message.contains("no \"Issues\" list"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn null_issues_mean_none() {
        let out = parse(r#"{"Issues":null,"Report":{}}"#, &base());
        assert_eq!(out, LintOutput::default());
    }

    #[test]
    fn malformed_and_truncated_json_is_an_output_failure() {
        for text in [
            "",
            "{",
            "not json",
            r#"{"Issues":[{"FromLinter":"x","Pos":{"Filename":"a.go","Line":1"#,
            "[]",
        ] {
            let out = parse(text, &base());
            assert!(out.issues.is_empty(), "{text}");
            assert_eq!(out.failures.len(), 1, "{text}");
            assert_eq!(out.failures[0].kind, FailureKind::Output);
            assert!(out.failures[0]
                .message
                .starts_with("golangci-lint's JSON output could not be read"));
        }
    }

    #[test]
    fn bad_edits_drop_the_fix_but_keep_the_issue() {
        let json = r#"{"Issues":[{"FromLinter":"gofmt","Text":"t","Pos":{"Filename":"a.go","Line":2,"Column":1},"SuggestedFixes":[{"TextEdits":[{"Pos":9,"End":3,"NewText":""}]},{"TextEdits":[{"Pos":1,"End":3,"NewText":"!!!notbase64"}]},{"TextEdits":[{"Pos":-1,"End":3,"NewText":""}]}]}]}"#;
        let out = parse(json, &base());
        assert_eq!(out.issues.len(), 1);
        assert!(out.issues[0].fixes.is_empty());
    }

    #[test]
    fn issues_without_a_file_or_line_are_dropped() {
        let json = r#"{"Issues":[{"FromLinter":"x","Text":"t","Pos":{"Filename":"","Line":1}},{"FromLinter":"x","Text":"t","Pos":{"Filename":"a.go","Line":0}}]}"#;
        assert!(parse(json, &base()).issues.is_empty());
    }

    #[test]
    fn v1_line_ranges_and_replacements_are_kept() {
        let json = r#"{"Issues":[
          {"FromLinter":"gofmt","Text":"File is not `gofmt`-ed","Pos":{"Filename":"a.go","Line":4,"Column":1},"LineRange":{"From":4,"To":6},"Replacement":{"NeedOnlyDelete":false,"NewLines":["\tx := 1","\ty := 2"],"Inline":null}},
          {"FromLinter":"whitespace","Text":"unnecessary trailing newline","Pos":{"Filename":"a.go","Line":9,"Column":1},"Replacement":{"NeedOnlyDelete":true,"NewLines":null,"Inline":null}},
          {"FromLinter":"misspell","Text":"`teh` is a misspelling of `the`","Pos":{"Filename":"a.go","Line":2,"Column":4},"Replacement":{"NeedOnlyDelete":false,"NewLines":null,"Inline":{"StartCol":3,"Length":3,"NewString":"the"}}}
        ]}"#;
        let out = parse(json, &base());
        assert_eq!(
            out.issues[0].span,
            Span::Lines {
                from: 4,
                to: 6,
                column: 1
            }
        );
        assert_eq!(
            out.issues[0].fixes[0].edits,
            [FixEdit::Lines {
                from: 4,
                to: 6,
                new_lines: vec!["\tx := 1".into(), "\ty := 2".into()]
            }]
        );
        assert_eq!(
            out.issues[1].fixes[0].edits,
            [FixEdit::Lines {
                from: 9,
                to: 9,
                new_lines: vec![]
            }]
        );
        assert_eq!(
            out.issues[2].fixes[0].edits,
            [FixEdit::Inline {
                line: 2,
                start_column: 3,
                length: 3,
                new_text: "the".into()
            }]
        );
    }

    #[test]
    fn the_config_severity_comes_through() {
        let json = r#"{"Issues":[{"FromLinter":"errcheck","Text":"t","Severity":"error","Pos":{"Filename":"a.go","Line":1,"Column":1}}]}"#;
        assert_eq!(
            parse(json, &base()).issues[0].severity.as_deref(),
            Some("error")
        );
    }
}
