//! GO050–GO053: a golangci-lint config against the major version of the
//! installed golangci-lint, and the linter names v2 no longer takes.
//!
//! - GO050: a config without `version: "2"` under a v2 binary, or a v2
//!   config under a v1 binary: on the file's first line, quoting the
//!   linter's own error. Fixes: the minimal edit (`version: "2"`) when the
//!   config uses nothing v1-only; `golangci-lint migrate` (which keeps a
//!   copy as `.golangci.bck.<ext>` and drops comments); for a v1 binary,
//!   installing the pinned v2.
//! - GO051: a linter v2 removed or renamed, on its own line, with the
//!   replacement (an edit of the name's bytes, or removing the item).
//! - GO052: a formatter listed among the linters (v2 wants it under
//!   `formatters:`).
//! - GO053: a config gord cannot read exactly (YAML anchors, aliases,
//!   several documents, ...): said once, no edit.
//!
//! The names come from golangci-lint v2's own migration code
//! (`pkg/commands/internal/migrate/migrate_linter_names.go`:
//! `convertStaticcheckLinterNames`, `convertAlternativeNames`, the
//! deprecated list of `unknownLinterNames`, `getAllFormatterNames`) and the
//! v1 deprecation notes that name a replacement. Pure: text and facts in,
//! findings out.

use std::path::Path;

use super::config_edit::{self, ConfigFormat, ListedName, Outline};
use super::model::ByteEdit;
use crate::finding::{Edit, Finding, Fix, Position, Range, Severity, Subject};
use crate::text::LineIndex;

/// What v2 does with a v1 linter name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Merged into or renamed to another linter.
    Renamed(&'static str),
    /// Gone, with a linter that does the job now.
    Replaced(&'static str),
    /// Gone, with nothing in its place.
    Removed,
}

/// The v1 names v2 does not take, and what became of each.
pub fn fate(name: &str) -> Option<Fate> {
    Some(match name {
        // convertStaticcheckLinterNames: stylecheck and gosimple are
        // staticcheck's checks in v2.
        "gosimple" | "stylecheck" | "megacheck" => Fate::Renamed("staticcheck"),
        // convertAlternativeNames.
        "gas" => Fate::Renamed("gosec"),
        "goerr113" => Fate::Renamed("err113"),
        "gomnd" => Fate::Renamed("mnd"),
        "logrlint" => Fate::Renamed("loggercheck"),
        "vet" | "vetshadow" => Fate::Renamed("govet"),
        // The deprecated list; replacements from v1's deprecation notes.
        "tenv" => Fate::Replaced("usetesting"),
        "exportloopref" | "scopelint" => Fate::Replaced("copyloopvar"),
        "deadcode" | "structcheck" | "varcheck" => Fate::Replaced("unused"),
        "golint" | "nosnakecase" => Fate::Replaced("revive"),
        "exhaustivestruct" => Fate::Replaced("exhaustruct"),
        "maligned" => Fate::Replaced("govet"),
        "typecheck" | "execinquery" | "ifshort" | "interfacer" => Fate::Removed,
        _ => return None,
    })
}

/// The formatters of v2 that v1 listed as linters (`getAllFormatterNames`,
/// plus golines and swaggo, v2's own).
pub const FORMATTERS: [&str; 6] = ["gci", "gofmt", "gofumpt", "goimports", "golines", "swaggo"];

/// Top-level keys that mean the same in a v1 and a v2 config (and v2's
/// `formatters`, which a half-migrated config may already have).
const SHARED_TOP_KEYS: [&str; 2] = ["linters", "formatters"];
/// `linters` keys that mean the same in v1 and v2.
const SHARED_LINTERS_KEYS: [&str; 2] = ["enable", "disable"];

/// The installed golangci-lint, as far as GO050 needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binary {
    pub program: String,
    pub version: String,
    pub major: u8,
    /// What the binary said about this config (its error line), if it was
    /// run and refused it.
    pub error: Option<String>,
}

/// Everything the judge reads.
pub struct Inputs<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub format: ConfigFormat,
    pub binary: Option<&'a Binary>,
    /// `go install` argv for the pinned golangci-lint v2.
    pub install_v2: Option<Vec<String>>,
}

/// The config's own major version: 2 for `version: "2"`, 1 without a
/// `version`, None for any other value.
pub fn declared_major(outline: &Outline) -> Option<u8> {
    match &outline.version {
        None => Some(1),
        Some((v, _, _)) if v == "2" => Some(2),
        Some(_) => None,
    }
}

/// Whether adding `version: "2"` alone makes this v1 config a v2 one: it
/// uses only keys that mean the same in both and lists no formatter.
pub fn version_line_suffices(outline: &Outline) -> bool {
    outline
        .top_keys
        .iter()
        .all(|k| SHARED_TOP_KEYS.contains(&k.as_str()))
        && outline
            .linters_keys
            .iter()
            .all(|k| SHARED_LINTERS_KEYS.contains(&k.as_str()))
        && !outline.names.iter().any(|n| {
            n.section == "linters"
                && (FORMATTERS.contains(&n.name.as_str()) || fate(&n.name).is_some())
        })
}

/// The edit adding `version: "2"` at the top of the file (after a
/// byte-order mark; in JSON, as the object's first member).
pub fn version_edit(text: &str, format: ConfigFormat) -> Option<ByteEdit> {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    match format {
        // Before the first key: after a leading `---`, which would
        // otherwise start a second document holding the whole config.
        ConfigFormat::Yaml => {
            let mut line_start = at;
            for line in text.get(at..)?.split_inclusive('\n') {
                let trimmed = line.trim();
                let skip = trimmed.is_empty()
                    || trimmed.starts_with('#')
                    || trimmed == "---"
                    || trimmed.starts_with("--- #");
                if !skip {
                    break;
                }
                line_start += line.len();
            }
            let before = if text
                .get(..line_start)
                .is_some_and(|t| t.len() > at && !t.ends_with('\n'))
            {
                eol
            } else {
                ""
            };
            Some(ByteEdit {
                start: line_start,
                end: line_start,
                new_text: format!("{before}version: \"2\"{eol}"),
            })
        }
        ConfigFormat::Toml => Some(ByteEdit {
            start: at,
            end: at,
            new_text: format!("version = \"2\"{eol}"),
        }),
        ConfigFormat::Json => {
            let open = text.find('{')?;
            let rest = text.get(open + 1..)?.trim_start();
            let separator = if rest.starts_with('}') { "" } else { "," };
            let multiline = text
                .get(open + 1..)?
                .split_once(|c: char| !c.is_whitespace())
                .is_some_and(|(gap, _)| gap.contains('\n'));
            let new_text = if multiline {
                format!("{eol}  \"version\": \"2\"{separator}")
            } else {
                format!("\"version\": \"2\"{separator} ")
            };
            Some(ByteEdit {
                start: open + 1,
                end: open + 1,
                new_text,
            })
        }
    }
}

struct Judge<'a> {
    inputs: &'a Inputs<'a>,
    index: LineIndex<'a>,
    findings: Vec<Finding>,
}

impl Judge<'_> {
    fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.index.position(start), self.index.position(end))
    }

    fn first_line(&self) -> Range {
        let end = self.index.content_end(0);
        Range::new(Position::new(0, 0), self.index.position(end))
    }

    fn edit(&self, e: &ByteEdit) -> Edit {
        Edit {
            path: self.inputs.path.to_path_buf(),
            range: self.range(e.start, e.end),
            new_text: e.new_text.clone(),
        }
    }

    fn push(&mut self, mut finding: Finding) {
        finding.basis = Some(super::text_hash(self.inputs.text));
        self.findings.push(finding.with_rule_page());
    }
}

/// The migrate fix: golangci-lint's own command on this file.
fn migrate_fix(binary: &Binary, path: &Path) -> Fix {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let backup = match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.bck.{ext}"),
        None => format!("{name}.bck"),
    };
    Fix::run(
        format!(
            "Migrate to v2 with `golangci-lint migrate` (keeps the old file as {backup}; migrate drops comments)"
        ),
        [
            binary.program.clone(),
            "migrate".to_string(),
            "--config".to_string(),
            path.display().to_string(),
        ],
    )
}

/// Every finding of one golangci-lint config.
pub fn judge(inputs: &Inputs<'_>) -> Vec<Finding> {
    let mut judge = Judge {
        inputs,
        index: LineIndex::new(inputs.text),
        findings: Vec::new(),
    };
    let outline = config_edit::outline(inputs.text, inputs.format);
    let declared = match &outline {
        Ok(o) => declared_major(o),
        // Unreadable here: what the linter said, or a look at the text.
        Err(_) => Some(if rough_v2(inputs.text) { 2 } else { 1 }),
    };
    if let Err(error) = &outline {
        let why = match error {
            config_edit::ConfigEditError::Unsupported(_, why) => (*why).to_string(),
            other => other.to_string(),
        };
        let subject = Subject::file(inputs.path, judge.first_line());
        judge.push(
            Finding::new(
                "GO053",
                Severity::Info,
                format!(
                    "gord cannot read this {} golangci-lint config exactly ({why}), so it checks its version and linter names only roughly and offers no edit",
                    inputs.format
                ),
                subject,
            ),
        );
    }
    if let (Some(binary), Some(declared)) = (inputs.binary, declared) {
        if binary.major != declared && matches!(binary.major, 1 | 2) {
            mismatch(&mut judge, binary, declared, outline.as_ref().ok());
        }
    }
    if let (Some(binary), Ok(read)) = (inputs.binary, &outline) {
        if declared.is_none() {
            unknown_version(&mut judge, binary, read);
        }
    }
    let v2 = declared == Some(2) || inputs.binary.is_some_and(|b| b.major == 2);
    if let (Ok(outline), true) = (&outline, v2) {
        for listed in outline.names.iter().filter(|n| n.section == "linters") {
            names(&mut judge, outline, listed);
        }
    }
    judge.findings
}

/// `version: "2"` somewhere at the start of a line, for a text the readers
/// refused.
fn rough_v2(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start_matches('\u{feff}');
        (l.starts_with("version:") || l.starts_with("version =") || l.contains("\"version\""))
            && l.contains('2')
    })
}

fn mismatch(judge: &mut Judge<'_>, binary: &Binary, declared: u8, outline: Option<&Outline>) {
    let inputs = judge.inputs;
    let subject = Subject::file(inputs.path, judge.first_line());
    let said = binary
        .error
        .as_deref()
        .map(|e| format!(": `{e}`"))
        .unwrap_or_default();
    let message = if declared == 1 {
        format!(
            "This golangci-lint config has no `version: \"2\"`, so it is a v1 config, and golangci-lint {} refuses it{said}",
            binary.version
        )
    } else {
        format!(
            "This is a golangci-lint v2 config (`version: \"2\"`), and the installed golangci-lint {} is v1{said}",
            binary.version
        )
    };
    let mut finding = Finding::new("GO050", Severity::Error, message, subject);
    if let Some(error) = &binary.error {
        finding = finding.with_detail(format!("{} said: {error}", binary.program));
    }
    if declared == 1 {
        let minimal = outline
            .filter(|o| version_line_suffices(o))
            .and_then(|_| version_edit(inputs.text, inputs.format));
        if let Some(edit) = minimal {
            let line = match inputs.format {
                ConfigFormat::Json => "\"version\": \"2\"",
                ConfigFormat::Toml => "version = \"2\"",
                ConfigFormat::Yaml => "version: \"2\"",
            };
            let edit = judge.edit(&edit);
            finding = finding.with_fix(Fix::edits(
                format!("Add `{line}`: the rest of this config reads the same in v2"),
                vec![edit],
            ));
        }
        finding = finding.with_fix(migrate_fix(binary, inputs.path));
    } else if let Some(argv) = &inputs.install_v2 {
        finding = finding.with_fix(Fix::run(
            format!("Install golangci-lint v2: {}", argv.join(" ")),
            argv.clone(),
        ));
    } else {
        finding = finding.with_fix(Fix::advice(
            "Install golangci-lint v2: go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest",
        ));
    }
    judge.push(finding);
}

/// A `version` that is not "2": both majors refuse it (v1 any `version`).
fn unknown_version(judge: &mut Judge<'_>, binary: &Binary, outline: &Outline) {
    let Some((value, start, end)) = &outline.version else {
        return;
    };
    let said = binary
        .error
        .as_deref()
        .map(|e| format!(": `{e}`"))
        .unwrap_or_default();
    let subject = Subject::file(judge.inputs.path, judge.range(*start, *end));
    let mut finding = Finding::new(
        "GO050",
        Severity::Error,
        format!(
            "`version: {value:?}` is no golangci-lint config version (v2 reads only \"2\"), and golangci-lint {} refuses it{said}",
            binary.version
        ),
        subject,
    );
    if binary.major == 2 {
        let edit = judge.edit(&ByteEdit {
            start: *start,
            end: *end,
            new_text: "\"2\"".to_string(),
        });
        finding = finding
            .with_fix(Fix::edits("Set the version to \"2\"", vec![edit]))
            .with_fix(migrate_fix(binary, judge.inputs.path));
    } else if let Some(argv) = &judge.inputs.install_v2 {
        finding = finding.with_fix(Fix::run(
            format!("Install golangci-lint v2: {}", argv.join(" ")),
            argv.clone(),
        ));
    }
    judge.push(finding);
}

fn names(judge: &mut Judge<'_>, outline: &Outline, listed: &ListedName) {
    let text = judge.inputs.text;
    let exact = text.get(listed.start..listed.end) == Some(listed.name.as_str());
    let subject = Subject::file(judge.inputs.path, judge.range(listed.start, listed.end));
    let name = &listed.name;
    let where_ = format!("linters.{}", listed.list);
    if FORMATTERS.contains(&name.as_str()) {
        let mut finding = Finding::new(
            "GO052",
            Severity::Error,
            format!(
                "{name} is a formatter in golangci-lint v2: it belongs under `formatters.enable`, not `{where_}` (v2 says `{name} is a formatter`)"
            ),
            subject,
        );
        let added = (listed.list == "enable")
            .then(|| config_edit::add_formatters_section(text, judge.inputs.format, name).ok())
            .flatten();
        finding = match added {
            Some(added) => finding.with_fix(Fix::edits(
                format!("Move {name} to `formatters.enable`"),
                vec![judge.edit(&listed.removal), judge.edit(&added)],
            )),
            None if listed.list == "enable" => finding
                .with_fix(Fix::edits(
                    format!("Remove {name} from `{where_}` (then add it to `formatters.enable`)"),
                    vec![judge.edit(&listed.removal)],
                )),
            None => finding.with_fix(Fix::edits(
                format!("Remove {name} from `{where_}`: a v2 formatter runs only when `formatters.enable` lists it"),
                vec![judge.edit(&listed.removal)],
            )),
        };
        judge.push(finding);
        return;
    }
    let Some(fate) = fate(name) else { return };
    let listed_already = |other: &str| {
        outline
            .names
            .iter()
            .any(|n| n.section == "linters" && n.list == listed.list && n.name == other)
    };
    let (message, fix) = match fate {
        Fate::Renamed(to) | Fate::Replaced(to) => {
            let what = if matches!(fate, Fate::Renamed(_)) {
                format!("golangci-lint v2 has no linter {name}: it is part of {to} now")
            } else {
                format!("golangci-lint v2 removed {name}: {to} does its job")
            };
            let fix = if listed_already(to) {
                Fix::edits(
                    format!("Remove {name} ({to} is already in `{where_}`)"),
                    vec![judge.edit(&listed.removal)],
                )
            } else if exact {
                Fix::edits(
                    format!("Replace {name} with {to}"),
                    vec![judge.edit(&ByteEdit {
                        start: listed.start,
                        end: listed.end,
                        new_text: to.to_string(),
                    })],
                )
            } else {
                Fix::advice(format!("Replace {name} with {to}"))
            };
            (what, fix)
        }
        Fate::Removed => (
            if name == "typecheck" {
                "golangci-lint v2 says `typecheck is not a linter, it cannot be enabled or disabled`: its errors are always reported".to_string()
            } else {
                format!("golangci-lint v2 removed {name}, with nothing in its place")
            },
            Fix::edits(
                format!("Remove {name} from `{where_}`"),
                vec![judge.edit(&listed.removal)],
            ),
        ),
    };
    judge.push(Finding::new("GO051", Severity::Error, message, subject).with_fix(fix));
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/ws/.golangci.yml";

    fn v2() -> Binary {
        Binary {
            program: "/go/bin/golangci-lint".into(),
            version: "2.15.0".into(),
            major: 2,
            error: Some("can't load config: unsupported version of the configuration: \"\"".into()),
        }
    }

    fn run(text: &str, format: ConfigFormat, binary: Option<&Binary>) -> Vec<Finding> {
        let path = match format {
            ConfigFormat::Yaml => PATH,
            ConfigFormat::Toml => "/ws/.golangci.toml",
            ConfigFormat::Json => "/ws/.golangci.json",
        };
        judge(&Inputs {
            path: Path::new(path),
            text,
            format,
            binary,
            install_v2: None,
        })
    }

    /// `text` with every edit of `fix` applied.
    fn apply(text: &str, fix: &Fix) -> String {
        let index = LineIndex::new(text);
        let offset = |p: Position| {
            let start = index.line_start(p.line as usize).unwrap_or(text.len());
            let line = &text[start..];
            let mut units = 0u32;
            for (i, c) in line.char_indices() {
                if units >= p.character {
                    return start + i;
                }
                units += c.len_utf16() as u32;
            }
            text.len()
        };
        let mut edits: Vec<(usize, usize, &str)> = fix
            .edits
            .iter()
            .map(|e| {
                (
                    offset(e.range.start),
                    offset(e.range.end),
                    e.new_text.as_str(),
                )
            })
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut out = text.to_string();
        for (start, end, new) in edits {
            out.replace_range(start..end, new);
        }
        out
    }

    fn codes(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_v1_config_under_v2_is_an_error_on_the_first_line_quoting_the_linter() {
        let text = "# mine\nlinters:\n  enable:\n    - errcheck\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(codes(&found), ["GO050"]);
        let f = &found[0];
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.file_range().map(|(_, r)| r.start.line), Some(0));
        assert!(
            f.message
                .contains("unsupported version of the configuration"),
            "{}",
            f.message
        );
        assert_eq!(f.doc.as_deref(), Some("docs/rules/GO050.md"));
        assert!(f.basis.is_some());
    }

    #[test]
    fn the_version_line_is_the_first_fix_when_nothing_else_differs_and_migrate_the_second() {
        let text = "linters:\n  enable:\n    - errcheck\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        let fixes = &found[0].fixes;
        assert_eq!(apply(text, &fixes[0]), format!("version: \"2\"\n{text}"));
        let argv = fixes[1].command.as_ref().expect("migrate runs a command");
        assert_eq!(argv[1..], ["migrate", "--config", PATH]);
        assert!(fixes[1].title.contains("drops comments"));
        assert!(fixes[1].title.contains(".golangci.bck.yml"));
    }

    #[test]
    fn a_config_with_v1_only_keys_gets_migrate_alone() {
        for text in [
            "linters-settings:\n  lll:\n    line-length: 100\n",
            "linters:\n  disable-all: true\n  enable:\n    - errcheck\n",
            "run:\n  skip-dirs:\n    - gen\n",
            "linters:\n  enable:\n    - gofmt\n",
        ] {
            let found = run(text, ConfigFormat::Yaml, Some(&v2()));
            let go050 = found.iter().find(|f| f.code == "GO050").expect("GO050");
            assert_eq!(go050.fixes.len(), 1, "{text}");
            assert!(go050.fixes[0].command.is_some(), "{text}");
        }
    }

    #[test]
    fn the_version_line_goes_after_a_leading_document_marker_and_comments() {
        let text = "# lint\n---\nlinters:\n  enable: [errcheck]\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(
            apply(text, &found[0].fixes[0]),
            "# lint\n---\nversion: \"2\"\nlinters:\n  enable: [errcheck]\n"
        );
        let crlf = "linters:\r\n  enable: [errcheck]\r\n";
        let found = run(crlf, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(
            apply(crlf, &found[0].fixes[0]),
            format!("version: \"2\"\r\n{crlf}")
        );
    }

    #[test]
    fn a_version_other_than_2_is_go050_on_its_value_with_an_edit_to_2() {
        let text = "version: \"1\" # old\nlinters:\n  enable: [errcheck]\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(codes(&found), ["GO050"]);
        let (_, at) = found[0].file_range().expect("a range");
        assert_eq!(
            (at.start.line, at.start.character, at.end.character),
            (0, 9, 12)
        );
        assert_eq!(
            apply(text, &found[0].fixes[0]),
            text.replace("\"1\"", "\"2\"")
        );
    }

    #[test]
    fn a_formatters_section_does_not_stop_the_version_line() {
        let text = "linters:\n  enable:\n    - errcheck\nformatters:\n  enable:\n    - gofmt\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(codes(&found), ["GO050"]);
        assert_eq!(
            apply(text, &found[0].fixes[0]),
            format!("version: \"2\"\n{text}")
        );
    }

    #[test]
    fn a_v2_config_under_v1_offers_installing_v2() {
        let v1 = Binary {
            program: "golangci-lint".into(),
            version: "1.64.8".into(),
            major: 1,
            error: Some("you are using a configuration file for golangci-lint v2 with golangci-lint v1: please use golangci-lint v2".into()),
        };
        let text = "version: \"2\"\nlinters:\n  default: none\n";
        let found = judge(&Inputs {
            path: Path::new(PATH),
            text,
            format: ConfigFormat::Yaml,
            binary: Some(&v1),
            install_v2: Some(vec!["go".into(), "install".into(), "x@v2".into()]),
        });
        assert_eq!(codes(&found), ["GO050"]);
        assert!(found[0].message.contains("please use golangci-lint v2"));
        assert_eq!(
            found[0].fixes[0].command.as_deref(),
            Some(&["go".to_string(), "install".into(), "x@v2".into()][..])
        );
    }

    #[test]
    fn a_matching_config_has_no_finding() {
        let text = "version: \"2\"\nlinters:\n  enable:\n    - errcheck\n";
        assert!(run(text, ConfigFormat::Yaml, Some(&v2())).is_empty());
        let v1 = Binary { major: 1, ..v2() };
        assert!(run(
            "linters:\n  enable: [gosimple]\n",
            ConfigFormat::Yaml,
            Some(&v1)
        )
        .is_empty());
    }

    #[test]
    fn renamed_linters_are_flagged_on_their_own_line_with_an_edit_of_only_the_name() {
        let text = "version: \"2\"\nlinters:\n  enable:\n    - errcheck\n    - gosimple # old\n    - tenv\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(codes(&found), ["GO051", "GO051"]);
        let gosimple = &found[0];
        let (_, at) = gosimple.file_range().expect("a range");
        assert_eq!(
            (at.start.line, at.start.character, at.end.character),
            (4, 6, 14)
        );
        assert!(gosimple.message.contains("staticcheck"));
        assert_eq!(
            apply(text, &gosimple.fixes[0]),
            text.replace("gosimple # old", "staticcheck # old")
        );
        assert_eq!(
            apply(text, &found[1].fixes[0]),
            text.replace("tenv", "usetesting")
        );
    }

    #[test]
    fn a_renamed_linter_whose_replacement_is_listed_is_removed_and_typecheck_is_removed() {
        let text = "version: \"2\"\nlinters:\n  enable: [staticcheck, stylecheck, typecheck]\n";
        let found = run(text, ConfigFormat::Yaml, None);
        assert_eq!(codes(&found), ["GO051", "GO051"]);
        let once = apply(text, &found[0].fixes[0]);
        assert_eq!(
            once,
            "version: \"2\"\nlinters:\n  enable: [staticcheck, typecheck]\n"
        );
        let typecheck = apply(text, &found[1].fixes[0]);
        assert_eq!(
            typecheck,
            "version: \"2\"\nlinters:\n  enable: [staticcheck, stylecheck]\n"
        );
        assert!(found[1].message.contains("typecheck is not a linter"));
    }

    #[test]
    fn a_formatter_among_the_linters_moves_to_a_new_formatters_section() {
        let text = "version: \"2\"\nlinters:\n  enable:\n    - gofmt\n    - errcheck\n";
        let found = run(text, ConfigFormat::Yaml, Some(&v2()));
        assert_eq!(codes(&found), ["GO052"]);
        assert_eq!(found[0].file_range().map(|(_, r)| r.start.line), Some(3));
        assert_eq!(
            apply(text, &found[0].fixes[0]),
            "version: \"2\"\nlinters:\n  enable:\n    - errcheck\nformatters:\n  enable:\n    - gofmt\n"
        );
    }

    #[test]
    fn toml_and_json_configs_get_the_same_findings_and_edits() {
        let toml = "version = \"2\"\n[linters]\nenable = [\"errcheck\", \"gosimple\"]\n";
        let found = run(toml, ConfigFormat::Toml, Some(&v2()));
        assert_eq!(codes(&found), ["GO051"]);
        assert_eq!(
            apply(toml, &found[0].fixes[0]),
            toml.replace("gosimple", "staticcheck")
        );

        let json =
            "{\n  \"version\": \"2\",\n  \"linters\": {\"enable\": [\"errcheck\", \"gofmt\"]}\n}\n";
        let found = run(json, ConfigFormat::Json, Some(&v2()));
        assert_eq!(codes(&found), ["GO052"]);
        let moved = apply(json, &found[0].fixes[0]);
        assert!(moved.contains("\"enable\": [\"errcheck\"]"), "{moved}");
        assert!(
            moved.contains("\"formatters\": {\"enable\": [\"gofmt\"]}"),
            "{moved}"
        );

        let v1_json = "{\"linters\": {\"enable\": [\"errcheck\"]}}";
        let found = run(v1_json, ConfigFormat::Json, Some(&v2()));
        assert_eq!(codes(&found), ["GO050"]);
        assert_eq!(
            apply(v1_json, &found[0].fixes[0]),
            "{\"version\": \"2\", \"linters\": {\"enable\": [\"errcheck\"]}}"
        );
        let v1_toml = "[linters]\nenable = [\"errcheck\"]\n";
        let found = run(v1_toml, ConfigFormat::Toml, Some(&v2()));
        assert_eq!(
            apply(v1_toml, &found[0].fixes[0]),
            format!("version = \"2\"\n{v1_toml}")
        );
    }

    #[test]
    fn anchors_aliases_and_several_documents_are_a_finding_without_an_edit() {
        for text in [
            "base: &b\n  - errcheck\nlinters:\n  enable: *b\n",
            "linters:\n  enable:\n    - errcheck\n---\nversion: \"2\"\n",
        ] {
            let found = run(text, ConfigFormat::Yaml, Some(&v2()));
            assert!(codes(&found).contains(&"GO053"), "{text}: {found:?}");
            assert!(
                found
                    .iter()
                    .all(|f| f.fixes.iter().all(|x| x.edits.is_empty())),
                "{text}: no edit to a file gord cannot read exactly"
            );
        }
    }

    #[test]
    fn every_fate_names_a_v2_linter_or_none() {
        for name in [
            "gosimple",
            "stylecheck",
            "tenv",
            "exportloopref",
            "typecheck",
            "golint",
        ] {
            assert!(fate(name).is_some(), "{name}");
        }
        assert_eq!(fate("errcheck"), None);
        assert_eq!(fate("exportloopref"), Some(Fate::Replaced("copyloopvar")));
    }
}
