//! The one finding model: every job (health checks, SSH config rules, the
//! remote doctor, the debugger preflight, lint) reports what it found as
//! [`Finding`]s, and every place a user sees one (the Problems panel, the
//! CLI's text, JSON, SARIF, Markdown and HTML) is made from this type.
//!
//! It knows nothing of LSP: positions are its own [`Position`]s (0-based
//! line, UTF-16 column, the convention LSP and VS Code share), converted at
//! the `lsp` edge. A job returns findings plus facts of its own (the fleet
//! table, the process list, cache sizes); facts stay in the job's module.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered by gravity, so `max` gives the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a text: 0-based line, UTF-16 code-unit column.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

impl Position {
    pub fn new(line: u32, character: u32) -> Self {
        Position { line, character }
    }
}

/// A half-open span of text, `start..end`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Range {
    pub start: Position,
    pub end: Position,
}

impl Range {
    pub fn new(start: Position, end: Position) -> Self {
        Range { start, end }
    }

    /// The whole of line `line` up to column `end` (a typical "this line" range).
    pub fn line(line: u32, end: u32) -> Self {
        Range::new(Position::new(line, 0), Position::new(line, end))
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Subject {
    /// A span of a file (an ssh config line, a Go source range, go.mod).
    File { path: PathBuf, range: Range },
    /// A host as the user names it (`Host` alias or `user@host`).
    Host { host: String },
    /// A running process.
    Process {
        pid: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// A Go module as `path@version` (one that still needs the network).
    Module { module: String },
    /// A whole file, no span of it: a core dump, an executable.
    Artifact { path: PathBuf },
    /// The workspace or machine as a whole (a missing tool, a setting).
    Workspace,
}

impl Subject {
    /// A span of a file.
    pub fn file(path: impl Into<PathBuf>, range: Range) -> Self {
        Subject::File {
            path: path.into(),
            range,
        }
    }
}

/// One replacement in one file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Edit {
    pub path: PathBuf,
    pub range: Range,
    pub new_text: String,
}

/// A way out of a finding: edits to apply, a command to run (argv, never a
/// shell string), or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Whether it may be applied unattended (`gord ssh fix`, fix-all on save).
    #[serde(default)]
    pub safe: bool,
}

impl Fix {
    /// Advice only: a title, nothing to apply.
    pub fn advice(title: impl Into<String>) -> Self {
        Fix {
            title: title.into(),
            edits: Vec::new(),
            command: None,
            safe: false,
        }
    }

    /// A command to run, as argv.
    pub fn run<I, S>(title: impl Into<String>, argv: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Fix {
            command: Some(argv.into_iter().map(Into::into).collect()),
            ..Fix::advice(title)
        }
    }

    /// Edits to apply.
    pub fn edits(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            edits,
            ..Fix::advice(title)
        }
    }

    /// Marks the fix as safe to apply unattended.
    pub fn safe(mut self) -> Self {
        self.safe = true;
        self
    }
}

/// Another place that explains the finding (the `Host` block that set a
/// value, the file an `Include` came from).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Related {
    pub path: PathBuf,
    pub range: Range,
    pub message: String,
}

/// One problem, wherever it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's stable id (`SSH012`, `GO006`, `RMT003`, `DBG004`, or a
    /// linter's name such as `errcheck`).
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub subject: Subject,
    /// More text: what the tool itself said, the reason behind the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    /// The rule page, relative to the docs root (`docs/rules/SSH012.md`), or
    /// an absolute URL for rules gord does not own (a linter's page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// A hash of the text the range and fixes were computed on (a linted
    /// file; for the SSH rules, the config and every file it includes), for
    /// a finding on text the user edits: a fix is applied only while the
    /// text still hashes the same. Not part of any report.
    #[serde(skip)]
    pub basis: Option<u64>,
}

impl Finding {
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        subject: Subject,
    ) -> Self {
        Finding {
            code: code.into(),
            severity,
            message: message.into(),
            subject,
            detail: None,
            fixes: Vec::new(),
            doc: None,
            related: Vec::new(),
            basis: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }

    pub fn with_doc(mut self, doc: impl Into<String>) -> Self {
        self.doc = Some(doc.into());
        self
    }

    /// The page of one of gord's own rules: `docs/rules/<code>.md`.
    pub fn with_rule_page(self) -> Self {
        let page = format!("docs/rules/{}.md", self.code);
        self.with_doc(page)
    }

    pub fn with_related(mut self, related: Related) -> Self {
        self.related.push(related);
        self
    }

    /// The file and range, when the subject is a span of a file.
    pub fn file_range(&self) -> Option<(&std::path::Path, Range)> {
        match &self.subject {
            Subject::File { path, range } => Some((path.as_path(), *range)),
            _ => None,
        }
    }

    /// The file, when the subject is a span of a file.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.file_range().map(|(path, _)| path)
    }

    /// The range, when the subject is a span of a file.
    pub fn range(&self) -> Option<Range> {
        self.file_range().map(|(_, range)| range)
    }

    /// The first fix, the one a quick fix or `gord ssh fix` takes.
    pub fn fix(&self) -> Option<&Fix> {
        self.fixes.first()
    }
}

/// The worst severity among `findings`, if any.
pub fn worst(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_line(line: u32) -> Subject {
        Subject::File {
            path: PathBuf::from("/home/u/.ssh/config"),
            range: Range::line(line, 12),
        }
    }

    #[test]
    fn a_finding_serialises_with_its_subject_kind_and_camel_case_fields() {
        let finding = Finding::new("SSH012", Severity::Warning, "Unknown keyword", at_line(3))
            .with_rule_page()
            .with_fix(
                Fix::edits(
                    "Change to HostName",
                    vec![Edit {
                        path: PathBuf::from("/home/u/.ssh/config"),
                        range: Range::line(3, 8),
                        new_text: "HostName".into(),
                    }],
                )
                .safe(),
            );
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["subject"]["kind"], "file");
        assert_eq!(json["subject"]["range"]["end"]["character"], 12);
        assert_eq!(json["fixes"][0]["edits"][0]["newText"], "HostName");
        assert_eq!(json["fixes"][0]["safe"], true);
        assert_eq!(json["doc"], "docs/rules/SSH012.md");
        assert!(json.get("related").is_none(), "empty lists are left out");
        let back: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(back, finding);
    }

    #[test]
    fn the_worst_severity_is_the_maximum() {
        let findings = [
            Finding::new("A", Severity::Info, "", Subject::Workspace),
            Finding::new("B", Severity::Error, "", Subject::Host { host: "h".into() }),
            Finding::new("C", Severity::Warning, "", at_line(0)),
        ];
        assert_eq!(worst(&findings), Some(Severity::Error));
        assert_eq!(worst(&[]), None);
    }

    #[test]
    fn a_command_fix_keeps_its_argv_and_is_not_safe_by_default() {
        let fix = Fix::run(
            "Restrict the key",
            ["chmod", "600", "/home/u/.ssh/id_ed25519"],
        );
        assert_eq!(
            fix.command.as_deref(),
            Some(
                &[
                    "chmod".to_string(),
                    "600".into(),
                    "/home/u/.ssh/id_ed25519".into()
                ][..]
            )
        );
        assert!(!fix.safe);
        assert!(fix.edits.is_empty());
    }
}
