//! Setting VS Code settings in a settings file's text (JSONC), changing as
//! few bytes as it can: a value that is already right is left alone, a wrong
//! one has its value replaced (the effective member, the last of its name),
//! a missing one is added after the last member of its object, on a line of
//! its own with that member's indentation, keeping the file's trailing-comma
//! habit, its comments and its line endings. A file with no value at all
//! (empty, blanks, comments) gets a new object after what it holds. Pure:
//! text in, edits out; a file that is not a settings object is refused.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as Json;

use super::document::{Document, Member, NotSettings, Span, Value};
use crate::finding::Edit;

/// One setting a settings file should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `"key": value` at the top level.
    Set { key: String, value: Json },
    /// One entry of an object setting keyed by host or name
    /// (`"remote.SSH.serverInstallPath": {"devbox": "/scratch/me"}`); the
    /// other entries stay.
    Entry {
        key: String,
        entry: String,
        value: Json,
    },
}

impl Change {
    pub fn set(key: &str, value: impl Into<Json>) -> Change {
        Change::Set {
            key: key.to_string(),
            value: value.into(),
        }
    }

    pub fn entry(key: &str, entry: &str, value: impl Into<Json>) -> Change {
        Change::Entry {
            key: key.to_string(),
            entry: entry.to_string(),
            value: value.into(),
        }
    }

    /// The setting's name.
    pub fn key(&self) -> &str {
        match self {
            Change::Set { key, .. } | Change::Entry { key, .. } => key,
        }
    }

    /// As a user would write it: `"remote.SSH.useFlock": false`.
    pub fn shown(&self) -> String {
        match self {
            Change::Set { key, value } => format!("{}: {value}", quoted(key)),
            Change::Entry { key, entry, value } => {
                format!("{}: {{ {}: {value} }}", quoted(key), quoted(entry))
            }
        }
    }
}

/// A JSON string literal of `text`.
fn quoted(text: &str) -> String {
    Json::String(text.to_string()).to_string()
}

/// One byte-range replacement.
struct Splice {
    at: usize,
    end: usize,
    text: String,
}

/// The edits of `path` (whose text is `text`) that give it every change;
/// none when it has them all already.
pub fn edits(path: &Path, text: &str, changes: &[Change]) -> Result<Vec<Edit>, NotSettings> {
    let doc = Document::parse(text)?;
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut splices = Vec::new();
    // New members by the object they go in: None for the top level, else
    // the index of the top-level object member.
    let mut added: BTreeMap<Option<usize>, Vec<(String, Json)>> = BTreeMap::new();
    // Top-level members whose value is replaced by a new object.
    let mut rebuilt: BTreeMap<usize, serde_json::Map<String, Json>> = BTreeMap::new();
    for change in changes {
        match change {
            Change::Set { key, value } => match effective(&doc.members, key) {
                Some((_, m)) if same(&m.value, value) => {}
                Some((_, m)) => splices.push(replace(m.value_span, value.to_string())),
                None => add(added.entry(None).or_default(), key, value.clone()),
            },
            Change::Entry { key, entry, value } => match effective(&doc.members, key) {
                Some((n, m)) => match &m.value {
                    Value::Object(entries) => match effective(entries, entry) {
                        Some((_, e)) if same(&e.value, value) => {}
                        Some((_, e)) => splices.push(replace(e.value_span, value.to_string())),
                        None => add(added.entry(Some(n)).or_default(), entry, value.clone()),
                    },
                    _ => {
                        rebuilt
                            .entry(n)
                            .or_default()
                            .insert(entry.clone(), value.clone());
                    }
                },
                None => {
                    let new = added.entry(None).or_default();
                    match new.iter_mut().find(|(k, _)| k == key) {
                        Some((_, Json::Object(map))) => {
                            map.insert(entry.clone(), value.clone());
                        }
                        Some(_) => {}
                        None => {
                            let mut map = serde_json::Map::new();
                            map.insert(entry.clone(), value.clone());
                            new.push((key.clone(), Json::Object(map)));
                        }
                    }
                }
            },
        }
    }
    for (n, map) in rebuilt {
        splices.push(replace(doc.members[n].value_span, inline(&map)));
    }
    for (container, members) in added {
        let shown: Vec<String> = members
            .iter()
            .map(|(key, value)| match value {
                Json::Object(map) => format!("{}: {}", quoted(key), inline(map)),
                other => format!("{}: {other}", quoted(key)),
            })
            .collect();
        match container {
            None => match doc.root {
                Some(root) => splices.extend(insert(text, root, &doc.members, &shown, eol)),
                None => splices.push(new_object(text, &shown, eol)),
            },
            Some(n) => {
                let member = &doc.members[n];
                if let Value::Object(entries) = &member.value {
                    splices.extend(insert(text, member.value_span, entries, &shown, eol));
                }
            }
        }
    }
    Ok(splices
        .into_iter()
        .map(|s| Edit {
            path: path.to_path_buf(),
            range: doc.range(Span {
                start: s.at,
                end: s.end,
            }),
            new_text: s.text,
        })
        .collect())
}

/// The member VS Code uses: the last of its name, with its index.
fn effective<'m>(members: &'m [Member], key: &str) -> Option<(usize, &'m Member)> {
    members.iter().enumerate().rev().find(|(_, m)| m.key == key)
}

fn add(members: &mut Vec<(String, Json)>, key: &str, value: Json) {
    if !members.iter().any(|(k, _)| k == key) {
        members.push((key.to_string(), value));
    }
}

/// Whether a value read from the file is `wanted` already.
fn same(have: &Value, wanted: &Json) -> bool {
    match (have, wanted) {
        (Value::Str(a), Json::String(b)) => a == b,
        (Value::Bool(a), Json::Bool(b)) => a == b,
        (Value::Null, Json::Null) => true,
        _ => false,
    }
}

fn replace(span: Span, text: String) -> Splice {
    Splice {
        at: span.start,
        end: span.end,
        text,
    }
}

/// `{ "a": 1, "b": 2 }`
fn inline(map: &serde_json::Map<String, Json>) -> String {
    let entries: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{}: {v}", quoted(k)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

/// What ends a line, for a `//` comment too: a lone CR as well as LF, as
/// VS Code's JSONC scanner (and the parser gord reads the file with) has it.
const LINE_BREAKS: [char; 2] = ['\n', '\r'];

/// The blanks that start the line holding byte `at`.
fn indentation(text: &str, at: usize) -> &str {
    let start = text[..at].rfind(LINE_BREAKS).map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether byte `at` is the first thing on its line.
fn starts_line(text: &str, at: usize) -> bool {
    let start = text[..at].rfind(LINE_BREAKS).map_or(0, |i| i + 1);
    text[start..at].trim().is_empty()
}

/// The first byte from `at` that is neither blank nor in a comment.
fn skip_trivia(text: &str, mut at: usize) -> usize {
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with("//") {
            at += trimmed.find(LINE_BREAKS).unwrap_or(trimmed.len());
        } else if let Some(body) = trimmed.strip_prefix("/*") {
            at += body.find("*/").map_or(trimmed.len(), |i| i + 4);
        } else {
            return at;
        }
    }
}

/// Whether `line` holds nothing but blanks and comments that end on it.
fn only_comments(mut line: &str) -> bool {
    loop {
        line = line.trim_start();
        if line.is_empty() || line.starts_with("//") {
            return true;
        }
        match line
            .strip_prefix("/*")
            .and_then(|body| body.find("*/").map(|i| &body[i + 2..]))
        {
            Some(rest) => line = rest,
            None => return false,
        }
    }
}

/// The end of the line holding byte `at`, before its line ending.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(LINE_BREAKS).map_or(text.len(), |i| at + i)
}

/// The splices that add `shown` members to the object at `object` whose
/// members are `members`.
fn insert(
    text: &str,
    object: Span,
    members: &[Member],
    shown: &[String],
    eol: &str,
) -> Vec<Splice> {
    let Some(last) = members.last() else {
        let base = indentation(text, object.start);
        let inner = Span {
            start: object.start + 1,
            end: object.end - 1,
        };
        let lines: Vec<String> = shown
            .iter()
            .map(|m| format!("{eol}{base}    {m}"))
            .collect();
        let body = lines.join(",");
        // `{}` or `{ }`: the blanks between the braces give way; comments stay.
        return if text[inner.start..inner.end].trim().is_empty() {
            vec![replace(inner, format!("{body}{eol}{base}"))]
        } else {
            vec![Splice {
                at: inner.start,
                end: inner.start,
                text: body,
            }]
        };
    };
    let after = last.value_span.end;
    let next = skip_trivia(text, after);
    let comma = text[next..].starts_with(',').then_some(next + 1);
    if !starts_line(text, last.key_span.start) {
        // All on one line: `{"a": 1}`.
        let body = shown.join(", ");
        return match comma {
            Some(at) => vec![Splice {
                at,
                end: at,
                text: format!(" {body},"),
            }],
            None => vec![Splice {
                at: after,
                end: after,
                text: format!(", {body}"),
            }],
        };
    }
    let indent = indentation(text, last.key_span.start);
    let lines: Vec<String> = shown.iter().map(|m| format!("{eol}{indent}{m}")).collect();
    let body = lines.join(",");
    let from = comma.unwrap_or(after);
    let end = line_end(text, from);
    // After the comments that end the line, not inside them.
    let at = if only_comments(&text[from..end]) {
        end
    } else {
        from
    };
    match comma {
        Some(_) => vec![Splice {
            at,
            end: at,
            text: format!("{body},"),
        }],
        None if at == after => vec![Splice {
            at,
            end: at,
            text: format!(",{body}"),
        }],
        None => vec![
            Splice {
                at: after,
                end: after,
                text: String::from(","),
            },
            Splice {
                at,
                end: at,
                text: body,
            },
        ],
    }
}

/// A file with no value: a new object after what it holds.
fn new_object(text: &str, shown: &[String], eol: &str) -> Splice {
    let lead = if text.is_empty() || text.ends_with(LINE_BREAKS) {
        ""
    } else {
        eol
    };
    let lines: Vec<String> = shown.iter().map(|m| format!("    {m}")).collect();
    Splice {
        at: text.len(),
        end: text.len(),
        text: format!(
            "{lead}{{{eol}{}{eol}}}{eol}",
            lines.join(&format!(",{eol}"))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCKS: &str = "remote.SSH.lockfilesInTmp";
    const FLOCK: &str = "remote.SSH.useFlock";
    const INSTALL: &str = "remote.SSH.serverInstallPath";

    #[test]
    fn a_comment_ended_by_a_lone_cr_ends_its_line() {
        // Found by the settings_set fuzzer: `//` up to a CR, then `}` on the
        // "same" line for a reader that only knew LF; the new members went
        // after the closing brace.
        let text = "{//\r\r\n\"\":\"//\"// note \r}";
        let out = applied(text, &[Change::set(LOCKS, true)]);
        assert_eq!(
            out,
            "{//\r\r\n\"\":\"//\",// note \r\n\"remote.SSH.lockfilesInTmp\": true\r}"
        );
    }

    fn applied(text: &str, changes: &[Change]) -> String {
        let edits = edits(Path::new("/u/settings.json"), text, changes).expect("settings");
        let edits: Vec<_> = edits.into_iter().map(|e| (e.range, e.new_text)).collect();
        let out = crate::edit::apply_edits(text, &edits).expect("the edits apply");
        let doc = Document::parse(&out).expect("the result is still settings");
        for change in changes {
            let member = doc.get(change.key()).expect("the key is set");
            match change {
                Change::Set { value, .. } => assert!(same(&member.value, value), "{out}"),
                Change::Entry { entry, value, .. } => {
                    let Value::Object(entries) = &member.value else {
                        panic!("not an object: {out}")
                    };
                    let (_, e) = effective(entries, entry).expect("the entry");
                    assert!(same(&e.value, value), "{out}");
                }
            }
        }
        out
    }

    fn locks() -> Vec<Change> {
        vec![Change::set(LOCKS, true), Change::set(FLOCK, false)]
    }

    #[test]
    fn an_empty_or_blank_or_comment_only_file_gets_a_new_object() {
        assert_eq!(
            applied("", &locks()),
            "{\n    \"remote.SSH.lockfilesInTmp\": true,\n    \"remote.SSH.useFlock\": false\n}\n"
        );
        assert_eq!(
            applied("// mine", &locks()[..1]),
            "// mine\n{\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
        assert_eq!(
            applied("  \n", &locks()[..1]),
            "  \n{\n    \"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
    }

    #[test]
    fn an_empty_object_gets_the_members_between_its_braces() {
        assert_eq!(
            applied("{}", &locks()),
            "{\n    \"remote.SSH.lockfilesInTmp\": true,\n    \"remote.SSH.useFlock\": false\n}"
        );
        assert_eq!(
            applied("{\n  // nothing yet\n}\n", &locks()[..1]),
            "{\n    \"remote.SSH.lockfilesInTmp\": true\n  // nothing yet\n}\n"
        );
    }

    #[test]
    fn a_new_member_follows_the_last_with_its_indentation_and_comment_kept() {
        let text = "{\n\t\"editor.tabSize\": 2 // mine\n}\n";
        assert_eq!(
            applied(text, &locks()[..1]),
            "{\n\t\"editor.tabSize\": 2, // mine\n\t\"remote.SSH.lockfilesInTmp\": true\n}\n"
        );
    }

    #[test]
    fn comments_that_end_the_line_stay_with_their_member() {
        let text = "{\n  \"a\": 1, /* one */ // still one\n  \"b\": 2 /* two\n  */\n}";
        assert_eq!(
            applied(text, &locks()[..1]),
            "{\n  \"a\": 1, /* one */ // still one\n  \"b\": 2,\n  \"remote.SSH.lockfilesInTmp\": true /* two\n  */\n}"
        );
        let text = "{\n  \"a\": 1, /* one */\n}";
        assert_eq!(
            applied(text, &locks()[..1]),
            "{\n  \"a\": 1, /* one */\n  \"remote.SSH.lockfilesInTmp\": true,\n}"
        );
    }

    #[test]
    fn a_trailing_comma_stays_a_trailing_comma() {
        let text = "{\n  \"a\": 1,\n  \"b\": [1, 2,],\n}";
        assert_eq!(
            applied(text, &locks()),
            "{\n  \"a\": 1,\n  \"b\": [1, 2,],\n  \"remote.SSH.lockfilesInTmp\": true,\n  \"remote.SSH.useFlock\": false,\n}"
        );
    }

    #[test]
    fn crlf_files_get_crlf_lines() {
        let text = "{\r\n    \"a\": 1\r\n}\r\n";
        assert_eq!(
            applied(text, &locks()[..1]),
            "{\r\n    \"a\": 1,\r\n    \"remote.SSH.lockfilesInTmp\": true\r\n}\r\n"
        );
    }

    #[test]
    fn a_one_line_object_stays_on_one_line() {
        assert_eq!(
            applied("{\"a\": 1}", &locks()),
            "{\"a\": 1, \"remote.SSH.lockfilesInTmp\": true, \"remote.SSH.useFlock\": false}"
        );
        assert_eq!(
            applied("{\"a\": 1, }", &locks()[..1]),
            "{\"a\": 1, \"remote.SSH.lockfilesInTmp\": true, }"
        );
    }

    #[test]
    fn a_wrong_value_is_replaced_and_only_the_effective_duplicate() {
        let text = "{\n  \"remote.SSH.useFlock\": true,\n  \"x\": 1,\n  \"remote.SSH.useFlock\": \"yes\" /* why */\n}";
        let edits = edits(Path::new("/s"), text, &locks()[1..]).unwrap();
        assert_eq!(edits.len(), 1, "one value replaced, nothing inserted");
        assert_eq!(edits[0].range.start.line, 3);
        assert_eq!(
            applied(text, &locks()[1..]),
            "{\n  \"remote.SSH.useFlock\": true,\n  \"x\": 1,\n  \"remote.SSH.useFlock\": false /* why */\n}"
        );
    }

    #[test]
    fn a_file_that_has_every_setting_gets_no_edit() {
        let text = "{\"remote.SSH.lockfilesInTmp\": true, \"remote.SSH.useFlock\": false}";
        assert!(edits(Path::new("/s"), text, &locks()).unwrap().is_empty());
        let text = "{\"remote.SSH.serverInstallPath\": {\"devbox\": \"/scratch\"}}";
        let change = Change::entry(INSTALL, "devbox", "/scratch");
        assert!(edits(Path::new("/s"), text, &[change]).unwrap().is_empty());
    }

    #[test]
    fn a_map_entry_is_added_replaced_or_the_map_created() {
        let change = [Change::entry(INSTALL, "devbox", "/scratch/me")];
        assert_eq!(
            applied("{\n  \"a\": 1\n}", &change),
            "{\n  \"a\": 1,\n  \"remote.SSH.serverInstallPath\": { \"devbox\": \"/scratch/me\" }\n}"
        );
        assert_eq!(
            applied(
                "{\n  \"remote.SSH.serverInstallPath\": {\n    \"web\": \"/x\"\n  }\n}",
                &change
            ),
            "{\n  \"remote.SSH.serverInstallPath\": {\n    \"web\": \"/x\",\n    \"devbox\": \"/scratch/me\"\n  }\n}"
        );
        assert_eq!(
            applied(
                "{\"remote.SSH.serverInstallPath\": {\"devbox\": \"/home/me\"}}",
                &change
            ),
            "{\"remote.SSH.serverInstallPath\": {\"devbox\": \"/scratch/me\"}}"
        );
        assert_eq!(
            applied("{\"remote.SSH.serverInstallPath\": {}}", &change),
            "{\"remote.SSH.serverInstallPath\": {\n    \"devbox\": \"/scratch/me\"\n}}"
        );
        assert_eq!(
            applied("{\"remote.SSH.serverInstallPath\": \"/odd\"}", &change),
            "{\"remote.SSH.serverInstallPath\": { \"devbox\": \"/scratch/me\" }}"
        );
    }

    #[test]
    fn hostile_keys_and_values_are_json_strings() {
        let change = [Change::entry(INSTALL, "a\"b\\c\n", "/x\"}, \"evil\": 1")];
        let out = applied("{}", &change);
        let doc = Document::parse(&out).unwrap();
        assert_eq!(doc.members.len(), 1, "{out}");
    }

    #[test]
    fn what_is_not_a_settings_object_is_refused() {
        for text in ["[1]", "{\"a\": }", "\"x\"", "{\"a\": 1} {"] {
            assert!(edits(Path::new("/s"), text, &locks()).is_err(), "{text:?}");
        }
    }

    #[test]
    fn shown_is_what_a_user_writes() {
        assert_eq!(locks()[0].shown(), "\"remote.SSH.lockfilesInTmp\": true");
        assert_eq!(
            Change::entry(INSTALL, "devbox", "/s").shown(),
            "\"remote.SSH.serverInstallPath\": { \"devbox\": \"/s\" }"
        );
    }
}
