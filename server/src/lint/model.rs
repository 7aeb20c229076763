//! What a lint run produced, independent of the tool that produced it: issues
//! with byte positions (as the linters report them), suggested fixes as byte
//! edits, and the linter's own failures kept apart from findings.

use std::path::PathBuf;

use serde::Serialize;

/// An edit of a file's bytes: replace `start..end` with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ByteEdit {
    pub start: usize,
    pub end: usize,
    pub new_text: String,
}

/// A position as a linter reports it: 1-based line, 1-based byte column
/// (0 when the linter names only the line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinePos {
    pub line: u32,
    pub column: u32,
}

/// Where an issue lies; the richest form the linter gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Span {
    /// A start position only (golangci-lint v2); the end is worked out from
    /// the text.
    Point { start: LinePos },
    /// Lines `from..=to` (golangci-lint's LineRange: dupl, revive, v1's
    /// formatters), from 1-based byte `column` on `from` when the tool named
    /// one (revive's empty block starts at its `{`), else from the line's
    /// start (0).
    Lines {
        from: u32,
        to: u32,
        #[serde(skip_serializing_if = "is_zero")]
        column: u32,
    },
    /// An exact start and end (go vet's `posn` and `end`).
    Range { start: LinePos, end: LinePos },
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// One edit of a suggested fix, in the form the tool gave it. Byte offsets
/// need no text to apply; the line forms are turned into bytes against the
/// file as it was linted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FixEdit {
    /// golangci-lint v2 (and v1.64) `TextEdits`, go vet's `edits`.
    Bytes(ByteEdit),
    /// golangci-lint v1 `Replacement.NewLines` / `NeedOnlyDelete`: lines
    /// `from..=to` (1-based) replaced by `new_lines` (none: deleted).
    Lines {
        from: u32,
        to: u32,
        new_lines: Vec<String>,
    },
    /// golangci-lint v1 `Replacement.Inline`: on 1-based `line`, `length`
    /// bytes from the 0-based byte column `start_column` replaced.
    Inline {
        line: u32,
        start_column: usize,
        length: usize,
        new_text: String,
    },
}

/// A fix the linter suggests, applied as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedFix {
    pub message: String,
    /// Edits of the issue's own file.
    pub edits: Vec<FixEdit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintIssue {
    /// Absolute path of the file.
    pub file: PathBuf,
    /// The linter inside the tool: `errcheck`, `govet`, `printf` (go vet's analyzer)...
    pub linter: String,
    pub message: String,
    /// The severity the tool gave (its config's severity rules applied), if any.
    pub severity: Option<String>,
    pub span: Span,
    /// Byte offset of the start, when the tool gives it.
    pub offset: Option<usize>,
    pub fixes: Vec<SuggestedFix>,
}

/// Why a run gave no (or incomplete) results: the linter's own failure, not
/// a finding about the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FailureKind {
    /// The tool's configuration is invalid (unknown linter, bad YAML...).
    Config,
    /// The code does not compile, so linters could not run on it.
    TypeCheck,
    /// The packages could not be loaded (missing directory, bad go.mod...).
    Load,
    /// The tool crashed (a Go panic) or was killed.
    Crash,
    /// The tool's output could not be understood.
    Output,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintFailure {
    pub kind: FailureKind,
    pub message: String,
}

/// Which tool ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolKind {
    GolangciLint,
    GoVet,
}

impl ToolKind {
    /// The tool whose diagnostics have `source`.
    pub fn from_source(source: &str) -> Option<ToolKind> {
        [ToolKind::GolangciLint, ToolKind::GoVet]
            .into_iter()
            .find(|t| t.source() == source)
    }

    /// The `source` of its diagnostics.
    pub fn source(self) -> &'static str {
        match self {
            ToolKind::GolangciLint => "golangci-lint",
            ToolKind::GoVet => "go vet",
        }
    }
}

/// Everything one run produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LintOutput {
    pub issues: Vec<LintIssue>,
    pub failures: Vec<LintFailure>,
}

/// How loud an issue is in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    /// The level for a tool's severity word; golangci-lint applies the
    /// config's severity rules before it prints, so this is all there is.
    /// No severity (the default) is a warning.
    pub fn of(severity: Option<&str>) -> Level {
        match severity.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
            Some("error" | "high" | "critical" | "blocker" | "major") => Level::Error,
            Some("info" | "information" | "low" | "minor") => Level::Info,
            Some("hint" | "note" | "style") => Level::Hint,
            _ => Level::Warning,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Hint => "hint",
        }
    }
}

/// golangci-lint's (and nolintlint's) linter name shape, `[\w-]+` in
/// ASCII; also what may be written into a `//nolint` comment, YAML and JSON
/// unquoted or without escapes.
pub fn is_linter_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Where a linter's documentation is.
pub fn doc_url(tool: ToolKind, linter: &str) -> String {
    match tool {
        ToolKind::GolangciLint => format!("https://golangci-lint.run/usage/linters/#{linter}"),
        ToolKind::GoVet => {
            format!("https://pkg.go.dev/golang.org/x/tools/go/analysis/passes/{linter}")
        }
    }
}
