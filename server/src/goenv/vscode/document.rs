//! A VS Code settings file read as VS Code reads it: JSONC (comments and
//! trailing commas allowed), duplicate keys kept in order (the last one
//! wins), every key and value with its byte span so a finding sits on the
//! exact key and a fix removes exactly one member or array item.

use crate::jsonc::{self, Dialect};
use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::common::Ranged as _;
use jsonc_parser::tokens::{Token, TokenAndRange};

use crate::finding::{Edit, Range};
use crate::text::LineIndex;

/// A byte span `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    fn of(range: jsonc_parser::common::Range) -> Span {
        Span {
            start: range.start,
            end: range.end,
        }
    }
}

/// A settings value, as much of it as the rules read.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Bool(bool),
    Null,
    /// A number: no rule reads its value.
    Number,
    Object(Vec<Member>),
    Array(Vec<Item>),
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// `"key": value` in an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    /// The key with its quotes.
    pub key_span: Span,
    pub value: Value,
    pub value_span: Span,
    /// What removing the member deletes (see [`Document::removal`]).
    removal: Vec<Span>,
}

/// One element of an array.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub value: Value,
    pub span: Span,
    removal: Vec<Span>,
}

/// Why a settings file could not be read exactly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotSettings {
    #[error("not JSON: {message}")]
    Syntax { message: String, at: Span },
    #[error("the top level is not a JSON object, so VS Code ignores the whole file")]
    NotAnObject { at: Span },
}

impl NotSettings {
    pub fn span(&self) -> Span {
        match self {
            NotSettings::Syntax { at, .. } | NotSettings::NotAnObject { at } => *at,
        }
    }
}

/// A parsed settings file: its text and its top-level members in order.
pub struct Document<'t> {
    pub text: &'t str,
    pub members: Vec<Member>,
    /// The top-level object, braces included; None for a file with no
    /// value (empty, or only blanks and comments).
    pub root: Option<Span>,
    lines: LineIndex<'t>,
}

impl<'t> Document<'t> {
    /// Reads `text` as VS Code does. An empty file is an empty object.
    pub fn parse(text: &'t str) -> Result<Document<'t>, NotSettings> {
        let parsed = jsonc::parse(text, Dialect::Jsonc, true).map_err(|e| NotSettings::Syntax {
            message: e.to_string(),
            at: Span::of(e.range()),
        })?;
        let tokens = parsed.tokens.unwrap_or_default();
        let root = parsed.value.as_ref().map(|v| Span::of(v.range()));
        let members = match &parsed.value {
            None => Vec::new(),
            Some(Ast::Object(object)) => members(text, &tokens, &object.properties),
            Some(other) => {
                return Err(NotSettings::NotAnObject {
                    at: Span::of(other.range()),
                })
            }
        };
        Ok(Document {
            text,
            members,
            root,
            lines: LineIndex::new(text),
        })
    }

    /// The effective member `key` at the top level: the last of its name.
    pub fn get(&self, key: &str) -> Option<&Member> {
        self.members.iter().rev().find(|m| m.key == key)
    }

    /// A byte span as a finding range.
    pub fn range(&self, span: Span) -> Range {
        Range::new(
            self.lines.position(span.start),
            self.lines.position(span.end),
        )
    }

    /// The edits that remove a member or an item from its container, its
    /// comma and (when it has a line of its own) its line with it; the rest
    /// of the file, comments included, stays as it was.
    pub fn removal(&self, path: &std::path::Path, part: Removable<'_>) -> Vec<Edit> {
        let spans = match part {
            Removable::Member(m) => &m.removal,
            Removable::Item(i) => &i.removal,
        };
        spans
            .iter()
            .map(|s| Edit {
                path: path.to_path_buf(),
                range: self.range(*s),
                new_text: String::new(),
            })
            .collect()
    }

    /// The edit that replaces a member's key with `new_key`.
    pub fn rename(&self, path: &std::path::Path, member: &Member, new_key: &str) -> Edit {
        Edit {
            path: path.to_path_buf(),
            range: self.range(member.key_span),
            new_text: serde_json::Value::String(new_key.to_string()).to_string(),
        }
    }
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("members", &self.members)
            .finish_non_exhaustive()
    }
}

/// What [`Document::removal`] removes.
#[derive(Debug, Clone, Copy)]
pub enum Removable<'a> {
    Member(&'a Member),
    Item(&'a Item),
}

fn members(
    text: &str,
    tokens: &[TokenAndRange<'_>],
    props: &[jsonc_parser::ast::ObjectProp<'_>],
) -> Vec<Member> {
    let spans: Vec<Span> = props.iter().map(|p| Span::of(p.range)).collect();
    props
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let (key, key_span) = match &p.name {
                ObjectPropName::String(lit) => (lit.value.to_string(), Span::of(lit.range)),
                ObjectPropName::Word(word) => (word.value.to_string(), Span::of(word.range)),
            };
            Member {
                key,
                key_span,
                value: value(text, tokens, &p.value),
                value_span: Span::of(p.value.range()),
                removal: removal(text, tokens, &spans, n),
            }
        })
        .collect()
}

fn value(text: &str, tokens: &[TokenAndRange<'_>], ast: &Ast<'_>) -> Value {
    match ast {
        Ast::StringLit(lit) => Value::Str(lit.value.to_string()),
        Ast::BooleanLit(lit) => Value::Bool(lit.value),
        Ast::NullKeyword(_) => Value::Null,
        Ast::NumberLit(_) => Value::Number,
        Ast::Object(object) => Value::Object(members(text, tokens, &object.properties)),
        Ast::Array(array) => {
            let spans: Vec<Span> = array.elements.iter().map(|e| Span::of(e.range())).collect();
            Value::Array(
                array
                    .elements
                    .iter()
                    .enumerate()
                    .map(|(n, e)| Item {
                        value: value(text, tokens, e),
                        span: spans[n],
                        removal: removal(text, tokens, &spans, n),
                    })
                    .collect(),
            )
        }
    }
}

/// The comma token right after byte `end`, if the next token is one.
fn comma_after(tokens: &[TokenAndRange<'_>], end: usize) -> Option<Span> {
    let next = tokens.partition_point(|t| t.range.start < end);
    tokens
        .get(next)
        .filter(|t| matches!(t.token, Token::Comma))
        .map(|t| Span::of(t.range))
}

/// What removing element `n` of a container with element spans `spans`
/// deletes: from the element (its line's indentation too, when nothing else
/// precedes it there) through its comma and, when the line is then empty,
/// the line ending; for the last element without a trailing comma, the
/// previous element's comma instead.
fn removal(text: &str, tokens: &[TokenAndRange<'_>], spans: &[Span], n: usize) -> Vec<Span> {
    let bytes = text.as_bytes();
    let own = spans[n];
    let line_start = text[..own.start].rfind('\n').map_or(0, |i| i + 1);
    let alone_on_line = text[line_start..own.start].trim().is_empty();
    let start = if alone_on_line { line_start } else { own.start };
    let comma = comma_after(tokens, own.end);
    let mut end = comma.map_or(own.end, |c| c.end);
    // Blanks up to the next thing on the line.
    while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
        end += 1;
    }
    let rest_of_line_empty = end >= bytes.len() || matches!(bytes[end], b'\n' | b'\r');
    if alone_on_line && rest_of_line_empty {
        if bytes.get(end) == Some(&b'\r') {
            end += 1;
        }
        if bytes.get(end) == Some(&b'\n') {
            end += 1;
        }
    } else if !rest_of_line_empty && comma.is_none() {
        // `[a, b]` without b: keep the blanks before `]`.
        end = own.end;
    }
    let previous = (comma.is_none() && n > 0)
        .then(|| comma_after(tokens, spans[n - 1].end))
        .flatten();
    match previous {
        // `[a, b]` without b: from a's comma, when only blanks lie between.
        Some(previous) if !alone_on_line && text[previous.end..start].trim().is_empty() => {
            vec![Span {
                start: previous.start,
                end,
            }]
        }
        Some(previous) => vec![previous, Span { start, end }],
        None => vec![Span { start, end }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// `text` with the edits applied (edits on one line or whole lines,
    /// applied from the end).
    fn apply(text: &str, spans: &[Span]) -> String {
        let mut out = text.to_string();
        let mut spans = spans.to_vec();
        spans.sort_by_key(|s| std::cmp::Reverse(s.start));
        for s in spans {
            out.replace_range(s.start..s.end, "");
        }
        out
    }

    fn remove_member(text: &str, key: &str) -> String {
        let doc = Document::parse(text).unwrap();
        let member = doc.get(key).unwrap();
        let out = apply(text, &member.removal);
        Document::parse(&out).expect("the result still parses");
        out
    }

    #[test]
    fn reads_comments_trailing_commas_and_keeps_duplicates_in_order() {
        let text = "// user settings\n{\n  \"go.lintTool\": \"staticcheck\", /* old */\n  \"go.lintTool\": \"golangci-lint\",\n}\n";
        let doc = Document::parse(text).unwrap();
        let keys: Vec<&str> = doc.members.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["go.lintTool", "go.lintTool"]);
        assert_eq!(
            doc.get("go.lintTool").unwrap().value.as_str(),
            Some("golangci-lint"),
            "the last one wins, as in VS Code"
        );
        let range = doc.range(doc.members[0].key_span);
        assert_eq!((range.start.line, range.start.character), (2, 2));
        assert_eq!(range.end.character, 15, "the key with its quotes");
    }

    #[test]
    fn a_file_that_is_not_json_is_refused_with_the_place() {
        let err = Document::parse("{\n  \"go.lintTool\": golangci-lint\n}").unwrap_err();
        assert!(matches!(err, NotSettings::Syntax { .. }), "{err:?}");
        assert!(err.to_string().contains("line 2"), "{err}");
        let err = Document::parse("[1, 2]").unwrap_err();
        assert!(matches!(err, NotSettings::NotAnObject { .. }));
        assert!(Document::parse("").unwrap().members.is_empty());
        assert!(Document::parse("  // nothing yet\n")
            .unwrap()
            .members
            .is_empty());
    }

    #[test]
    fn removing_a_member_on_its_own_line_removes_the_line_and_keeps_comments() {
        let text = "{\n  // lint\n  \"go.lintFlags\": [\"--fast\"],\n  \"a\": 1\n}\n";
        assert_eq!(
            remove_member(text, "go.lintFlags"),
            "{\n  // lint\n  \"a\": 1\n}\n"
        );
    }

    #[test]
    fn removing_the_last_member_takes_the_previous_comma_unless_it_has_its_own() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        assert_eq!(remove_member(text, "b"), "{\n  \"a\": 1\n}");
        let trailing = "{\r\n  \"a\": 1,\r\n  \"b\": 2,\r\n}";
        assert_eq!(remove_member(trailing, "b"), "{\r\n  \"a\": 1,\r\n}");
        assert_eq!(remove_member("{\"a\": 1}", "a"), "{}");
    }

    #[test]
    fn removing_an_item_inline_keeps_the_rest_of_the_array_tidy() {
        let text = r#"{"go.lintFlags": ["--fast", "--out-format=json", "-v"]}"#;
        let doc = Document::parse(text).unwrap();
        let Value::Array(items) = &doc.get("go.lintFlags").unwrap().value else {
            panic!("an array")
        };
        let first = apply(text, &items[0].removal);
        assert_eq!(first, r#"{"go.lintFlags": ["--out-format=json", "-v"]}"#);
        let last = apply(text, &items[2].removal);
        assert_eq!(last, r#"{"go.lintFlags": ["--fast", "--out-format=json"]}"#);
        let edits = doc.removal(Path::new("/s.json"), Removable::Item(&items[1]));
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].range.start.character, 28);
    }

    #[test]
    fn a_renamed_key_is_a_quoted_json_string() {
        let text = "{\"gopls\": {\"formatting.gofumpt\": true}}";
        let doc = Document::parse(text).unwrap();
        let Value::Object(inner) = &doc.get("gopls").unwrap().value else {
            panic!("an object")
        };
        let edit = doc.rename(Path::new("/s.json"), &inner[0], "gofumpt");
        assert_eq!(edit.new_text, "\"gofumpt\"");
        assert_eq!(edit.range.start.character, 11);
    }
}
