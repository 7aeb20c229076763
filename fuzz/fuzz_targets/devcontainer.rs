//! Any text as a devcontainer.json (and as the Dockerfile it names): the
//! judge never panics, every fix's edits apply to the text they were made
//! on, and a file gord could read stays one it can read once a fix is
//! applied (an edit never breaks the JSON it touches).
#![no_main]

use std::path::Path;

use gord::container::image::{dockerfile_from, image_go};
use gord::container::{judge, Inputs, Required};
use gord::edit::apply_edits;
use gord::finding::{Finding, Severity};
use gord::goenv::version::GoVersion;
use libfuzzer_sys::fuzz_target;

const PATH: &str = "/ws/.devcontainer/devcontainer.json";

fn run(text: &str) -> Vec<Finding> {
    let required = Required {
        version: GoVersion::new(1, 23, Some(0)),
        file: String::from("go.mod"),
    };
    let docker = text.to_string();
    let read = move |_: &Path| Ok::<String, String>(docker.clone());
    judge(&Inputs {
        path: Path::new(PATH),
        text,
        required: Some(&required),
        read_dockerfile: &read,
    })
}

fn unreadable(findings: &[Finding]) -> bool {
    findings
        .iter()
        .any(|f| f.code == "GO040" && f.severity == Severity::Error)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = dockerfile_from(text);
    let _ = image_go(text);
    let findings = run(text);
    let readable = !unreadable(&findings);
    for finding in &findings {
        for fix in &finding.fixes {
            if fix.edits.is_empty() {
                continue;
            }
            let edits: Vec<_> = fix
                .edits
                .iter()
                .map(|e| (e.range, e.new_text.clone()))
                .collect();
            let fixed = apply_edits(text, &edits)
                .unwrap_or_else(|e| panic!("{}: {e}: {:?}", finding.code, fix.edits));
            if readable && fix.edits.iter().all(|e| e.path == Path::new(PATH)) {
                assert!(
                    !unreadable(&run(&fixed)),
                    "{}'s fix broke the file:\n{fixed}",
                    finding.code
                );
            }
        }
    }
});
