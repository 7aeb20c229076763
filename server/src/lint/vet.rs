//! `go vet -json` output to issues and failures: a stream of JSON objects,
//! `{package: {analyzer: [diagnostic...] | {"error": text}}}`, possibly
//! interleaved with `# package` lines (older Go wrote it all to stderr).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::model::{
    ByteEdit, FailureKind, FixEdit, LinePos, LintFailure, LintIssue, LintOutput, Span, SuggestedFix,
};

#[derive(Deserialize)]
#[serde(untagged)]
enum AnalyzerResult {
    Diagnostics(Vec<RawDiagnostic>),
    Error { error: String },
}

#[derive(Deserialize)]
struct RawDiagnostic {
    posn: String,
    #[serde(default)]
    end: Option<String>,
    #[serde(default)]
    message: String,
    #[serde(default)]
    suggested_fixes: Option<Vec<RawFix>>,
}

#[derive(Deserialize)]
struct RawFix {
    #[serde(default)]
    message: String,
    #[serde(default)]
    edits: Vec<RawEdit>,
}

#[derive(Deserialize)]
struct RawEdit {
    #[serde(default)]
    filename: String,
    start: usize,
    end: usize,
    #[serde(default)]
    new: String,
}

type PackageResults = BTreeMap<String, BTreeMap<String, AnalyzerResult>>;

/// Parses everything `go vet -json` printed (stdout and stderr together).
pub fn parse(text: &str) -> LintOutput {
    let mut out = LintOutput::default();
    // `# package` lines and compiler errors sit between the JSON objects.
    let json_only: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut stream = serde_json::Deserializer::from_str(&json_only).into_iter::<PackageResults>();
    loop {
        match stream.next() {
            None => break,
            Some(Ok(packages)) => collect(packages, &mut out),
            Some(Err(e)) => {
                let rest = json_only.get(stream.byte_offset()..).unwrap_or("").trim();
                out.failures.extend(text_failure(rest, &e));
                break;
            }
        }
    }
    out
}

/// Text that is not JSON: compiler errors (`file:line:col: message`) when
/// the code does not build; a broken JSON object is output we cannot read;
/// other text (`no Go files in ...`) is for the caller to judge by the exit
/// code.
fn text_failure(rest: &str, error: &serde_json::Error) -> Option<LintFailure> {
    let compile_errors: Vec<&str> = rest
        .lines()
        .map(str::trim)
        .filter(|l| split_position(l.split(": ").next().unwrap_or("")).is_some())
        .collect();
    if compile_errors.is_empty() {
        rest.starts_with('{').then(|| LintFailure {
            kind: FailureKind::Output,
            message: format!("go vet's JSON output could not be read: {error}"),
        })
    } else {
        Some(LintFailure {
            kind: FailureKind::TypeCheck,
            message: format!(
                "the code does not compile, so go vet did not run on it: {}",
                compile_errors.join("; ")
            ),
        })
    }
}

fn collect(packages: PackageResults, out: &mut LintOutput) {
    for (package, analyzers) in packages {
        for (analyzer, result) in analyzers {
            match result {
                AnalyzerResult::Error { error } => out.failures.push(LintFailure {
                    kind: FailureKind::Crash,
                    message: format!("go vet's {analyzer} failed on {package}: {error}"),
                }),
                AnalyzerResult::Diagnostics(diagnostics) => {
                    for d in diagnostics {
                        if let Some(issue) = convert(&analyzer, d) {
                            out.issues.push(issue);
                        }
                    }
                }
            }
        }
    }
}

/// `file:line:col` (the file may itself hold colons) to its parts.
fn split_position(posn: &str) -> Option<(&str, LinePos)> {
    let (rest, column) = posn.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    let line: u32 = line.parse().ok()?;
    let column: u32 = column.parse().ok()?;
    (!file.is_empty() && line > 0).then_some((file, LinePos { line, column }))
}

fn convert(analyzer: &str, raw: RawDiagnostic) -> Option<LintIssue> {
    let (file, start) = split_position(&raw.posn)?;
    let end = raw
        .end
        .as_deref()
        .and_then(split_position)
        .filter(|(end_file, end)| {
            *end_file == file && (end.line, end.column) > (start.line, start.column)
        })
        .map(|(_, end)| end);
    let span = match end {
        Some(end) => Span::Range { start, end },
        None => Span::Point { start },
    };
    let fixes = raw
        .suggested_fixes
        .unwrap_or_default()
        .into_iter()
        .filter_map(|fix| {
            // Only fixes that edit this file: a quick fix shows on one file.
            let edits = fix
                .edits
                .into_iter()
                .map(|e| {
                    (e.filename == file && e.end >= e.start).then_some(FixEdit::Bytes(ByteEdit {
                        start: e.start,
                        end: e.end,
                        new_text: e.new,
                    }))
                })
                .collect::<Option<Vec<_>>>()?;
            (!edits.is_empty()).then_some(SuggestedFix {
                message: fix.message,
                edits,
            })
        })
        .collect();
    Some(LintIssue {
        file: file.into(),
        linter: analyzer.to_string(),
        message: raw.message,
        severity: None,
        span,
        offset: None,
        fixes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const GO_1_26_OUTPUT: &str = r#"{
	"example.com/lintplay/pkg": {
		"printf": [
			{
				"posn": "/tmp/lintplay/pkg/a.go:13:14",
				"end": "/tmp/lintplay/pkg/a.go:13:16",
				"message": "fmt.Printf format %d has arg \"s\" of wrong type string"
			}
		]
	}
}
"#;

    #[test]
    fn a_diagnostic_keeps_its_exact_start_and_end() {
        let out = parse(GO_1_26_OUTPUT);
        assert!(out.failures.is_empty());
        let issue = &out.issues[0];
        assert_eq!(issue.file, PathBuf::from("/tmp/lintplay/pkg/a.go"));
        assert_eq!(issue.linter, "printf");
        assert_eq!(
            issue.span,
            Span::Range {
                start: LinePos {
                    line: 13,
                    column: 14
                },
                end: LinePos {
                    line: 13,
                    column: 16
                }
            }
        );
    }

    #[test]
    fn package_comment_lines_and_several_objects_are_read() {
        let text = format!("# example.com/a\n{GO_1_26_OUTPUT}# example.com/b\n{GO_1_26_OUTPUT}");
        assert_eq!(parse(&text).issues.len(), 2);
    }

    #[test]
    fn suggested_fixes_on_the_same_file_become_byte_edits() {
        let text = r#"{"p":{"a":[{"posn":"/x/a.go:1:1","message":"m","suggested_fixes":[{"message":"Remove","edits":[{"filename":"/x/a.go","start":3,"end":7,"new":""}]},{"message":"elsewhere","edits":[{"filename":"/x/b.go","start":0,"end":1,"new":""}]}]}]}}"#;
        let issue = &parse(text).issues[0];
        assert_eq!(issue.fixes.len(), 1);
        assert_eq!(issue.fixes[0].message, "Remove");
        assert_eq!(
            issue.fixes[0].edits,
            [FixEdit::Bytes(ByteEdit {
                start: 3,
                end: 7,
                new_text: String::new()
            })]
        );
    }

    #[test]
    fn an_analyzer_error_is_a_failure() {
        let out = parse(r#"{"p":{"printf":{"error":"boom"}}}"#);
        assert_eq!(out.failures[0].kind, FailureKind::Crash);
        assert!(out.failures[0].message.contains("boom"));
    }

    #[test]
    fn compiler_errors_are_a_typecheck_failure() {
        let out = parse("# example.com/x/broken\nbroken/b.go:3:23: cannot use \"x\" (untyped string constant) as int value in return statement\n");
        assert_eq!(out.failures.len(), 1);
        assert_eq!(out.failures[0].kind, FailureKind::TypeCheck);
        assert!(out.failures[0].message.contains("broken/b.go:3:23"));
    }

    #[test]
    fn garbage_and_truncation_are_output_failures() {
        for text in ["{", "{\"p\": {\"a\": [{\"posn\": \"/x/a.go:1"] {
            let out = parse(text);
            assert_eq!(out.failures.len(), 1, "{text}");
            assert_eq!(out.failures[0].kind, FailureKind::Output, "{text}");
        }
        assert_eq!(parse(""), LintOutput::default());
        assert_eq!(
            parse("no Go files in /x"),
            LintOutput::default(),
            "plain text is judged by the exit code"
        );
    }

    #[test]
    fn positions_with_colons_in_the_file_name_split_from_the_right() {
        assert_eq!(
            split_position("/a:b/c.go:3:4"),
            Some(("/a:b/c.go", LinePos { line: 3, column: 4 }))
        );
        assert_eq!(split_position("c.go:x:4"), None);
        assert_eq!(split_position(":3:4"), None);
    }
}
