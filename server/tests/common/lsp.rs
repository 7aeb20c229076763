//! Language-server requests the LSP tests share.

use std::path::Path;

use serde_json::{json, Value};

use super::editor::Editor;

/// The `file://` URI of `path`.
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Asserts that `response` is the RequestCancelled error (-32800) a client
/// cancel of `method` answers.
pub fn assert_cancelled(response: &Value, method: &str) {
    assert_eq!(
        response["error"]["code"], -32800,
        "RequestCancelled: {response:#}"
    );
    assert_eq!(response["error"]["message"], format!("{method} cancelled"));
}

/// The text of the hover the server shows at `line`:`character` of `uri`.
pub fn hover(editor: &mut Editor, uri: &str, line: u32, character: u32) -> String {
    let response = editor.request(
        "textDocument/hover",
        Some(json!({ "textDocument": { "uri": uri },
                     "position": { "line": line, "character": character } })),
    );
    super::str_of(&response["result"]["contents"]["value"]).to_string()
}

/// The code action titled `title` among those the server offers for
/// `diagnostic` in `path`; panics showing them when none is.
pub fn code_action(editor: &mut Editor, path: &Path, diagnostic: &Value, title: &str) -> Value {
    let actions = code_actions(editor, path, diagnostic);
    actions
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} among {actions:#?}"))
        .clone()
}

/// The code actions the server offers for `diagnostic` in `path`.
pub fn code_actions(editor: &mut Editor, path: &Path, diagnostic: &Value) -> Vec<Value> {
    let response = editor.request(
        "textDocument/codeAction",
        Some(json!({
            "textDocument": { "uri": uri(path) },
            "range": diagnostic["range"],
            "context": { "diagnostics": [diagnostic] },
        })),
    );
    response["result"].as_array().cloned().unwrap_or_default()
}

/// `text` with LSP text edits applied (ASCII text: columns are bytes).
pub fn apply_ascii(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}
