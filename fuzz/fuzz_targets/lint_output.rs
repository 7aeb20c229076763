//! Any bytes as a linter's output and as the linted file: golangci-lint's
//! JSON and go vet's output parse without panicking, and every placed issue
//! has an ordered range and fixes whose edits apply to the file's text.
#![no_main]

use std::path::Path;

use gord::edit::apply_edits;
use gord::lint::model::ToolKind;
use gord::lint::{golangci, place_issues, vet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first line is the file; the rest the output.
    let (file, output) = text.split_once('\n').unwrap_or(("", &text));
    let mut issues = golangci::parse(output, Path::new("/ws")).issues;
    issues.extend(vet::parse(output).issues);
    // A seed that is a valid document with positions into the file.
    let wrapped = format!(
        "{{\"Issues\":[{{\"FromLinter\":\"x\",\"Text\":\"t\",\"Pos\":{{\"Filename\":\"/f.go\",\"Line\":{},\"Column\":{}}},\"SuggestedFixes\":[{{\"TextEdits\":[{{\"Pos\":{},\"End\":{},\"NewText\":\"\"}}]}}]}}]}}",
        data.first().copied().unwrap_or(1),
        data.get(1).copied().unwrap_or(1),
        data.get(2).copied().unwrap_or(0),
        data.get(3).copied().unwrap_or(0),
    );
    issues.extend(golangci::parse(&wrapped, Path::new("/ws")).issues);
    for placed in place_issues(ToolKind::GolangciLint, issues, |_| Some(file.to_string())) {
        let r = placed.range();
        assert!((r.start.line, r.start.character) <= (r.end.line, r.end.character));
        for fix in &placed.finding.fixes {
            let edits: Vec<_> = fix.edits.iter().map(|e| (e.range, e.new_text.clone())).collect();
            apply_edits(file, &edits).expect("a placed fix applies to its text");
        }
    }
});
