//! Any text as a VS Code settings.json, and settings to set in it (the
//! remote rules' settings fixes): never a panic; a text that is not a
//! settings object gets no edit; otherwise the edits apply to the text they
//! were made on, the result is still a settings object, every setting has
//! the value asked for, and a second pass has nothing left to change.
#![no_main]

use std::path::Path;

use gord::edit::apply_edits;
use gord::goenv::vscode::document::{Document, Value};
use gord::goenv::vscode::set::{edits, Change};
use libfuzzer_sys::fuzz_target;

fn changes(seed: u8) -> Vec<Change> {
    let host = ["devbox", "a\"b", "", "we\\ird\n"][usize::from(seed % 4)];
    let mut out = vec![
        Change::set("remote.SSH.lockfilesInTmp", true),
        Change::entry("remote.SSH.serverInstallPath", host, "/scratch/me"),
    ];
    if seed & 4 != 0 {
        out.push(Change::set("remote.SSH.useFlock", false));
    }
    if seed & 8 != 0 {
        out.push(Change::set("remote.SSH.localServerDownload", "always"));
    }
    out
}

fn has(doc: &Document<'_>, change: &Change) -> bool {
    let Some(member) = doc.get(change.key()) else {
        return false;
    };
    match change {
        Change::Set { value, .. } => match (&member.value, value) {
            (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Value::Str(a), serde_json::Value::String(b)) => a == b,
            _ => false,
        },
        Change::Entry { entry, .. } => match &member.value {
            Value::Object(entries) => entries.iter().any(|e| e.key == *entry),
            _ => false,
        },
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let changes = changes(seed);
    let path = Path::new("/u/settings.json");
    let Ok(found) = edits(path, text, &changes) else {
        assert!(Document::parse(text).is_err());
        return;
    };
    let found: Vec<_> = found.into_iter().map(|e| (e.range, e.new_text)).collect();
    let out = apply_edits(text, &found).expect("the edits apply to their text");
    let doc = Document::parse(&out).expect("still a settings object");
    for change in &changes {
        assert!(has(&doc, change), "{change:?} in {out:?}");
    }
    assert!(edits(path, &out, &changes).expect("parses").is_empty(), "{out:?}");
});
