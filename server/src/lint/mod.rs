//! Lint into the Problems panel: run golangci-lint (or `go vet` when it is
//! missing) on exactly the saved package, map its JSON to exact LSP ranges,
//! and turn its suggested fixes into quick fixes.

pub mod config_edit;
pub mod config_major;
pub mod golangci;
pub mod imports;
pub mod mapping;
pub mod model;
pub mod output;
pub mod runner;
pub mod scope;
pub mod suppress;
pub mod tool;
pub mod vet;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::exec::ProcessRunner;
use crate::finding::{Finding, Position, Range, Severity, Subject};
use crate::text::LineIndex;
use crate::toolchain::Locator;
use model::{doc_url, Level, LintIssue, Span, ToolKind};
use tool::Linter;

/// An issue placed in the file it names, as that file was when it was read:
/// a [`Finding`] (code: the linter, doc: its page, fixes: the linter's
/// suggestions), with the facts only lint has next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Linted {
    pub finding: Finding,
    /// Where the tool said it is, as it said it (1-based line, byte column).
    pub reported: Span,
    /// The tool's own level, finer than a severity (a hint).
    pub level: Level,
}

impl Linted {
    pub fn path(&self) -> &Path {
        self.finding.path().unwrap_or(Path::new(""))
    }

    pub fn range(&self) -> Range {
        self.finding.range().unwrap_or_default()
    }
}

/// A level as one of the severities every finding has (a hint is info).
pub fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info | Level::Hint => Severity::Info,
    }
}

/// `basis`: the hash of the file's text the issue was placed on (None when
/// the file could not be read: then no fix is ever offered).
fn linted(tool: ToolKind, issue: LintIssue, at: mapping::Placement, basis: Option<u64>) -> Linted {
    let level = Level::of(issue.severity.as_deref());
    let mut finding = Finding::new(
        issue.linter.clone(),
        severity(level),
        issue.message,
        Subject::file(issue.file, at.range),
    )
    .with_doc(doc_url(tool, &issue.linter));
    finding.fixes = at.fixes;
    finding.basis = basis;
    Linted {
        finding,
        reported: issue.span,
        level,
    }
}

pub fn text_hash(text: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// A source file a lint report names, read to place its issues: a regular
/// file of at most [`crate::fsread::Kind::ReportedSource`]'s cap, or None (a
/// report can name /dev/zero or a FIFO).
pub fn read_reported_source(path: &Path) -> Option<String> {
    crate::fsread::read_to_string(path, crate::fsread::Kind::ReportedSource)
        .map_err(|e| {
            if !e.is_not_found() {
                tracing::warn!("{e}");
            }
        })
        .ok()
}

/// [`place_issues`] with [`read_reported_source`] on a blocking thread, for
/// async callers (so timeouts and cancellation still work).
pub async fn place_issues_off_thread(tool: ToolKind, issues: Vec<LintIssue>) -> Vec<Linted> {
    tokio::task::spawn_blocking(move || place_issues(tool, issues, read_reported_source))
        .await
        .unwrap_or_default()
}

/// Places every issue in its file, reading each file once with `read`. An
/// issue in a file that cannot be read keeps a range at its reported line.
pub fn place_issues(
    tool: ToolKind,
    issues: Vec<LintIssue>,
    mut read: impl FnMut(&Path) -> Option<String>,
) -> Vec<Linted> {
    let mut by_file: BTreeMap<PathBuf, Vec<LintIssue>> = BTreeMap::new();
    for issue in issues {
        by_file.entry(issue.file.clone()).or_default().push(issue);
    }
    let mut placed = Vec::new();
    for (file, issues) in by_file {
        let Some(text) = read(&file) else {
            placed.extend(issues.into_iter().map(|issue| {
                let at = unplaced(&issue);
                linted(tool, issue, at, None)
            }));
            continue;
        };
        let index = LineIndex::new(&text);
        let hash = text_hash(&text);
        for issue in issues {
            let at = mapping::place(&issue, &index);
            placed.push(linted(tool, issue, at, Some(hash)));
        }
    }
    // In reading order, as an editor lists them.
    placed.sort_by(|a, b| {
        (a.path(), a.range().start, &a.finding.code).cmp(&(
            b.path(),
            b.range().start,
            &b.finding.code,
        ))
    });
    placed
}

/// An issue whose file cannot be read: where the tool said, taking its
/// columns as they are, and no fixes (they cannot be checked against the text).
fn unplaced(issue: &LintIssue) -> mapping::Placement {
    let at =
        |line: u32, column: u32| Position::new(line.saturating_sub(1), column.saturating_sub(1));
    let range = match &issue.span {
        model::Span::Point { start } => {
            Range::new(at(start.line, start.column), at(start.line, start.column))
        }
        model::Span::Range { start, end } => {
            Range::new(at(start.line, start.column), at(end.line, end.column))
        }
        model::Span::Lines { from, to, column } => Range::new(at(*from, *column), at(*to, 0)),
    };
    mapping::Placement {
        range,
        fixes: Vec::new(),
    }
}

/// The linter to use: the first golangci-lint in the locator's search order
/// (PATH, then Go's install directory, `install_dir`, as
/// [`Locator::read_install_dir`] gives it) that answers, else `go vet`
/// through the `go` on PATH.
pub async fn find_linter(
    runner: &dyn ProcessRunner,
    locator: &Locator,
    install_dir: Option<&Path>,
) -> Option<Linter> {
    for candidate in locator.all("golangci-lint", install_dir) {
        match Linter::golangci(runner, &candidate).await {
            Ok(linter) => return Some(linter),
            Err(e) => tracing::warn!("ignoring {}: {e}", candidate.display()),
        }
    }
    locator.go().map(|go| Linter::go_vet(&go))
}

/// Lints each module's patterns in turn and places the issues in their files
/// (read from disk).
pub async fn lint_targets(
    runner: &dyn ProcessRunner,
    linter: &Linter,
    targets: &BTreeMap<PathBuf, Vec<String>>,
    timeout: std::time::Duration,
) -> output::Report {
    let mut runs = Vec::new();
    for (root, patterns) in targets {
        let started = std::time::Instant::now();
        let (issues, failures) = match runner::run(runner, linter, root, patterns, timeout).await {
            Ok(out) => (out.issues, out.failures),
            Err(e) => (
                Vec::new(),
                vec![model::LintFailure {
                    kind: model::FailureKind::Crash,
                    message: e.to_string(),
                }],
            ),
        };
        let issues = place_issues_off_thread(linter.kind, issues).await;
        runs.push(output::ModuleRun {
            module_root: root.clone(),
            patterns: patterns.clone(),
            issues,
            failures,
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
    }
    output::Report {
        tool: linter.kind,
        linter: linter.describe(),
        runs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// golangci-lint v2 JSON with `n` issues, one per line of `file`.
    fn many_issues(file: &str, n: usize) -> String {
        let mut json = String::from("{\"Issues\":[");
        for i in 0..n {
            if i > 0 {
                json.push(',');
            }
            let _ = write!(
                json,
                "{{\"FromLinter\":\"misspell\",\"Text\":\"t{i}\",\"Pos\":{{\"Filename\":\"{file}\",\"Line\":{},\"Column\":2}},\"SuggestedFixes\":[{{\"TextEdits\":[{{\"Pos\":{},\"End\":{},\"NewText\":\"eQ==\"}}]}}]}}",
                i + 1,
                i * 3 + 1,
                i * 3 + 2
            );
        }
        json.push_str("],\"Report\":{}}");
        json
    }

    #[test]
    fn a_hundred_thousand_issues_are_all_placed_correctly() {
        let n = 100_000;
        let text: String = "日x\n".repeat(n).replace('日', "a");
        let out = golangci::parse(&many_issues("/f.go", n), Path::new("/"));
        assert!(out.failures.is_empty());
        let placed = place_issues(ToolKind::GolangciLint, out.issues, |_| Some(text.clone()));
        assert_eq!(placed.len(), n);
        for (i, p) in placed.iter().enumerate().step_by(9_973) {
            assert_eq!(p.finding.message, format!("t{i}"));
            let line = u32::try_from(i).unwrap();
            assert_eq!(p.range().start.line, line);
            assert_eq!(p.range().start.character, 1);
            assert_eq!(p.finding.fixes[0].edits[0].new_text, "y");
            assert_eq!(p.finding.fixes[0].edits[0].range.start.line, line);
        }
    }

    #[test]
    fn a_truncated_huge_output_is_an_error_not_a_crash() {
        let json = many_issues("/f.go", 100_000);
        for cut in [json.len() / 2, json.len() - 1, 17] {
            let out = golangci::parse(&json[..cut], Path::new("/"));
            assert!(out.issues.is_empty());
            assert_eq!(out.failures[0].kind, model::FailureKind::Output);
        }
    }

    #[test]
    fn issues_in_files_that_cannot_be_read_still_get_a_line_range() {
        let json = r#"{"Issues":[{"FromLinter":"x","Text":"t","Pos":{"Filename":"/gone.go","Line":3,"Column":4}}]}"#;
        let issues = golangci::parse(json, Path::new("/")).issues;
        let placed = place_issues(ToolKind::GolangciLint, issues, |_| None);
        assert_eq!(placed.len(), 1);
        assert!(placed[0].finding.fixes.is_empty());
        assert_eq!(placed[0].range().start, Position::new(2, 3));
        assert_eq!(placed[0].finding.code, "x");
        assert_eq!(
            placed[0].finding.doc.as_deref(),
            Some("https://golangci-lint.run/usage/linters/#x")
        );
    }
}
