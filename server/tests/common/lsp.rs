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

/// `text` with LSP text edits (as JSON) applied by gord's own edit engine.
pub fn apply_json_edits(text: &str, edits: &[Value]) -> String {
    let at = |p: &Value| {
        gord::finding::Position::new(
            p["line"].as_u64().unwrap() as u32,
            p["character"].as_u64().unwrap() as u32,
        )
    };
    let pairs: Vec<(gord::finding::Range, String)> = edits
        .iter()
        .map(|e| {
            (
                gord::finding::Range::new(at(&e["range"]["start"]), at(&e["range"]["end"])),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    gord::edit::apply_edits(text, &pairs).unwrap()
}

/// Applies a code action's plain `changes` for `file` to the file on disk.
pub fn apply_action(action: &Value, file: &Path) {
    let edits = action["edit"]["changes"][uri(file)]
        .as_array()
        .unwrap_or_else(|| panic!("no edit for {} in {action:#}", file.display()));
    let text = std::fs::read_to_string(file).unwrap();
    std::fs::write(file, apply_json_edits(&text, edits)).unwrap();
}
