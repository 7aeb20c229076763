//! "Disable <linter> in config": the minimal edits of a golangci-lint config
//! that turn one linter off, computed from the text alone.
//!
//! The keys, as golangci-lint reads them (`pkg/config/linters.go`,
//! `formatters.go`, `.golangci.reference.yml`):
//! - v2: `linters.default` (`standard` when absent, `all`, `none`, `fast`),
//!   `linters.enable`, `linters.disable`; formatters (gci, gofmt, gofumpt,
//!   goimports, golines, swaggo) run only when `formatters.enable` lists
//!   them, and v2 rejects them in `linters.enable`/`disable`.
//! - v1: `linters.disable-all`, `enable-all`, `presets`, `enable`, `disable`;
//!   formatters are ordinary linters. v1 rejects `disable` next to
//!   `disable-all: true`, and `disable-all: true` with nothing enabled.
//!
//! YAML is read line by line, by indentation, without a YAML library: only
//! block mappings, block or one-line flow lists, comments and quoted
//! scalars; anything cleverer (anchors, aliases, tags, several documents,
//! multi-line flow lists) is refused rather than guessed at. JSON is parsed
//! fully, by `jsonc-parser` held to strict JSON. TOML is parsed by
//! `toml_edit`, whose spans place the edits; only standard `[linters]` and
//! `[formatters]` tables are edited (inline tables and dotted `linters.`
//! keys are refused), and the edited text must parse again.

use std::fmt;
use std::path::Path;

use thiserror::Error;

use super::model::{is_linter_name, ByteEdit};

/// The formatters of golangci-lint v2 (`getAllFormatterNames`).
const V2_FORMATTERS: [&str; 6] = ["gci", "gofmt", "gofumpt", "goimports", "golines", "swaggo"];

/// How deep JSON may nest before it is refused, so hostile input cannot
/// exhaust the stack.
const MAX_JSON_DEPTH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigFormat {
    Yaml,
    Toml,
    Json,
}

impl ConfigFormat {
    /// The format of a golangci-lint config file, by its extension
    /// (`.golangci.yml`, `.yaml`, `.toml`, `.json`, any case).
    pub fn from_path(path: &Path) -> Option<ConfigFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yml" | "yaml" => Some(ConfigFormat::Yaml),
            "toml" => Some(ConfigFormat::Toml),
            "json" => Some(ConfigFormat::Json),
            _ => None,
        }
    }
}

impl fmt::Display for ConfigFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigFormat::Yaml => "YAML",
            ConfigFormat::Toml => "TOML",
            ConfigFormat::Json => "JSON",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigEditError {
    #[error("`{0}` is not a linter name (letters, digits, `_` and `-` only)")]
    InvalidLinterName(String),
    #[error("golangci-lint v{0} configs are not supported (only v1 and v2)")]
    UnsupportedVersion(u8),
    #[error("the linter is already disabled in this config")]
    AlreadyDisabled,
    #[error("the formatter {0} is not enabled in this config (`formatters.enable` does not list it), so there is nothing to disable")]
    FormatterNotEnabled(String),
    #[error("{0} is the only linter enabled: golangci-lint v1 rejects `disable-all: true` with no linter enabled")]
    LastLinter(String),
    #[error("cannot edit this {0} config automatically: {1}; edit it by hand")]
    Unsupported(ConfigFormat, &'static str),
}

/// Edits that disable `linter` in a golangci-lint config of the given
/// `major` version (1 or 2), sorted by position and non-overlapping.
///
/// The linter leaves every entry of the relevant `enable` list; then, unless
/// nothing is on by default (v2 `default: none`, v1 `disable-all: true`), it
/// is added to `linters.disable`, creating the key (and `linters:`) when
/// needed. A v2 formatter is only removed from `formatters.enable`.
pub fn disable_linter(
    config_text: &str,
    format: ConfigFormat,
    linter: &str,
    major: u8,
) -> Result<Vec<ByteEdit>, ConfigEditError> {
    if !is_linter_name(linter) {
        return Err(ConfigEditError::InvalidLinterName(linter.to_string()));
    }
    if major != 1 && major != 2 {
        return Err(ConfigEditError::UnsupportedVersion(major));
    }
    let mut edits = match format {
        ConfigFormat::Yaml => yaml::disable(config_text, linter, major)?,
        ConfigFormat::Json => json::disable(config_text, linter, major)?,
        ConfigFormat::Toml => toml::disable(config_text, linter, major)?,
    };
    edits.sort_by_key(|e| (e.start, e.end));
    Ok(edits)
}

/// The text of a new `.golangci.yml` that disables `linter`, for a project
/// without a config: `linters.disable` lists it, after `version: "2"` for
/// v2 (any `major` but 1). A v2 formatter is off unless enabled, so its
/// config holds only the version line. A `linter` that is not a plain name
/// is written as a quoted YAML string, so the file always parses.
pub fn new_config(linter: &str, major: u8) -> String {
    let name = if is_linter_name(linter) {
        linter.to_string()
    } else {
        yaml_quoted(linter)
    };
    if major == 1 {
        return format!("linters:\n  disable:\n    - {name}\n");
    }
    if V2_FORMATTERS.contains(&linter) {
        return "version: \"2\"\n".to_string();
    }
    format!("version: \"2\"\nlinters:\n  disable:\n    - {name}\n")
}

/// A YAML double-quoted scalar holding `s` exactly.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One name in a `linters` or `formatters` `enable`/`disable` list, as
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedName {
    pub name: String,
    /// `linters` or `formatters`.
    pub section: &'static str,
    /// `enable` or `disable`.
    pub list: &'static str,
    /// Byte span of the name itself (inside its quotes, if any).
    pub start: usize,
    pub end: usize,
    /// The edit that takes this one item out of its list.
    pub removal: ByteEdit,
}

/// What a golangci-lint config says about its version and its linters,
/// with byte spans, read by the same readers as the edits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The `version` value (unquoted) and the span of its token.
    pub version: Option<(String, usize, usize)>,
    /// The top-level keys, in order.
    pub top_keys: Vec<String>,
    /// The keys of the `linters` section.
    pub linters_keys: Vec<String>,
    /// Whether there is a `formatters` section.
    pub formatters: bool,
    pub names: Vec<ListedName>,
}

/// Reads `config_text` for [`Outline`]; a text the readers cannot read
/// exactly (YAML anchors, aliases, several documents, ...) is an error.
pub fn outline(config_text: &str, format: ConfigFormat) -> Result<Outline, ConfigEditError> {
    match format {
        ConfigFormat::Yaml => yaml::outline(config_text),
        ConfigFormat::Json => json::outline(config_text),
        ConfigFormat::Toml => toml::outline(config_text),
    }
}

/// The span of `name` inside the token at `start..end` (its quotes left out).
fn name_span(text: &str, start: usize, end: usize, name: &str) -> (usize, usize) {
    match text.get(start..end) {
        Some(token)
            if token.len() == name.len() + 2
                && token.get(1..token.len() - 1) == Some(name)
                && (token.starts_with('"') || token.starts_with('\'')) =>
        {
            (start + 1, end - 1)
        }
        _ => (start, end),
    }
}

/// The edit removing item `index` of a comma-separated list whose item
/// spans are `spans` and whose whole span (brackets included) is `whole`.
fn comma_removal(
    text: &str,
    spans: &[(usize, usize)],
    index: usize,
    whole: (usize, usize),
) -> Option<ByteEdit> {
    if spans.len() == 1 {
        return Some(ByteEdit {
            start: whole.0,
            end: whole.1,
            new_text: "[]".to_string(),
        });
    }
    remove_from_comma_list(text, spans, &[index])
}

/// The edits adding `formatter` to a new `formatters.enable` list, for a
/// v2 config that has no `formatters` section yet (an error otherwise).
pub fn add_formatters_section(
    config_text: &str,
    format: ConfigFormat,
    formatter: &str,
) -> Result<ByteEdit, ConfigEditError> {
    if !is_linter_name(formatter) {
        return Err(ConfigEditError::InvalidLinterName(formatter.to_string()));
    }
    let found = outline(config_text, format)?;
    if found.formatters {
        return Err(ConfigEditError::Unsupported(
            format,
            "a `formatters` section is already there",
        ));
    }
    let eol = line_ending(config_text);
    let end = config_text.len();
    let gap = if config_text.is_empty() || config_text.ends_with('\n') {
        ""
    } else {
        eol
    };
    match format {
        ConfigFormat::Yaml => Ok(ByteEdit {
            start: end,
            end,
            new_text: format!("{gap}formatters:{eol}  enable:{eol}    - {formatter}{eol}"),
        }),
        ConfigFormat::Toml => Ok(ByteEdit {
            start: end,
            end,
            new_text: format!("{gap}{eol}[formatters]{eol}enable = [\"{formatter}\"]{eol}"),
        }),
        ConfigFormat::Json => json::add_formatters(config_text, formatter, eol),
    }
}

/// What the config says about one `linters:` or `formatters:` section.
#[derive(Debug, Default)]
struct Facts {
    /// Nothing is on unless enabled: v2 `default: none`, v1 `disable-all`.
    default_none: bool,
    /// v1 `presets`, which enable linters not named anywhere.
    presets: bool,
    enable: Vec<String>,
    disable: Vec<String>,
}

/// Which list loses the linter, and whether it must also be disabled.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    /// Remove from `formatters.enable` instead of `linters.enable`.
    formatter: bool,
    add_to_disable: bool,
}

/// The decision, the same for every format.
fn plan(
    linter: &str,
    major: u8,
    linters: &Facts,
    formatters: &Facts,
) -> Result<Plan, ConfigEditError> {
    if major >= 2 && V2_FORMATTERS.contains(&linter) {
        if !formatters.enable.iter().any(|n| n == linter) {
            return Err(ConfigEditError::FormatterNotEnabled(linter.to_string()));
        }
        return Ok(Plan {
            formatter: true,
            add_to_disable: false,
        });
    }
    let enabled = linters.enable.iter().filter(|n| *n == linter).count();
    if linters.default_none {
        // v1 forbids `disable` here, and a preset may be what enables it.
        if major == 1 && linters.presets {
            return Err(ConfigEditError::Unsupported(
                ConfigFormat::Yaml,
                "`disable-all` with `presets`: a preset may enable the linter, and v1 allows no `disable` list next to `disable-all`",
            ));
        }
        if enabled == 0 {
            return Err(ConfigEditError::AlreadyDisabled);
        }
        if major == 1 && enabled == linters.enable.len() {
            return Err(ConfigEditError::LastLinter(linter.to_string()));
        }
        return Ok(Plan {
            formatter: false,
            add_to_disable: false,
        });
    }
    let disabled = linters.disable.iter().any(|n| n == linter);
    if disabled && enabled == 0 {
        return Err(ConfigEditError::AlreadyDisabled);
    }
    Ok(Plan {
        formatter: false,
        add_to_disable: !disabled,
    })
}

/// `plan`, with an `Unsupported` error naming the actual format.
fn plan_for(
    format: ConfigFormat,
    linter: &str,
    major: u8,
    linters: &Facts,
    formatters: &Facts,
) -> Result<Plan, ConfigEditError> {
    plan(linter, major, linters, formatters).map_err(|e| match e {
        ConfigEditError::Unsupported(_, why) => ConfigEditError::Unsupported(format, why),
        other => other,
    })
}

/// The line ending new lines get: the file's first one, `\n` by default.
fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(at) if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}

/// Removes the items at `remove` (indices into `items`, spans of the text)
/// from a comma-separated list, keeping the separators between the items
/// that stay; one edit covering only the bytes that change. A kept item
/// keeps the separator that followed it (so a comment at the end of its
/// line stays with it), and a removed item loses the one that followed it.
fn remove_from_comma_list(
    text: &str,
    items: &[(usize, usize)],
    remove: &[usize],
) -> Option<ByteEdit> {
    let (first, last) = (items.first()?, items.last()?);
    let region_start = first.0;
    let region_end = last.1;
    let mut new_text = String::new();
    let mut previous_kept: Option<usize> = None;
    for (index, &(start, end)) in items.iter().enumerate() {
        if remove.contains(&index) {
            continue;
        }
        if let Some(previous) = previous_kept {
            // The separator that stood right after the previous kept item.
            let after = items.get(previous)?.1;
            let next = items.get(previous + 1)?.0;
            new_text.push_str(text.get(after..next)?);
        }
        new_text.push_str(text.get(start..end)?);
        previous_kept = Some(index);
    }
    let old = text.get(region_start..region_end)?;
    minimal_edit(region_start, old, &new_text)
}

/// The edit turning `old` (at byte `at`) into `new`, trimmed to the bytes
/// that differ, on character boundaries.
fn minimal_edit(at: usize, old: &str, new: &str) -> Option<ByteEdit> {
    if old == new {
        return None;
    }
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let (old_rest, new_rest) = (old.get(prefix..)?, new.get(prefix..)?);
    let suffix = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    Some(ByteEdit {
        start: at + prefix,
        end: at + old.len() - suffix,
        new_text: new_rest.get(..new_rest.len() - suffix)?.to_string(),
    })
}

mod yaml {
    //! The line-based YAML reader and editor.

    use super::{
        line_ending, plan_for, remove_from_comma_list, ByteEdit, ConfigEditError, ConfigFormat,
        Facts,
    };

    type Result<T> = std::result::Result<T, ConfigEditError>;

    fn unsupported(why: &'static str) -> ConfigEditError {
        ConfigEditError::Unsupported(ConfigFormat::Yaml, why)
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Kind {
        Blank,
        Comment,
        Content,
        /// Inside a block scalar, a multi-line flow collection or a
        /// multi-line quoted scalar started on an earlier line.
        Continuation,
    }

    #[derive(Debug, Clone, Copy)]
    struct Line {
        start: usize,
        /// End of the line's text, its line ending excluded.
        end: usize,
        /// Start of the next line (`end` on a last line without newline).
        next: usize,
        indent: usize,
        /// End of the meaningful text: before a comment and trailing blanks.
        body_end: usize,
        kind: Kind,
        /// A flow collection or quoted scalar is still open after the line.
        open_after: bool,
    }

    impl Line {
        fn body<'t>(&self, text: &'t str) -> &'t str {
            text.get(self.start + self.indent..self.body_end)
                .unwrap_or_default()
        }
    }

    /// The lexer's state carried from line to line.
    #[derive(Default)]
    struct Lexer {
        quote: Option<u8>,
        flow: usize,
    }

    impl Lexer {
        fn open(&self) -> bool {
            self.quote.is_some() || self.flow > 0
        }

        /// Scans `line[from..]`; returns where the meaningful text ends and
        /// whether the line opens a block scalar (`|` or `>`).
        fn scan(&mut self, line: &[u8], from: usize) -> Result<(usize, bool)> {
            let mut i = from;
            let mut body_end = from;
            let mut token_start = self.quote.is_none();
            let mut after_blank = true;
            let mut block_scalar = false;
            while i < line.len() {
                let b = line[i];
                let next = line.get(i + 1).copied();
                let next_is_blank = matches!(next, None | Some(b' ') | Some(b'\t'));
                if let Some(q) = self.quote {
                    if q == b'"' && b == b'\\' {
                        i += 2;
                        body_end = i.min(line.len());
                        continue;
                    }
                    if b == q {
                        if q == b'\'' && next == Some(b'\'') {
                            i += 2;
                            body_end = i;
                            continue;
                        }
                        self.quote = None;
                        token_start = false;
                    }
                    i += 1;
                    body_end = i;
                    after_blank = false;
                    continue;
                }
                if b == b' ' || b == b'\t' {
                    after_blank = true;
                    i += 1;
                    continue;
                }
                if b == b'#' && after_blank {
                    break;
                }
                after_blank = false;
                let flow_indicator = self.flow > 0 && matches!(b, b',' | b'[' | b']' | b'{' | b'}');
                if token_start {
                    match b {
                        b'"' | b'\'' => self.quote = Some(b),
                        b'&' | b'*' | b'!' => {
                            return Err(unsupported("YAML anchors, aliases and tags"))
                        }
                        b'?' if next_is_blank => return Err(unsupported("YAML complex keys")),
                        b'|' | b'>' if self.flow == 0 => block_scalar = true,
                        b'-' if next_is_blank && self.flow == 0 => {}
                        b'[' | b'{' => self.flow += 1,
                        b']' | b'}' => self.close_flow()?,
                        b',' if self.flow > 0 => {}
                        _ => token_start = false,
                    }
                } else if b == b':'
                    && (next_is_blank
                        || (self.flow > 0
                            && matches!(next, Some(b',' | b'[' | b']' | b'{' | b'}'))))
                {
                    token_start = true;
                } else if flow_indicator {
                    match b {
                        b'[' | b'{' => self.flow += 1,
                        b']' | b'}' => self.close_flow()?,
                        _ => {}
                    }
                    token_start = b != b']' && b != b'}';
                }
                i += 1;
                body_end = i;
            }
            Ok((body_end, block_scalar && !self.open()))
        }

        fn close_flow(&mut self) -> Result<()> {
            if self.flow == 0 {
                return Err(unsupported("an unbalanced `]` or `}`"));
            }
            self.flow -= 1;
            Ok(())
        }
    }

    /// Splits `text` into classified lines.
    fn lines(text: &str) -> Result<Vec<Line>> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut lexer = Lexer::default();
        // Lines more indented than this belong to a block scalar.
        let mut block_scalar: Option<usize> = None;
        let mut seen_content = false;
        // A byte order mark is no part of the first key.
        let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        while start < bytes.len() {
            let newline = bytes
                .get(start..)
                .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
                .map(|at| start + at);
            let (mut end, next) = match newline {
                Some(at) => (at, at + 1),
                None => (bytes.len(), bytes.len()),
            };
            if newline.is_some() && end > start && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
            let raw = bytes.get(start..end).unwrap_or_default();
            // YAML breaks lines at a lone `\r` too; this reader does not.
            if raw.contains(&b'\r') {
                return Err(unsupported("carriage returns without a line feed"));
            }
            let indent = raw.iter().take_while(|&&b| b == b' ').count();
            let blank = raw.iter().all(|b| b.is_ascii_whitespace());
            let mut line = Line {
                start,
                end,
                next,
                indent,
                body_end: start + indent,
                kind: Kind::Blank,
                open_after: false,
            };
            if let Some(parent) = block_scalar {
                if blank || indent > parent {
                    line.kind = Kind::Continuation;
                    line.body_end = end;
                    out.push(line);
                    start = next;
                    continue;
                }
                block_scalar = None;
            }
            if lexer.open() {
                let (body_end, _) = lexer.scan(raw, 0)?;
                line.kind = Kind::Continuation;
                line.body_end = start + body_end;
                line.open_after = lexer.open();
                out.push(line);
                start = next;
                continue;
            }
            let first = raw.iter().position(|b| !b.is_ascii_whitespace());
            match first.and_then(|at| raw.get(at)) {
                None => line.kind = Kind::Blank,
                Some(b'#') => line.kind = Kind::Comment,
                Some(_) => {
                    if raw.get(indent) == Some(&b'\t') {
                        return Err(unsupported("tabs in indentation"));
                    }
                    if indent == 0 {
                        let marker = |m: &[u8]| {
                            raw.starts_with(m)
                                && matches!(raw.get(3), None | Some(b' ') | Some(b'\t'))
                        };
                        if marker(b"---") {
                            let rest = String::from_utf8_lossy(raw.get(3..).unwrap_or_default())
                                .trim()
                                .to_string();
                            if seen_content || !(rest.is_empty() || rest.starts_with('#')) {
                                return Err(unsupported("several YAML documents"));
                            }
                            line.kind = Kind::Comment;
                            out.push(line);
                            start = next;
                            continue;
                        }
                        if marker(b"...") {
                            return Err(unsupported("several YAML documents"));
                        }
                        if raw.first() == Some(&b'%') {
                            return Err(unsupported("YAML directives"));
                        }
                    }
                    let (body_end, opens_block) = lexer.scan(raw, indent)?;
                    line.kind = Kind::Content;
                    line.body_end = start + body_end;
                    line.open_after = lexer.open();
                    seen_content = true;
                    if opens_block {
                        block_scalar = Some(indent);
                    }
                }
            }
            out.push(line);
            start = next;
        }
        if lexer.open() {
            return Err(unsupported("an unterminated quoted string or flow list"));
        }
        Ok(out)
    }

    /// A `key: value` line.
    #[derive(Debug, Clone)]
    struct Entry {
        line: usize,
        key: String,
        /// The value on the key's own line (empty for a block value).
        value_start: usize,
        value_end: usize,
        /// Lines `line + 1..block_end` hold the key's block value.
        block_end: usize,
    }

    fn is_seq_item(text: &str, line: &Line) -> bool {
        let body = line.body(text).as_bytes();
        body.first() == Some(&b'-') && matches!(body.get(1), None | Some(b' ') | Some(b'\t'))
    }

    /// The end of the block value of a key at `indent` on line `at`: the
    /// first later content line less indented, or as indented and not a
    /// `- ` item (YAML lets a list sit at its key's indentation).
    fn block_end(text: &str, lines: &[Line], at: usize, indent: usize, limit: usize) -> usize {
        (at + 1..limit)
            .find(|&j| {
                lines.get(j).is_some_and(|l| {
                    l.kind == Kind::Content
                        && (l.indent < indent || (l.indent == indent && !is_seq_item(text, l)))
                })
            })
            .unwrap_or(limit)
    }

    /// The scalar a token spells: quotes removed, simple escapes undone.
    /// None for tokens that are not one plain or quoted scalar (a quote
    /// closed early, a `key: value` pair, an indicator).
    fn scalar(token: &str) -> Option<String> {
        let token = token.trim();
        let bytes = token.as_bytes();
        match bytes.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let mut i = 1;
                while i < bytes.len() {
                    let b = bytes[i];
                    if q == b'"' && b == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b == q {
                        if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                // The closing quote must end the token.
                if i + 1 != bytes.len() {
                    return None;
                }
                let inner = token.get(1..i)?;
                Some(if q == b'"' {
                    inner.replace("\\\"", "\"").replace("\\\\", "\\")
                } else {
                    inner.replace("\'\'", "\'")
                })
            }
            Some(
                b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`',
            ) => None,
            _ if token.contains(": ") || token.contains(" #") || token.ends_with(':') => None,
            _ if token.starts_with("- ") || token.starts_with("? ") || token == "-" => None,
            _ => Some(token.to_string()),
        }
    }

    /// Parses the mapping entry starting at `from` on line `at`.
    fn entry(text: &str, lines: &[Line], at: usize, from: usize, limit: usize) -> Result<Entry> {
        let not_a_mapping = || unsupported("a YAML value that is not a block mapping");
        let line = lines.get(at).ok_or_else(not_a_mapping)?;
        let body = text.get(from..line.body_end).ok_or_else(not_a_mapping)?;
        let bytes = body.as_bytes();
        let colon = if matches!(bytes.first(), Some(b'"' | b'\'')) {
            let quote = bytes.first().copied().unwrap_or_default();
            let mut i = 1;
            let mut close = None;
            while i < bytes.len() {
                if quote == b'"' && bytes[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if bytes[i] == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    close = Some(i);
                    break;
                }
                i += 1;
            }
            let close = close.ok_or_else(not_a_mapping)?;
            let after = body.get(close + 1..).ok_or_else(not_a_mapping)?;
            let gap = after.len() - after.trim_start().len();
            if after.trim_start().starts_with(':') {
                close + 1 + gap
            } else {
                return Err(not_a_mapping());
            }
        } else {
            if matches!(bytes.first(), Some(b'[' | b'{')) {
                return Err(not_a_mapping());
            }
            (0..bytes.len())
                .find(|&i| {
                    bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ') | Some(b'\t'))
                })
                .ok_or_else(not_a_mapping)?
        };
        let key_token = body.get(..colon).ok_or_else(not_a_mapping)?.trim_end();
        if key_token.is_empty() || (is_seq_item(text, line) && from == line.start + line.indent) {
            return Err(not_a_mapping());
        }
        let key = scalar(key_token).ok_or_else(not_a_mapping)?;
        let value = body.get(colon + 1..).unwrap_or_default();
        let value_start = from + colon + 1 + (value.len() - value.trim_start().len());
        let indent = from - line.start;
        Ok(Entry {
            line: at,
            key,
            value_start,
            value_end: line.body_end.max(value_start),
            block_end: block_end(text, lines, at, indent, limit),
        })
    }

    /// The entries of the block mapping in lines `from..limit`, all at
    /// the indentation of the first one, which must exceed `parent`.
    fn mapping(
        text: &str,
        lines: &[Line],
        from: usize,
        limit: usize,
        parent: Option<usize>,
    ) -> Result<Vec<Entry>> {
        let mut entries: Vec<Entry> = Vec::new();
        let mut indent = None;
        let mut at = from;
        while at < limit {
            let Some(line) = lines.get(at) else { break };
            if line.kind != Kind::Content {
                if line.kind == Kind::Continuation {
                    return Err(unsupported("a YAML value that is not a block mapping"));
                }
                at += 1;
                continue;
            }
            let want = *indent.get_or_insert(line.indent);
            // The root must start at column 0, where a new `linters:` goes.
            let misplaced = match parent {
                Some(p) => want <= p,
                None => want != 0,
            };
            if line.indent != want || misplaced {
                return Err(unsupported("inconsistent YAML indentation"));
            }
            let found = entry(text, lines, at, line.start + line.indent, limit)?;
            // `key: value` then `- item` at the key's indentation is no YAML.
            let stray_item = found.value_start != found.value_end
                && lines
                    .get(found.line + 1..found.block_end)
                    .is_some_and(|block| {
                        block
                            .iter()
                            .any(|l| l.kind == Kind::Content && l.indent == want)
                    });
            if stray_item {
                return Err(unsupported("a YAML list item after a key that has a value"));
            }
            if entries.iter().any(|e| e.key == found.key) {
                return Err(unsupported("a YAML key given twice"));
            }
            at = found.block_end;
            entries.push(found);
        }
        Ok(entries)
    }

    /// One item of a list: its name and the byte span of its token.
    #[derive(Debug, Clone)]
    struct Item {
        name: String,
        start: usize,
        end: usize,
        /// The item's line (block lists).
        line: usize,
    }

    #[derive(Debug)]
    enum Shape {
        /// `key: [a, b]`; `open` is just after the `[`.
        Flow { open: usize },
        /// `- a` lines (possibly none: `key:` alone).
        Block,
    }

    #[derive(Debug)]
    struct List {
        entry: Entry,
        shape: Shape,
        items: Vec<Item>,
    }

    fn not_a_list() -> ConfigEditError {
        unsupported("a linter list that is not a plain YAML list of names")
    }

    /// The list under `entry`.
    fn list(text: &str, lines: &[Line], entry: &Entry) -> Result<List> {
        let value = text
            .get(entry.value_start..entry.value_end)
            .unwrap_or_default();
        if !value.is_empty() {
            let line = lines.get(entry.line).ok_or_else(not_a_list)?;
            if line.open_after
                || !value.starts_with('[')
                || !value.ends_with(']')
                || has_block(lines, entry)
            {
                return Err(not_a_list());
            }
            let open = entry.value_start + 1;
            let close = entry.value_end - 1;
            let items = split_flow(text, open, close)?
                .into_iter()
                .map(|(start, end)| {
                    let name = text
                        .get(start..end)
                        .and_then(scalar)
                        .ok_or_else(not_a_list)?;
                    Ok(Item {
                        name,
                        start,
                        end,
                        line: entry.line,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            return Ok(List {
                entry: entry.clone(),
                shape: Shape::Flow { open },
                items,
            });
        }
        let mut items = Vec::new();
        let mut item_indent = None;
        for at in entry.line + 1..entry.block_end {
            let Some(line) = lines.get(at) else { break };
            match line.kind {
                Kind::Blank | Kind::Comment => continue,
                Kind::Continuation => return Err(not_a_list()),
                Kind::Content => {}
            }
            let want = *item_indent.get_or_insert(line.indent);
            if line.indent != want || !is_seq_item(text, line) || line.open_after {
                return Err(not_a_list());
            }
            let body = line.body(text);
            let token = body.get(1..).unwrap_or_default();
            let start = line.start + line.indent + 1 + (token.len() - token.trim_start().len());
            let token = token.trim();
            let plain_special = token.is_empty()
                || matches!(
                    token.as_bytes().first(),
                    Some(b'[' | b'{' | b'-' | b'|' | b'>')
                )
                || token.contains(": ")
                || token.ends_with(':');
            let quoted = token.starts_with('"') || token.starts_with('\'');
            if plain_special && !quoted {
                return Err(not_a_list());
            }
            let name = scalar(token).ok_or_else(not_a_list)?;
            items.push(Item {
                name,
                start,
                end: start + token.len(),
                line: at,
            });
        }
        Ok(List {
            entry: entry.clone(),
            shape: Shape::Block,
            items,
        })
    }

    /// The spans of the comma-separated tokens between `open` and `close`.
    fn split_flow(text: &str, open: usize, close: usize) -> Result<Vec<(usize, usize)>> {
        let inner = text.get(open..close).ok_or_else(not_a_list)?;
        let bytes = inner.as_bytes();
        let mut spans = Vec::new();
        let mut token_from = 0;
        let mut quote: Option<u8> = None;
        let mut i = 0;
        let push = |from: usize, to: usize, spans: &mut Vec<(usize, usize)>| {
            let piece = inner.get(from..to).unwrap_or_default();
            let lead = piece.len() - piece.trim_start().len();
            let trimmed = piece.trim();
            if !trimmed.is_empty() {
                spans.push((open + from + lead, open + from + lead + trimmed.len()));
            }
        };
        while i < bytes.len() {
            let b = bytes[i];
            match quote {
                Some(q) => {
                    if q == b'"' && b == b'\\' {
                        i += 1;
                    } else if b == q {
                        quote = None;
                    }
                }
                None => match b {
                    // A quote opens a quoted item only at its start.
                    b'"' | b'\''
                        if inner
                            .get(token_from..i)
                            .is_some_and(|piece| piece.trim().is_empty()) =>
                    {
                        quote = Some(b)
                    }
                    b'[' | b']' | b'{' | b'}' | b'#' => return Err(not_a_list()),
                    b',' => {
                        push(token_from, i, &mut spans);
                        token_from = i + 1;
                    }
                    _ => {}
                },
            }
            i += 1;
        }
        push(token_from, bytes.len(), &mut spans);
        Ok(spans)
    }

    /// The scalar value of `entry` (`default: none`), if it has one.
    fn scalar_value(text: &str, entry: &Entry) -> Option<String> {
        let value = text.get(entry.value_start..entry.value_end)?;
        if value.is_empty() {
            return None;
        }
        scalar(value)
    }

    /// Whether `entry` has content lines under it.
    fn has_block(lines: &[Line], entry: &Entry) -> bool {
        lines
            .get(entry.line + 1..entry.block_end)
            .is_some_and(|block| {
                block
                    .iter()
                    .any(|l| matches!(l.kind, Kind::Content | Kind::Continuation))
            })
    }

    /// One `linters:`/`formatters:` section, read.
    struct Section {
        entry: Entry,
        children: Vec<Entry>,
        enable: Option<List>,
        disable: Option<List>,
        facts: Facts,
    }

    fn section(text: &str, lines: &[Line], entry: Entry, major: u8) -> Result<Section> {
        if entry.value_start != entry.value_end {
            return Err(unsupported(
                "a `linters` or `formatters` value that is not a block mapping",
            ));
        }
        let children = mapping(text, lines, entry.line + 1, entry.block_end, Some(0))?;
        let child = |key: &str| children.iter().find(|c| c.key == key);
        let enable = child("enable").map(|e| list(text, lines, e)).transpose()?;
        let disable = child("disable").map(|e| list(text, lines, e)).transpose()?;
        // `default:` with its value on the next line would be misread.
        for key in ["default", "disable-all"] {
            if let Some(e) = child(key) {
                if e.value_start == e.value_end && has_block(lines, e) {
                    return Err(unsupported(
                        "a `default` or `disable-all` value not on its key's line",
                    ));
                }
            }
        }
        let is_true = |key: &str| {
            child(key)
                .and_then(|e| scalar_value(text, e))
                .is_some_and(|v| matches!(v.as_str(), "true" | "True" | "TRUE"))
        };
        let default_none = if major == 1 {
            is_true("disable-all")
        } else {
            child("default")
                .and_then(|e| scalar_value(text, e))
                .is_some_and(|v| v == "none")
        };
        let presets = major == 1
            && child("presets")
                .is_some_and(|e| e.value_start != e.value_end || has_block(lines, e));
        let names = |l: &Option<List>| {
            l.as_ref()
                .map(|l| l.items.iter().map(|i| i.name.clone()).collect())
                .unwrap_or_default()
        };
        let facts = Facts {
            default_none,
            presets,
            enable: names(&enable),
            disable: names(&disable),
        };
        Ok(Section {
            entry,
            children,
            enable,
            disable,
            facts,
        })
    }

    /// An edit inserting `new_lines` after line `at`.
    fn insert_after(
        lines: &[Line],
        at: usize,
        new_lines: &[String],
        eol: &str,
    ) -> Option<ByteEdit> {
        let line = lines.get(at)?;
        let joined = new_lines.join(eol);
        Some(if line.next > line.end {
            ByteEdit {
                start: line.next,
                end: line.next,
                new_text: format!("{joined}{eol}"),
            }
        } else {
            ByteEdit {
                start: line.end,
                end: line.end,
                new_text: format!("{eol}{joined}"),
            }
        })
    }

    /// The edits taking every `linter` out of `list`.
    fn remove(text: &str, lines: &[Line], list: &List, linter: &str) -> Vec<ByteEdit> {
        let doomed: Vec<usize> = list
            .items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.name == linter)
            .map(|(index, _)| index)
            .collect();
        match list.shape {
            Shape::Block => doomed
                .iter()
                .filter_map(|&index| {
                    let line = lines.get(list.items.get(index)?.line)?;
                    Some(ByteEdit {
                        start: line.start,
                        end: line.next,
                        new_text: String::new(),
                    })
                })
                .collect(),
            Shape::Flow { .. } => {
                let spans: Vec<(usize, usize)> =
                    list.items.iter().map(|i| (i.start, i.end)).collect();
                remove_from_comma_list(text, &spans, &doomed)
                    .into_iter()
                    .collect()
            }
        }
    }

    pub(super) fn outline(text: &str) -> Result<super::Outline> {
        let lines = lines(text)?;
        let top = mapping(text, &lines, 0, lines.len(), None)?;
        let mut out = super::Outline {
            top_keys: top.iter().map(|e| e.key.clone()).collect(),
            ..super::Outline::default()
        };
        if let Some(e) = top.iter().find(|e| e.key == "version") {
            let value = scalar_value(text, e)
                .ok_or_else(|| unsupported("a `version` that is not a plain value"))?;
            out.version = Some((value, e.value_start, e.value_end));
        }
        for key in ["linters", "formatters"] {
            let Some(entry) = top.iter().find(|e| e.key == key).cloned() else {
                continue;
            };
            let section_name: &'static str = if key == "linters" {
                "linters"
            } else {
                "formatters"
            };
            if key == "formatters" {
                out.formatters = true;
            }
            let read = section(text, &lines, entry, 2)?;
            if key == "linters" {
                out.linters_keys = read.children.iter().map(|c| c.key.clone()).collect();
            }
            for (list_name, list) in [("enable", &read.enable), ("disable", &read.disable)] {
                let Some(list) = list else { continue };
                let spans: Vec<(usize, usize)> =
                    list.items.iter().map(|i| (i.start, i.end)).collect();
                for (index, item) in list.items.iter().enumerate() {
                    let removal = match list.shape {
                        Shape::Block => lines.get(item.line).map(|line| ByteEdit {
                            start: line.start,
                            end: line.next,
                            new_text: String::new(),
                        }),
                        Shape::Flow { open } => super::comma_removal(
                            text,
                            &spans,
                            index,
                            (open - 1, list.entry.value_end),
                        ),
                    }
                    .ok_or_else(not_a_list)?;
                    let (start, end) = super::name_span(text, item.start, item.end, &item.name);
                    out.names.push(super::ListedName {
                        name: item.name.clone(),
                        section: section_name,
                        list: list_name,
                        start,
                        end,
                        removal,
                    });
                }
            }
        }
        Ok(out)
    }

    pub(super) fn disable(text: &str, linter: &str, major: u8) -> Result<Vec<ByteEdit>> {
        let lines = lines(text)?;
        let eol = line_ending(text);
        let top = mapping(text, &lines, 0, lines.len(), None)?;
        let find = |key: &str| top.iter().find(|e| e.key == key).cloned();
        let linters = find("linters")
            .map(|e| section(text, &lines, e, major))
            .transpose()?;
        let formatters = if major >= 2 {
            find("formatters")
                .map(|e| section(text, &lines, e, major))
                .transpose()?
        } else {
            None
        };
        let none = Facts::default();
        let plan = plan_for(
            ConfigFormat::Yaml,
            linter,
            major,
            linters.as_ref().map_or(&none, |s| &s.facts),
            formatters.as_ref().map_or(&none, |s| &s.facts),
        )?;
        let source = if plan.formatter {
            &formatters
        } else {
            &linters
        };
        let mut edits = source
            .as_ref()
            .and_then(|s| s.enable.as_ref())
            .map(|l| remove(text, &lines, l, linter))
            .unwrap_or_default();
        if plan.add_to_disable {
            let added = match &linters {
                Some(section) => add_to_section(text, &lines, section, linter, eol, &edits),
                None => Some(new_linters_block(text, &lines, linter, eol)),
            };
            edits.push(added.ok_or_else(not_a_list)?);
        }
        Ok(edits)
    }

    /// The edit adding `linter` to `linters.disable`, creating the key when
    /// it is missing.
    fn add_to_section(
        text: &str,
        lines: &[Line],
        section: &Section,
        linter: &str,
        eol: &str,
        removals: &[ByteEdit],
    ) -> Option<ByteEdit> {
        let child_indent = section
            .children
            .first()
            .and_then(|c| lines.get(c.line))
            .map_or_else(|| unit(lines), |l| l.indent);
        // How far items sit from their key, as the enable list does it.
        let item_offset = section
            .enable
            .as_ref()
            .and_then(|l| {
                let item = lines.get(l.items.first()?.line)?;
                let key = lines.get(l.entry.line)?;
                matches!(l.shape, Shape::Block).then(|| item.indent.saturating_sub(key.indent))
            })
            .unwrap_or(child_indent);
        if let Some(disable) = &section.disable {
            let key_indent = lines.get(disable.entry.line)?.indent;
            return match (&disable.shape, disable.items.last()) {
                (Shape::Flow { .. }, Some(last)) => Some(ByteEdit {
                    start: last.end,
                    end: last.end,
                    new_text: format!(", {linter}"),
                }),
                (Shape::Flow { open }, None) => Some(ByteEdit {
                    start: *open,
                    end: *open,
                    new_text: linter.to_string(),
                }),
                (Shape::Block, Some(last)) => {
                    let line = lines.get(last.line)?;
                    let prefix = text.get(line.start..last.start)?;
                    insert_after(lines, last.line, &[format!("{prefix}{linter}")], eol)
                }
                (Shape::Block, None) => {
                    let pad = " ".repeat(key_indent + item_offset);
                    insert_after(
                        lines,
                        disable.entry.line,
                        &[format!("{pad}- {linter}")],
                        eol,
                    )
                }
            };
        }
        let removed = |line: &Line| {
            removals
                .iter()
                .any(|e| e.start == line.start && e.end == line.next)
        };
        // After the enable list's last surviving line, else after the
        // section's last content line, else after `linters:` itself.
        let anchor = match &section.enable {
            Some(enable) => enable
                .items
                .iter()
                .rev()
                .filter(|_| matches!(enable.shape, Shape::Block))
                .map(|i| i.line)
                .find(|&at| lines.get(at).is_some_and(|l| !removed(l)))
                .unwrap_or(enable.entry.line),
            None => (section.entry.line..section.entry.block_end)
                .rev()
                .find(|&at| {
                    lines
                        .get(at)
                        .is_some_and(|l| matches!(l.kind, Kind::Content | Kind::Continuation))
                })
                .unwrap_or(section.entry.line),
        };
        let key_pad = " ".repeat(child_indent);
        let item_pad = " ".repeat(child_indent + item_offset);
        insert_after(
            lines,
            anchor,
            &[
                format!("{key_pad}disable:"),
                format!("{item_pad}- {linter}"),
            ],
            eol,
        )
    }

    /// The indentation step of the file: its first indented key's, or 2.
    fn unit(lines: &[Line]) -> usize {
        lines
            .iter()
            .find(|l| l.kind == Kind::Content && l.indent > 0)
            .map_or(2, |l| l.indent)
    }

    /// A whole `linters:` block appended to the file.
    fn new_linters_block(text: &str, lines: &[Line], linter: &str, eol: &str) -> ByteEdit {
        let unit = unit(lines);
        let block = format!(
            "linters:{eol}{pad}disable:{eol}{pad}{pad}- {linter}{eol}",
            pad = " ".repeat(unit)
        );
        let new_text = if text.is_empty() || text.ends_with('\n') {
            block
        } else {
            format!("{eol}{block}")
        };
        ByteEdit {
            start: text.len(),
            end: text.len(),
            new_text,
        }
    }
}

mod json {
    //! The JSON reader is `jsonc-parser`'s AST (byte ranges on every node),
    //! held to strict JSON as golangci-lint's `encoding/json` reads it.

    use crate::jsonc::Dialect;
    use jsonc_parser::ast::{ObjectPropName, Value};
    use jsonc_parser::common::Ranged as _;
    use jsonc_parser::tokens::Token;

    use super::{
        line_ending, plan_for, remove_from_comma_list, ByteEdit, ConfigEditError, ConfigFormat,
        Facts, MAX_JSON_DEPTH,
    };

    type Result<T> = std::result::Result<T, ConfigEditError>;

    fn invalid(why: &'static str) -> ConfigEditError {
        ConfigEditError::Unsupported(ConfigFormat::Json, why)
    }

    /// Byte span of a value, brackets and quotes included.
    fn span(value: &Value<'_>) -> (usize, usize) {
        let range = value.range();
        (range.start, range.end)
    }

    fn name<'v>(name: &'v ObjectPropName<'_>) -> &'v str {
        match name {
            ObjectPropName::String(lit) => lit.value.as_ref(),
            ObjectPropName::Word(word) => word.value,
        }
    }

    /// The member named `key`; the last one when the key repeats, as Go's
    /// `encoding/json` decides.
    fn member<'v, 'a>(value: &'v Value<'a>, key: &str) -> Option<&'v Value<'a>> {
        let Value::Object(object) = value else {
            return None;
        };
        object
            .properties
            .iter()
            .rev()
            .find(|p| name(&p.name) == key)
            .map(|p| &p.value)
    }

    fn json_blank(text: &str) -> bool {
        text.bytes()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    }

    /// Parses `text` as strict JSON: no comments, trailing commas or JSON5
    /// forms (the parser's options), and, checked on its tokens, only JSON's
    /// four whitespace bytes between them, no raw control character in a
    /// string, nesting at most [`MAX_JSON_DEPTH`].
    fn parse(text: &str) -> Result<Value<'_>> {
        let not_json = || invalid("not valid JSON");
        let parsed = crate::jsonc::parse(text, Dialect::Strict, true).map_err(|_| not_json())?;
        let (Some(root), Some(tokens)) = (parsed.value, parsed.tokens) else {
            return Err(not_json());
        };
        let mut depth = 0usize;
        let mut previous_end = 0;
        for token in &tokens {
            let (start, end) = (token.range.start, token.range.end);
            if !text.get(previous_end..start).is_some_and(json_blank) {
                return Err(not_json());
            }
            previous_end = end;
            match token.token {
                Token::OpenBrace | Token::OpenBracket => depth += 1,
                Token::CloseBrace | Token::CloseBracket => depth = depth.saturating_sub(1),
                Token::String(_)
                    if text
                        .get(start..end)
                        .is_none_or(|raw| raw.bytes().any(|b| b < 0x20)) =>
                {
                    return Err(not_json());
                }
                _ => {}
            }
            if depth > MAX_JSON_DEPTH {
                return Err(invalid("JSON nested too deeply"));
            }
        }
        if !text.get(previous_end..).is_some_and(json_blank) {
            return Err(not_json());
        }
        Ok(root)
    }

    /// The names of a string array (other items count as no name).
    fn names(list: Option<&Value<'_>>) -> Result<Vec<String>> {
        match list {
            None => Ok(Vec::new()),
            Some(Value::Array(array)) => Ok(array
                .elements
                .iter()
                .map(|i| match i {
                    Value::StringLit(lit) => lit.value.to_string(),
                    _ => String::new(),
                })
                .collect()),
            Some(_) => Err(invalid("a linter list that is not an array")),
        }
    }

    fn facts(text: &str, section: Option<&Value<'_>>, major: u8) -> Result<Facts> {
        let Some(section) = section else {
            return Ok(Facts::default());
        };
        if !matches!(section, Value::Object(_)) {
            return Err(invalid(
                "a `linters` or `formatters` value that is not an object",
            ));
        }
        let literal = |key: &str| {
            member(section, key)
                .map(|v| {
                    let (start, end) = span(v);
                    text.get(start..end).unwrap_or_default()
                })
                .unwrap_or_default()
        };
        let default_none = if major == 1 {
            literal("disable-all") == "true"
        } else {
            literal("default") == "\"none\""
        };
        let presets = major == 1
            && matches!(member(section, "presets"), Some(Value::Array(a)) if !a.elements.is_empty());
        Ok(Facts {
            default_none,
            presets,
            enable: names(member(section, "enable"))?,
            disable: names(member(section, "disable"))?,
        })
    }

    /// The indentation of the line holding byte `at`.
    fn indent_at(text: &str, at: usize) -> &str {
        let line_start = text
            .get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let line = text.get(line_start..).unwrap_or_default();
        let width = line.len() - line.trim_start_matches([' ', '\t']).len();
        line.get(..width).unwrap_or_default()
    }

    /// An edit adding the member `"key": value` to `object`, laid out like
    /// its other members.
    fn add_member(
        text: &str,
        object: &Value<'_>,
        key: &str,
        value: &str,
        eol: &str,
    ) -> Option<ByteEdit> {
        let Value::Object(object) = object else {
            return None;
        };
        let (open, close) = (object.range.start, object.range.end.checked_sub(1)?);
        let member = format!("\"{key}\": {value}");
        let Some(last) = object.properties.last() else {
            let inner = text.get(open + 1..close)?;
            return Some(if inner.contains('\n') {
                let pad = format!("{}  ", indent_at(text, open));
                ByteEdit {
                    start: open + 1,
                    end: open + 1,
                    new_text: format!("{eol}{pad}{member}"),
                }
            } else {
                ByteEdit {
                    start: open + 1,
                    end: close,
                    new_text: member,
                }
            });
        };
        let key_start = last.range.start;
        let after = span(&last.value).1;
        let multiline = text.get(open..key_start)?.contains('\n');
        let new_text = if multiline {
            format!(",{eol}{}{member}", indent_at(text, key_start))
        } else {
            format!(", {member}")
        };
        Some(ByteEdit {
            start: after,
            end: after,
            new_text,
        })
    }

    /// `text` with a byte-order mark blanked to three spaces, so every range
    /// of the parse still indexes `text`.
    fn unmarked(text: &str) -> std::borrow::Cow<'_, str> {
        match text.strip_prefix('\u{feff}') {
            Some(rest) => std::borrow::Cow::Owned(format!("   {rest}")),
            None => std::borrow::Cow::Borrowed(text),
        }
    }

    fn keys(value: &Value<'_>) -> Vec<String> {
        match value {
            Value::Object(object) => object
                .properties
                .iter()
                .map(|p| name(&p.name).to_string())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub(super) fn outline(text: &str) -> Result<super::Outline> {
        let parsed_text = unmarked(text);
        let root = parse(&parsed_text)?;
        if !matches!(root, Value::Object(_)) {
            return Err(invalid("a config that is not a JSON object"));
        }
        let mut out = super::Outline {
            top_keys: keys(&root),
            ..super::Outline::default()
        };
        if let Some(value) = member(&root, "version") {
            let (start, end) = span(value);
            let Value::StringLit(lit) = value else {
                return Err(invalid("a `version` that is not a string"));
            };
            out.version = Some((lit.value.to_string(), start, end));
        }
        for section_name in ["linters", "formatters"] {
            let Some(section) = member(&root, section_name) else {
                continue;
            };
            if !matches!(section, Value::Object(_)) {
                return Err(invalid(
                    "a `linters` or `formatters` value that is not an object",
                ));
            }
            if section_name == "linters" {
                out.linters_keys = keys(section);
            } else {
                out.formatters = true;
            }
            for list_name in ["enable", "disable"] {
                let Some(list) = member(section, list_name) else {
                    continue;
                };
                let Value::Array(array) = list else {
                    return Err(invalid("a linter list that is not an array"));
                };
                let spans: Vec<(usize, usize)> = array.elements.iter().map(span).collect();
                for (index, item) in array.elements.iter().enumerate() {
                    let Value::StringLit(lit) = item else {
                        continue;
                    };
                    let (start, end) = span(item);
                    let removal = super::comma_removal(text, &spans, index, span(list))
                        .ok_or_else(|| invalid("a linter list that cannot be edited"))?;
                    out.names.push(super::ListedName {
                        name: lit.value.to_string(),
                        section: if section_name == "linters" {
                            "linters"
                        } else {
                            "formatters"
                        },
                        list: if list_name == "enable" {
                            "enable"
                        } else {
                            "disable"
                        },
                        start: start + 1,
                        end: end.saturating_sub(1).max(start + 1),
                        removal,
                    });
                }
            }
        }
        Ok(out)
    }

    /// The edit adding `"formatters": {"enable": [formatter]}` to the root.
    pub(super) fn add_formatters(text: &str, formatter: &str, eol: &str) -> Result<ByteEdit> {
        let parsed_text = unmarked(text);
        let root = parse(&parsed_text)?;
        add_member(
            text,
            &root,
            "formatters",
            &format!("{{\"enable\": [\"{formatter}\"]}}"),
            eol,
        )
        .ok_or_else(|| invalid("a config that is not a JSON object"))
    }

    pub(super) fn disable(text: &str, linter: &str, major: u8) -> Result<Vec<ByteEdit>> {
        // The parser does not skip a byte-order mark: it reads three spaces
        // in its place instead, so every range still indexes `text`.
        let blanked;
        let parsed_text = match text.strip_prefix('\u{feff}') {
            Some(rest) => {
                blanked = format!("   {rest}");
                blanked.as_str()
            }
            None => text,
        };
        let root = parse(parsed_text)?;
        if !matches!(root, Value::Object(_)) {
            return Err(invalid("a config that is not a JSON object"));
        }
        let eol = line_ending(text);
        let linters = member(&root, "linters");
        let formatters = if major >= 2 {
            member(&root, "formatters")
        } else {
            None
        };
        let plan = plan_for(
            ConfigFormat::Json,
            linter,
            major,
            &facts(text, linters, major)?,
            &facts(text, formatters, major)?,
        )?;
        let source = if plan.formatter { formatters } else { linters };
        let mut edits = Vec::new();
        if let Some(Value::Array(array)) = source.and_then(|s| member(s, "enable")) {
            let spans: Vec<(usize, usize)> = array.elements.iter().map(span).collect();
            let doomed: Vec<usize> = array
                .elements
                .iter()
                .enumerate()
                .filter(|(_, i)| matches!(i, Value::StringLit(lit) if lit.value == linter))
                .map(|(index, _)| index)
                .collect();
            edits.extend(remove_from_comma_list(text, &spans, &doomed));
        }
        if plan.add_to_disable {
            let quoted = format!("\"{linter}\"");
            let added = match linters {
                None => add_member(
                    text,
                    &root,
                    "linters",
                    &format!("{{\"disable\": [{quoted}]}}"),
                    eol,
                ),
                Some(section) => match member(section, "disable") {
                    Some(Value::Array(array)) => Some(match array.elements.last() {
                        Some(last) => ByteEdit {
                            start: span(last).1,
                            end: span(last).1,
                            new_text: format!(", {quoted}"),
                        },
                        None => ByteEdit {
                            start: array.range.start + 1,
                            end: array.range.start + 1,
                            new_text: quoted,
                        },
                    }),
                    _ => add_member(text, section, "disable", &format!("[{quoted}]"), eol),
                },
            };
            edits.push(added.ok_or_else(|| invalid("not valid JSON"))?);
        }
        Ok(edits)
    }
}

mod toml {
    //! The TOML editor: `toml_edit` parses (keeping every value's byte span)
    //! and the edits are placed by those spans, so the rest of the file,
    //! comments and layout included, is left as it was.

    use toml_edit::{Array, Document, Item, Table, Value};

    use super::{
        line_ending, plan_for, remove_from_comma_list, ByteEdit, ConfigEditError, ConfigFormat,
        Facts,
    };

    type Result<T> = std::result::Result<T, ConfigEditError>;

    fn unsupported(why: &'static str) -> ConfigEditError {
        ConfigEditError::Unsupported(ConfigFormat::Toml, why)
    }

    /// `[linters]` or `[formatters]` as a standard table; None when absent.
    /// An implicit table (only `[linters.settings]` and the like) counts as
    /// absent: a `[linters]` header may still follow its sub-tables.
    fn section<'d>(root: &'d Table, key: &str) -> Result<Option<&'d Table>> {
        match root.get(key) {
            None => Ok(None),
            Some(Item::Table(table)) if table.is_dotted() => {
                Err(unsupported("dotted `linters.` or `formatters.` keys"))
            }
            Some(Item::Table(table)) if table.is_implicit() && direct_values(table) == 0 => {
                Ok(None)
            }
            Some(Item::Table(table)) => Ok(Some(table)),
            Some(Item::Value(Value::InlineTable(_))) => {
                Err(unsupported("an inline `linters` or `formatters` table"))
            }
            Some(_) => Err(unsupported(
                "a `linters` or `formatters` value that is not a table",
            )),
        }
    }

    fn direct_values(table: &Table) -> usize {
        table.iter().filter(|(_, item)| item.is_value()).count()
    }

    fn array<'d>(table: Option<&'d Table>, key: &str) -> Result<Option<&'d Array>> {
        match table.and_then(|t| t.get(key)) {
            None => Ok(None),
            Some(item) => item
                .as_array()
                .map(Some)
                .ok_or_else(|| unsupported("a linter list that is not an array")),
        }
    }

    /// The names of a string array (other items count as no name).
    fn names(list: Option<&Array>) -> Vec<String> {
        list.map(|a| {
            a.iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
    }

    fn facts(section: Option<&Table>, major: u8) -> Result<Facts> {
        let Some(table) = section else {
            return Ok(Facts::default());
        };
        let default_none = if major == 1 {
            table.get("disable-all").and_then(Item::as_bool) == Some(true)
        } else {
            table.get("default").and_then(Item::as_str) == Some("none")
        };
        let presets = major == 1 && array(section, "presets")?.is_some_and(|a| !a.is_empty());
        Ok(Facts {
            default_none,
            presets,
            enable: names(array(section, "enable")?),
            disable: names(array(section, "disable")?),
        })
    }

    fn span(value: &Value) -> Result<(usize, usize)> {
        value
            .span()
            .map(|r| (r.start, r.end))
            .ok_or_else(|| unsupported("a value without a place in the file"))
    }

    /// The end of the last value written in `table` (dotted keys such as
    /// `settings.lll.line-length` included), or of its header.
    fn last_byte(table: &Table) -> Option<usize> {
        let mut last = table.span().map(|r| r.end);
        for (_, item) in table.iter() {
            let end = match item {
                Item::Value(value) => value.span().map(|r| r.end),
                Item::Table(inner) if inner.is_dotted() => last_byte(inner),
                _ => None,
            };
            last = last.max(end);
        }
        last
    }

    /// An edit inserting `line` (without its ending) as a new line after the
    /// line holding byte `at`.
    fn line_after(text: &str, at: usize, line: &str, eol: &str) -> ByteEdit {
        match text.get(at..).and_then(|rest| rest.find('\n')) {
            Some(newline) => ByteEdit {
                start: at + newline + 1,
                end: at + newline + 1,
                new_text: format!("{line}{eol}"),
            },
            None => ByteEdit {
                start: text.len(),
                end: text.len(),
                new_text: format!("{eol}{line}"),
            },
        }
    }

    /// The edit removing every `linter` from `list`: the items alone, or
    /// the whole array's contents when none stays (a trailing comma or a
    /// comment inside would otherwise be left alone in it).
    fn remove(text: &str, list: &Array, linter: &str) -> Result<Option<ByteEdit>> {
        let spans = list.iter().map(span).collect::<Result<Vec<_>>>()?;
        let doomed: Vec<usize> = list
            .iter()
            .enumerate()
            .filter(|(_, v)| v.as_str() == Some(linter))
            .map(|(index, _)| index)
            .collect();
        if doomed.is_empty() {
            return Ok(None);
        }
        if doomed.len() == spans.len() {
            let (start, end) = list
                .span()
                .map(|r| (r.start, r.end))
                .ok_or_else(|| unsupported("a value without a place in the file"))?;
            return Ok(Some(ByteEdit {
                start,
                end,
                new_text: "[]".to_string(),
            }));
        }
        Ok(remove_from_comma_list(text, &spans, &doomed))
    }

    pub(super) fn outline(text: &str) -> Result<super::Outline> {
        let document = Document::parse(text).map_err(|_| unsupported("not valid TOML"))?;
        let root = document.as_table();
        let mut out = super::Outline {
            top_keys: root.iter().map(|(k, _)| k.to_string()).collect(),
            ..super::Outline::default()
        };
        if let Some(item) = root.get("version") {
            let value = item
                .as_value()
                .ok_or_else(|| unsupported("a `version` that is not a value"))?;
            let (start, end) = span(value)?;
            let version = value
                .as_str()
                .ok_or_else(|| unsupported("a `version` that is not a string"))?;
            out.version = Some((version.to_string(), start, end));
        }
        for section_name in ["linters", "formatters"] {
            if section_name == "formatters" {
                out.formatters = root.contains_key("formatters");
            }
            let table = section(root, section_name)?;
            if section_name == "linters" {
                if let Some(t) = root.get("linters").and_then(Item::as_table) {
                    out.linters_keys = t.iter().map(|(k, _)| k.to_string()).collect();
                }
            }
            for list_name in ["enable", "disable"] {
                let Some(list) = array(table, list_name)? else {
                    continue;
                };
                let spans = list.iter().map(span).collect::<Result<Vec<_>>>()?;
                let whole = list
                    .span()
                    .map(|r| (r.start, r.end))
                    .ok_or_else(|| unsupported("a value without a place in the file"))?;
                for (index, value) in list.iter().enumerate() {
                    let Some(name) = value.as_str() else { continue };
                    let (start, end) = span(value)?;
                    let removal = super::comma_removal(text, &spans, index, whole)
                        .ok_or_else(|| unsupported("a linter list that cannot be edited"))?;
                    let (start, end) = super::name_span(text, start, end, name);
                    out.names.push(super::ListedName {
                        name: name.to_string(),
                        section: if section_name == "linters" {
                            "linters"
                        } else {
                            "formatters"
                        },
                        list: if list_name == "enable" {
                            "enable"
                        } else {
                            "disable"
                        },
                        start,
                        end,
                        removal,
                    });
                }
            }
        }
        Ok(out)
    }

    pub(super) fn disable(text: &str, linter: &str, major: u8) -> Result<Vec<ByteEdit>> {
        let document = Document::parse(text).map_err(|_| unsupported("not valid TOML"))?;
        let root = document.as_table();
        let linters = section(root, "linters")?;
        let formatters = if major >= 2 {
            section(root, "formatters")?
        } else {
            None
        };
        let plan = plan_for(
            ConfigFormat::Toml,
            linter,
            major,
            &facts(linters, major)?,
            &facts(formatters, major)?,
        )?;
        let eol = line_ending(text);
        let source = if plan.formatter { formatters } else { linters };
        let mut edits = Vec::new();
        if let Some(list) = array(source, "enable")? {
            edits.extend(remove(text, list, linter)?);
        }
        if plan.add_to_disable {
            let quoted = format!("\"{linter}\"");
            edits.push(match linters {
                None => {
                    let gap = if text.is_empty() || text.ends_with('\n') {
                        ""
                    } else {
                        eol
                    };
                    let blank = if text.trim().is_empty() { "" } else { eol };
                    ByteEdit {
                        start: text.len(),
                        end: text.len(),
                        new_text: format!("{gap}{blank}[linters]{eol}disable = [{quoted}]{eol}"),
                    }
                }
                Some(table) => match array(linters, "disable")? {
                    Some(list) => {
                        let (open, _) = list
                            .span()
                            .map(|r| (r.start, r.end))
                            .ok_or_else(|| unsupported("a value without a place in the file"))?;
                        match list.iter().last() {
                            Some(last) => ByteEdit {
                                start: span(last)?.1,
                                end: span(last)?.1,
                                new_text: format!(", {quoted}"),
                            },
                            None => ByteEdit {
                                start: open + 1,
                                end: open + 1,
                                new_text: quoted,
                            },
                        }
                    }
                    None => {
                        let at = last_byte(table)
                            .ok_or_else(|| unsupported("a table without a place in the file"))?;
                        line_after(text, at, &format!("disable = [{quoted}]"), eol)
                    }
                },
            });
        }
        edits.sort_by_key(|e| (e.start, e.end));
        let mut edited = String::with_capacity(text.len() + 64);
        let mut copied = 0;
        for edit in &edits {
            let kept = text
                .get(copied..edit.start)
                .ok_or_else(|| unsupported("overlapping edits"))?;
            edited.push_str(kept);
            edited.push_str(&edit.new_text);
            copied = edit.end;
        }
        edited.push_str(text.get(copied..).unwrap_or_default());
        if Document::parse(edited.as_str()).is_err() {
            return Err(unsupported("the edited file would not be valid TOML"));
        }
        Ok(edits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The config after disabling `linter`, edits applied from the end.
    fn disable(
        text: &str,
        format: ConfigFormat,
        linter: &str,
        major: u8,
    ) -> Result<String, ConfigEditError> {
        let edits = disable_linter(text, format, linter, major)?;
        let mut out = text.to_string();
        for edit in edits.iter().rev() {
            out.replace_range(edit.start..edit.end, &edit.new_text);
        }
        Ok(out)
    }

    fn toml(text: &str, linter: &str, major: u8) -> Result<String, ConfigEditError> {
        disable(text, ConfigFormat::Toml, linter, major)
    }

    fn json(text: &str, linter: &str, major: u8) -> Result<String, ConfigEditError> {
        disable(text, ConfigFormat::Json, linter, major)
    }

    fn unsupported(result: Result<String, ConfigEditError>) -> bool {
        matches!(result, Err(ConfigEditError::Unsupported(..)))
    }

    #[test]
    fn the_format_comes_from_the_extension() {
        assert_eq!(
            ConfigFormat::from_path(Path::new("/p/.golangci.yml")),
            Some(ConfigFormat::Yaml)
        );
        assert_eq!(
            ConfigFormat::from_path(Path::new(".golangci.yaml")),
            Some(ConfigFormat::Yaml)
        );
        assert_eq!(
            ConfigFormat::from_path(Path::new(".golangci.TOML")),
            Some(ConfigFormat::Toml)
        );
        assert_eq!(
            ConfigFormat::from_path(Path::new(".golangci.json")),
            Some(ConfigFormat::Json)
        );
        assert_eq!(ConfigFormat::from_path(Path::new(".golangci")), None);
        assert_eq!(ConfigFormat::from_path(Path::new("go.mod")), None);
    }

    #[test]
    fn toml_forms_gord_does_not_edit_are_unsupported() {
        for text in [
            "linters = { enable = [\"lll\"] }\n",
            "linters.enable = [\"lll\"]\n",
            "linters = 3\n",
            "[linters]\nenable = \"lll\"\n",
            "[linters]\nenable = [\"lll\"\n",
            "[linters]\n[linters]\n",
        ] {
            assert!(unsupported(toml(text, "lll", 2)), "{text:?}");
        }
    }

    #[test]
    fn invalid_json_is_unsupported() {
        assert!(unsupported(json("{\"linters\": ", "lll", 2)));
        assert!(unsupported(json("[]", "lll", 2)));
        assert!(unsupported(json(&"[".repeat(10_000), "lll", 2)));
        // Strict JSON, as golangci-lint's encoding/json reads it.
        for text in [
            "{\"linters\": {}} // on",
            "{\"linters\": {},}",
            "{\"linters\": {\"enable\": ['lll']}}",
            "{linters: {}}",
            "{\"a\": 0x1F}",
            "{\"a\": +1}",
            "{\"a\": .5}",
            "{\"a\": NaN}",
            "{\"a\": \"\\x41\"}",
            "{\"a\": \"tab\there\"}",
            "{\"a\": 1}\u{b}",
            "{\"a\": 1 \"b\": 2}",
            "{} {}",
            "",
        ] {
            assert!(unsupported(json(text, "lll", 2)), "{text:?}");
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(64), "]".repeat(64));
        assert!(unsupported(json(&deep, "lll", 2)));
        let fine = format!("{{\"a\": {}{}}}", "[".repeat(63), "]".repeat(63));
        assert!(json(&fine, "lll", 2).is_ok());
    }

    #[test]
    fn a_new_config_disables_the_linter() {
        assert_eq!(
            new_config("errcheck", 2),
            "version: \"2\"\nlinters:\n  disable:\n    - errcheck\n"
        );
        assert_eq!(
            new_config("errcheck", 1),
            "linters:\n  disable:\n    - errcheck\n"
        );
        assert_eq!(new_config("gofmt", 2), "version: \"2\"\n");
        assert_eq!(
            new_config("a: b", 1),
            "linters:\n  disable:\n    - \"a: b\"\n"
        );
    }

    /// What disabling a linter makes of a config: (format, what the case
    /// shows, the config, the linter, golangci-lint's major version, the
    /// config after or the refusal).
    #[test]
    fn disabling_a_linter_edits_only_what_it_must() {
        for (format, why, text, linter, major, expected) in [
            (
                ConfigFormat::Yaml,
                "a block enable list loses the linter which is then disabled",
                "version: \"2\"\nlinters:\n  enable:\n    - errcheck\n    - gosec\n    - revive\n",
                "gosec",
                2,
                Ok("version: \"2\"\nlinters:\n  enable:\n    - errcheck\n    - revive\n  disable:\n    - gosec\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a linter enabled twice loses every occurrence",
                "linters:\n  default: none\n  enable:\n    - gosec\n    - errcheck\n    - \"gosec\" # again\n",
                "gosec",
                2,
                Ok("linters:\n  default: none\n  enable:\n    - errcheck\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a flow style enable list loses the linter",
                "linters:\n  default: none\n  enable: [errcheck, gosec, 'revive']\n",
                "gosec",
                2,
                Ok("linters:\n  default: none\n  enable: [errcheck, 'revive']\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a flow style enable list loses the linter",
                "linters:\n  default: none\n  enable: [errcheck, gosec, 'revive']\n",
                "revive",
                2,
                Ok("linters:\n  default: none\n  enable: [errcheck, gosec]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a flow style enable list loses the linter",
                "linters:\n  default: none\n  enable: [gosec, gosec, errcheck, gosec]\n",
                "gosec",
                2,
                Ok("linters:\n  default: none\n  enable: [errcheck]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "default none makes removal enough",
                "version: \"2\"\nlinters:\n  default: none\n  enable:\n    - errcheck\n    - gosec\n",
                "errcheck",
                2,
                Ok("version: \"2\"\nlinters:\n  default: none\n  enable:\n    - gosec\n"),
            ),
            (
                ConfigFormat::Yaml,
                "default none without the linter is already disabled",
                "linters:\n  default: \"none\"\n  enable:\n    - gosec\n",
                "errcheck",
                2,
                Err(ConfigEditError::AlreadyDisabled),
            ),
            (
                ConfigFormat::Yaml,
                "default standard adds the linter to the existing disable list",
                "linters:\n  default: standard\n  disable:\n    - unused # noisy\n",
                "errcheck",
                2,
                Ok("linters:\n  default: standard\n  disable:\n    - unused # noisy\n    - errcheck\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a compact disable list keeps its own indentation",
                "linters:\n  disable:\n  - unused\n  settings: {}\n",
                "errcheck",
                2,
                Ok("linters:\n  disable:\n  - unused\n  - errcheck\n  settings: {}\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a flow disable list gets the linter appended",
                "linters:\n  disable: [unused]\n",
                "errcheck",
                2,
                Ok("linters:\n  disable: [unused, errcheck]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a flow disable list gets the linter appended",
                "linters:\n  disable: []\n",
                "errcheck",
                2,
                Ok("linters:\n  disable: [errcheck]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "an empty disable key gets its first item",
                "linters:\n    disable:\n    # none yet\n",
                "errcheck",
                2,
                Ok("linters:\n    disable:\n        - errcheck\n    # none yet\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a missing disable key is created after the enable list with two space indent",
                "linters:\n  enable:\n    - gosec\n  settings:\n    gosec:\n      severity: low\n",
                "errcheck",
                2,
                Ok("linters:\n  enable:\n    - gosec\n  disable:\n    - errcheck\n  settings:\n    gosec:\n      severity: low\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a missing disable key is created with four space indent",
                "linters:\n    default: all\n    settings:\n        lll:\n            line-length: 100\nrun:\n    timeout: 5m\n",
                "lll",
                2,
                Ok("linters:\n    default: all\n    settings:\n        lll:\n            line-length: 100\n    disable:\n        - lll\nrun:\n    timeout: 5m\n"),
            ),
            (
                ConfigFormat::Yaml,
                "removing the last enabled item leaves the key and adds disable after it",
                "linters:\n  enable:\n    - gosec\n",
                "gosec",
                2,
                Ok("linters:\n  enable:\n  disable:\n    - gosec\n"),
            ),
            (
                ConfigFormat::Yaml,
                "an empty linters key gets a disable list",
                "version: \"2\"\nlinters:\nrun:\n  timeout: 1m\n",
                "errcheck",
                2,
                Ok("version: \"2\"\nlinters:\n  disable:\n    - errcheck\nrun:\n  timeout: 1m\n"),
            ),
            (
                ConfigFormat::Yaml,
                "no linters key at all appends one",
                "version: \"2\"\n",
                "errcheck",
                2,
                Ok("version: \"2\"\nlinters:\n  disable:\n    - errcheck\n"),
            ),
            (
                ConfigFormat::Yaml,
                "no linters key at all appends one",
                "run:\n    timeout: 5m",
                "errcheck",
                1,
                Ok("run:\n    timeout: 5m\nlinters:\n    disable:\n        - errcheck\n"),
            ),
            (
                ConfigFormat::Yaml,
                "no linters key at all appends one",
                "",
                "errcheck",
                1,
                Ok("linters:\n  disable:\n    - errcheck\n"),
            ),
            (
                ConfigFormat::Yaml,
                "comments are kept around the removed item",
                "linters:\n  # the strict set\n  default: none\n  enable:\n    # security\n    - gosec # noisy\n    - errcheck # keep\n  # end\n",
                "gosec",
                2,
                Ok("linters:\n  # the strict set\n  default: none\n  enable:\n    # security\n    - errcheck # keep\n  # end\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a crlf config gets crlf lines",
                "linters:\r\n  enable:\r\n    - gosec\r\n    - errcheck\r\n",
                "gosec",
                2,
                Ok("linters:\r\n  enable:\r\n    - errcheck\r\n  disable:\r\n    - gosec\r\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a crlf config gets crlf lines",
                "run:\r\n  timeout: 1m",
                "gosec",
                2,
                Ok("run:\r\n  timeout: 1m\r\nlinters:\r\n  disable:\r\n    - gosec\r\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a last line without newline stays without one",
                "linters:\n  disable:\n    - unused",
                "errcheck",
                2,
                Ok("linters:\n  disable:\n    - unused\n    - errcheck"),
            ),
            (
                ConfigFormat::Yaml,
                "a v2 formatter leaves formatters enable only",
                "version: \"2\"\nformatters:\n  enable:\n    - gofmt\n    - goimports\nlinters:\n  default: standard\n",
                "gofmt",
                2,
                Ok("version: \"2\"\nformatters:\n  enable:\n    - goimports\nlinters:\n  default: standard\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a v2 formatter that is not enabled is an error",
                "version: \"2\"\nlinters:\n  default: all\n",
                "gofumpt",
                2,
                Err(ConfigEditError::FormatterNotEnabled("gofumpt".to_string())),
            ),
            (
                ConfigFormat::Yaml,
                "a v1 formatter is an ordinary linter",
                "linters:\n  enable:\n    - gofmt\n",
                "gofmt",
                1,
                Ok("linters:\n  enable:\n  disable:\n    - gofmt\n"),
            ),
            (
                ConfigFormat::Yaml,
                "v1 disable all makes removal enough",
                "linters:\n  disable-all: true\n  enable:\n    - errcheck\n    - gosec\n",
                "gosec",
                1,
                Ok("linters:\n  disable-all: true\n  enable:\n    - errcheck\n"),
            ),
            (
                ConfigFormat::Yaml,
                "v1 disable all refuses to remove the last linter",
                "linters:\n  disable-all: true\n  enable: [gosec]\n",
                "gosec",
                1,
                Err(ConfigEditError::LastLinter("gosec".to_string())),
            ),
            (
                ConfigFormat::Yaml,
                "v1 enable all adds to disable",
                "linters:\n  enable-all: true\n  disable:\n    - lll\n",
                "gosec",
                1,
                Ok("linters:\n  enable-all: true\n  disable:\n    - lll\n    - gosec\n"),
            ),
            // v1 has no `default`; only disable-all turns the defaults off.
            (
                ConfigFormat::Yaml,
                "v2 default none key means nothing in v1",
                "linters:\n  default: none\n  enable: [gosec, lll]\n",
                "gosec",
                1,
                Ok("linters:\n  default: none\n  enable: [lll]\n  disable:\n    - gosec\n"),
            ),
            (
                ConfigFormat::Yaml,
                "an already disabled linter is an error",
                "linters:\n  disable:\n    - gosec\n",
                "gosec",
                2,
                Err(ConfigEditError::AlreadyDisabled),
            ),
            (
                ConfigFormat::Yaml,
                "an already disabled linter is an error",
                "linters:\n  disable: ['gosec']\n",
                "gosec",
                1,
                Err(ConfigEditError::AlreadyDisabled),
            ),
            (
                ConfigFormat::Yaml,
                "enabled and disabled at once only loses the enable entry",
                "linters:\n  enable: [gosec]\n  disable: [gosec]\n",
                "gosec",
                2,
                Ok("linters:\n  enable: []\n  disable: [gosec]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a leading document start is fine",
                "---\nlinters:\n  disable: [a]\n",
                "b",
                2,
                Ok("---\nlinters:\n  disable: [a, b]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "block scalars and quoted text elsewhere do not confuse the reader",
                "run:\n  note: |\n    linters:\n      - not: [a key\n  other: \"# not a comment\"\nlinters:\n  enable:\n    - gosec\n",
                "gosec",
                2,
                Ok("run:\n  note: |\n    linters:\n      - not: [a key\n  other: \"# not a comment\"\nlinters:\n  enable:\n  disable:\n    - gosec\n"),
            ),
            (
                ConfigFormat::Yaml,
                "list items that are not one scalar are unsupported",
                "linters:\n  disable: [it's, \"a,b\", 'c''d']\n",
                "gosec",
                2,
                Ok("linters:\n  disable: [it's, \"a,b\", 'c''d', gosec]\n"),
            ),
            (
                ConfigFormat::Yaml,
                "a quoted linters key is recognised",
                "\"linters\":\n  disable: [a]\n",
                "b",
                2,
                Ok("\"linters\":\n  disable: [a, b]\n"),
            ),
            (
                ConfigFormat::Toml,
                "a toml enable array loses the linter which is then disabled",
                "version = \"2\"\n\n[linters]\nenable = [\"errcheck\", \"gosec\", \"revive\"]\n",
                "gosec",
                2,
                Ok("version = \"2\"\n\n[linters]\nenable = [\"errcheck\", \"revive\"]\ndisable = [\"gosec\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "a multi line toml array keeps its layout and comments",
                "[linters]\ndefault = \"none\"\nenable = [\n  \"errcheck\", # always\n  \"gosec\",\n  'revive',\n]\n",
                "gosec",
                2,
                Ok("[linters]\ndefault = \"none\"\nenable = [\n  \"errcheck\", # always\n  'revive',\n]\n"),
            ),
            (
                ConfigFormat::Toml,
                "a multi line toml array keeps its layout and comments",
                "[linters]\ndefault = \"none\"\nenable = [\n  \"errcheck\", # always\n  \"gosec\",\n  'revive',\n]\n",
                "revive",
                2,
                Ok("[linters]\ndefault = \"none\"\nenable = [\n  \"errcheck\", # always\n  \"gosec\",\n]\n"),
            ),
            (
                ConfigFormat::Toml,
                "a multi line toml array keeps its layout and comments",
                "[linters]\ndefault = \"none\"\nenable = [\"gosec\", \"gosec\", \"errcheck\", \"gosec\"]\n",
                "gosec",
                2,
                Ok("[linters]\ndefault = \"none\"\nenable = [\"errcheck\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "removing every toml item leaves an empty array",
                "[linters]\nenable = [\n  \"gosec\", # the one\n]\n",
                "gosec",
                2,
                Ok("[linters]\nenable = []\ndisable = [\"gosec\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "toml default none and v1 disable all make removal enough",
                "[linters]\ndefault = \"none\"\nenable = [\"errcheck\", \"gosec\"]\n",
                "errcheck",
                2,
                Ok("[linters]\ndefault = \"none\"\nenable = [\"gosec\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "toml default none and v1 disable all make removal enough",
                "[linters]\ndefault = \"none\"\nenable = [\"errcheck\", \"gosec\"]\n",
                "lll",
                2,
                Err(ConfigEditError::AlreadyDisabled),
            ),
            (
                ConfigFormat::Toml,
                "toml default none and v1 disable all make removal enough",
                "[linters]\ndisable-all = true\nenable = [\"errcheck\", \"gosec\"]\n",
                "gosec",
                1,
                Ok("[linters]\ndisable-all = true\nenable = [\"errcheck\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "toml default none and v1 disable all make removal enough",
                "[linters]\ndisable-all = true\nenable = [\"gosec\"]\n",
                "gosec",
                1,
                Err(ConfigEditError::LastLinter("gosec".into())),
            ),
            (
                ConfigFormat::Toml,
                "a toml disable array gets the linter appended",
                "[linters]\ndisable = [\"unused\"] # noisy\n",
                "errcheck",
                2,
                Ok("[linters]\ndisable = [\"unused\", \"errcheck\"] # noisy\n"),
            ),
            (
                ConfigFormat::Toml,
                "a toml disable array gets the linter appended",
                "[linters]\ndisable = []\n",
                "errcheck",
                2,
                Ok("[linters]\ndisable = [\"errcheck\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "a toml disable array gets the linter appended",
                "[linters]\ndisable = [\"errcheck\"]\n",
                "errcheck",
                2,
                Err(ConfigEditError::AlreadyDisabled),
            ),
            (
                ConfigFormat::Toml,
                "a missing toml disable key goes after the last value of linters",
                "[linters]\ndefault = \"all\" # everything\nsettings.lll.line-length = 100\n\n[linters.settings.gosec]\nseverity = \"low\"\n\n[run]\ntimeout = \"5m\"",
                "lll",
                2,
                Ok("[linters]\ndefault = \"all\" # everything\nsettings.lll.line-length = 100\ndisable = [\"lll\"]\n\n[linters.settings.gosec]\nseverity = \"low\"\n\n[run]\ntimeout = \"5m\""),
            ),
            (
                ConfigFormat::Toml,
                "a missing toml disable key goes after the last value of linters",
                "[linters]\n",
                "lll",
                2,
                Ok("[linters]\ndisable = [\"lll\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "a missing toml disable key goes after the last value of linters",
                "[linters]",
                "lll",
                2,
                Ok("[linters]\ndisable = [\"lll\"]"),
            ),
            (
                ConfigFormat::Toml,
                "no toml linters table appends one",
                "version = \"2\"\n",
                "lll",
                2,
                Ok("version = \"2\"\n\n[linters]\ndisable = [\"lll\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "no toml linters table appends one",
                "version = \"2\"",
                "lll",
                2,
                Ok("version = \"2\"\n\n[linters]\ndisable = [\"lll\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "no toml linters table appends one",
                "",
                "lll",
                1,
                Ok("[linters]\ndisable = [\"lll\"]\n"),
            ),
            // Only sub-tables: a [linters] header may follow them.
            (
                ConfigFormat::Toml,
                "no toml linters table appends one",
                "[linters.settings.lll]\r\nline-length = 100\r\n",
                "lll",
                2,
                Ok("[linters.settings.lll]\r\nline-length = 100\r\n\r\n[linters]\r\ndisable = [\"lll\"]\r\n"),
            ),
            (
                ConfigFormat::Toml,
                "toml formatters are only removed from formatters enable",
                "version = \"2\"\n[formatters]\nenable = [\"gofmt\", \"goimports\"]\n",
                "gofmt",
                2,
                Ok("version = \"2\"\n[formatters]\nenable = [\"goimports\"]\n"),
            ),
            (
                ConfigFormat::Toml,
                "toml formatters are only removed from formatters enable",
                "version = \"2\"\n[formatters]\nenable = [\"gofmt\", \"goimports\"]\n",
                "gci",
                2,
                Err(ConfigEditError::FormatterNotEnabled("gci".into())),
            ),
            (
                ConfigFormat::Yaml,
                "bad names and versions are refused",
                "",
                "a b",
                2,
                Err(ConfigEditError::InvalidLinterName("a b".to_string())),
            ),
            (
                ConfigFormat::Yaml,
                "bad names and versions are refused",
                "",
                "gosec",
                3,
                Err(ConfigEditError::UnsupportedVersion(3)),
            ),
            (
                ConfigFormat::Json,
                "json enable array loses the linter and disable array gains it",
                "{\n  \"linters\": {\n    \"enable\": [\"gosec\", \"errcheck\"],\n    \"disable\": [\"lll\"]\n  }\n}\n",
                "gosec",
                2,
                Ok("{\n  \"linters\": {\n    \"enable\": [\"errcheck\"],\n    \"disable\": [\"lll\", \"gosec\"]\n  }\n}\n"),
            ),
            (
                ConfigFormat::Json,
                "json default none makes removal enough",
                "{\"linters\": {\"default\": \"none\", \"enable\": [\"a\", \"gosec\", \"b\"]}}",
                "gosec",
                2,
                Ok("{\"linters\": {\"default\": \"none\", \"enable\": [\"a\", \"b\"]}}"),
            ),
            (
                ConfigFormat::Json,
                "json creates the disable member and the linters object",
                "{\n  \"linters\": {\n    \"default\": \"all\"\n  }\n}\n",
                "lll",
                2,
                Ok("{\n  \"linters\": {\n    \"default\": \"all\",\n    \"disable\": [\"lll\"]\n  }\n}\n"),
            ),
            (
                ConfigFormat::Json,
                "json creates the disable member and the linters object",
                "{\"version\": \"2\"}",
                "lll",
                2,
                Ok("{\"version\": \"2\", \"linters\": {\"disable\": [\"lll\"]}}"),
            ),
            (
                ConfigFormat::Json,
                "json creates the disable member and the linters object",
                "{}",
                "lll",
                1,
                Ok("{\"linters\": {\"disable\": [\"lll\"]}}"),
            ),
            (
                ConfigFormat::Json,
                "json creates the disable member and the linters object",
                "{\"linters\": {}, \"run\": {}}",
                "lll",
                1,
                Ok("{\"linters\": {\"disable\": [\"lll\"]}, \"run\": {}}"),
            ),
            (
                ConfigFormat::Json,
                "json formatters and already disabled",
                "{\"formatters\": {\"enable\": [\"gofmt\"]}}",
                "gofmt",
                2,
                Ok("{\"formatters\": {\"enable\": []}}"),
            ),
            (
                ConfigFormat::Json,
                "json formatters and already disabled",
                "{\"linters\": {\"disable\": [\"lll\"]}}",
                "lll",
                2,
                Err(ConfigEditError::AlreadyDisabled),
            ),
            (
                ConfigFormat::Json,
                "json with a bom or escaped names is read as go reads it",
                "\u{feff}{\"linters\": {\"enable\": [\"lll\"]}}",
                "lll",
                2,
                Ok("\u{feff}{\"linters\": {\"enable\": [], \"disable\": [\"lll\"]}}"),
            ),
            (
                ConfigFormat::Json,
                "json with a bom or escaped names is read as go reads it",
                "{\"linters\": {\"enable\": [\"\\u006cll\", \"gosec\"]}}",
                "lll",
                2,
                Ok("{\"linters\": {\"enable\": [\"gosec\"], \"disable\": [\"lll\"]}}"),
            ),
            // The last of a repeated key is the one Go keeps.
            (
                ConfigFormat::Json,
                "json with a bom or escaped names is read as go reads it",
                "{\"linters\": {\"default\": \"none\", \"default\": \"all\"}}",
                "lll",
                2,
                Ok("{\"linters\": {\"default\": \"none\", \"default\": \"all\", \"disable\": [\"lll\"]}}"),
            ),
        ] {
            assert_eq!(
                disable(text, format, linter, major).as_deref(),
                expected.as_deref(),
                "{why}: {text:?}"
            );
        }
    }

    /// Configs gord does not edit (it cannot do so without risk): (format,
    /// what the case shows, the config, the linter, the major version).
    #[test]
    fn forms_gord_cannot_edit_safely_are_unsupported() {
        for (format, why, text, linter, major) in [
            (
                ConfigFormat::Yaml,
                "v1 disable all with presets is unsupported",
                "linters:\n  disable-all: true\n  presets:\n    - bugs\n  enable: [gosec]\n",
                "gosec",
                1,
            ),
            (
                ConfigFormat::Yaml,
                "anchors aliases and tags are unsupported",
                "base: &b\n  - gosec\nlinters:\n  enable: *b\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "anchors aliases and tags are unsupported",
                "linters:\n  enable: !!seq [gosec]\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "several documents and directives are unsupported",
                "run: {}\n---\nlinters:\n  enable: [a]\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "several documents and directives are unsupported",
                "%YAML 1.2\n---\nlinters: {}\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "several documents and directives are unsupported",
                "linters:\n  enable: [a]\n...\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "linters that is not a block mapping is unsupported",
                "linters: {enable: [gosec]}\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "linters that is not a block mapping is unsupported",
                "linters:\n  - gosec\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "linters that is not a block mapping is unsupported",
                "linters: gosec\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "linters that is not a block mapping is unsupported",
                "- linters\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "odd lists are unsupported",
                "linters:\n  enable: [a,\n    gosec]\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "odd lists are unsupported",
                "linters:\n  enable:\n    - [gosec]\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "odd lists are unsupported",
                "linters:\n  enable:\n    - name: gosec\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "odd lists are unsupported",
                "linters:\n  enable: gosec\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "odd lists are unsupported",
                "linters:\n  enable:\n    - a\n      - b\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "duplicate keys and tab indentation are unsupported",
                "linters:\n  enable: [a]\nlinters:\n  enable: [b]\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "duplicate keys and tab indentation are unsupported",
                "linters:\n\tenable: [a]\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "an indented root or a value below its key is unsupported",
                "  run: {}\n  linters:\n    disable: [a]\n",
                "b",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "an indented root or a value below its key is unsupported",
                "linters:\n  disable-all:\n    true\n  enable: [a, b]\n",
                "b",
                1,
            ),
            (
                ConfigFormat::Yaml,
                "an indented root or a value below its key is unsupported",
                "linters:\n  default:\n    none\n",
                "b",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "a lone carriage return is unsupported",
                "linters:\r  enable: [a]\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "list items that are not one scalar are unsupported",
                "linters:\n  disable: [ab\": x]\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "list items that are not one scalar are unsupported",
                "linters:\n  disable: [\"a\" b]\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "list items that are not one scalar are unsupported",
                "linters:\n  disable:\n    - 'a' b\n",
                "gosec",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "lines under a key with an inline value are unsupported",
                "linters:\n  enable: [a]\n  - b\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Yaml,
                "lines under a key with an inline value are unsupported",
                "linters:\n  enable: [a]\n    b\n",
                "a",
                2,
            ),
            (
                ConfigFormat::Toml,
                "toml default none and v1 disable all make removal enough",
                "[linters]\ndisable-all = true\npresets = [\"bugs\"]\nenable = [\"gosec\"]\n",
                "gosec",
                1,
            ),
        ] {
            assert!(
                unsupported(disable(text, format, linter, major)),
                "{why}: {text:?}"
            );
        }
    }
}
