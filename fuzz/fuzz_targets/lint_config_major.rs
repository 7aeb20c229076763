//! Any text as a golangci-lint config (every format), judged for GO050-GO053
//! under a v1 and a v2 binary: the outline and the judge never panic, every
//! name span and removal stays inside the text on character boundaries, and
//! every fix's edits apply to the text they were computed on.
#![no_main]

use std::path::Path;

use gord::finding::Position;
use gord::lint::config_edit::{outline, ConfigFormat};
use gord::lint::config_major::{judge, Binary, Inputs};
use gord::text::LineIndex;
use libfuzzer_sys::fuzz_target;

fn inside(text: &str, start: usize, end: usize) -> bool {
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fn in_text(index: &LineIndex<'_>, at: Position) -> bool {
    (at.line as usize) < index.line_count().max(1)
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for format in [ConfigFormat::Yaml, ConfigFormat::Toml, ConfigFormat::Json] {
        if let Ok(found) = outline(&text, format) {
            for listed in &found.names {
                assert!(inside(&text, listed.start, listed.end), "{listed:?}");
                let r = &listed.removal;
                assert!(inside(&text, r.start, r.end), "{listed:?}");
            }
            if let Some((_, start, end)) = &found.version {
                assert!(inside(&text, *start, *end));
            }
        }
        for major in [1, 2] {
            let binary = Binary {
                program: "golangci-lint".into(),
                version: format!("{major}.0.0"),
                major,
                error: Some("can't load config".into()),
            };
            let findings = judge(&Inputs {
                path: Path::new("/ws/.golangci.yml"),
                text: &text,
                format,
                binary: Some(&binary),
                install_v2: None,
            });
            let index = LineIndex::new(&text);
            for finding in &findings {
                for fix in &finding.fixes {
                    for edit in &fix.edits {
                        assert!(edit.range.start <= edit.range.end, "{finding:?}");
                        assert!(in_text(&index, edit.range.start), "{finding:?}");
                    }
                }
            }
        }
    }
});
