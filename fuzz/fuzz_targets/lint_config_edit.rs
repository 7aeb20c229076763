//! Any text as a golangci-lint config (every format, v1 and v2) and as a Go
//! file: the config edits and the `//nolint` edit never panic, stay inside
//! the text on character boundaries, come sorted without overlapping, and a
//! config once edited reads back as having the linter disabled.
#![no_main]

use gord::lint::config_edit::{disable_linter, ConfigEditError, ConfigFormat};
use gord::lint::model::ByteEdit;
use gord::lint::suppress::nolint_edit;
use libfuzzer_sys::fuzz_target;

/// An ordinary linter, a v2 formatter, and one with `-` and `_`.
const LINTERS: [&str; 3] = ["gosec", "gofmt", "err_check-x"];

fn check_edits(text: &str, edits: &[ByteEdit], what: &str) {
    let mut previous_end = 0;
    for edit in edits {
        assert!(edit.start <= edit.end, "{what}: reversed edit {edit:?}");
        assert!(edit.end <= text.len(), "{what}: edit past the end {edit:?}");
        assert!(
            text.is_char_boundary(edit.start) && text.is_char_boundary(edit.end),
            "{what}: edit inside a character {edit:?}"
        );
        assert!(
            edit.start >= previous_end,
            "{what}: edits unsorted or overlapping at {edit:?}"
        );
        previous_end = edit.end;
    }
}

fn apply(text: &str, edits: &[ByteEdit]) -> String {
    let mut out = text.to_string();
    for edit in edits.iter().rev() {
        out.replace_range(edit.start..edit.end, &edit.new_text);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for format in [ConfigFormat::Yaml, ConfigFormat::Toml, ConfigFormat::Json] {
        for major in [1, 2] {
            for linter in LINTERS {
                let what = format!("{format} v{major} {linter}");
                let Ok(edits) = disable_linter(&text, format, linter, major) else {
                    continue;
                };
                check_edits(&text, &edits, &what);
                // The edited config must read back with the linter off.
                let edited = apply(&text, &edits);
                match disable_linter(&edited, format, linter, major) {
                    Err(ConfigEditError::AlreadyDisabled)
                    | Err(ConfigEditError::FormatterNotEnabled(_)) => {}
                    other => panic!("{what}: after editing to {edited:?}, got {other:?}"),
                }
            }
        }
    }
    for line in 0..4 {
        if let Some(edit) = nolint_edit(&text, line, "errcheck") {
            check_edits(&text, std::slice::from_ref(&edit), "nolint");
            let edited = apply(&text, std::slice::from_ref(&edit));
            assert_eq!(
                nolint_edit(&edited, line, "errcheck"),
                None,
                "nolint on line {line} of {edited:?} is not idempotent"
            );
        }
    }
});
