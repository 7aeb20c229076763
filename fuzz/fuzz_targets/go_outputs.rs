//! What the go command prints (go env -json, go version -m) and the go.mod
//! text gord reads: never a panic, and every range stays on its line.
#![no_main]

use gord::goenv::env::GoEnv;
use gord::goenv::gomod::directives;
use gord::goenv::tools::parse_build_info;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(env) = GoEnv::parse(text) {
        let _ = env.summary_lines();
        let _ = env.install_dir();
    }
    let _ = parse_build_info(text);
    let lines: Vec<&str> = text.lines().collect();
    for directive in directives(text) {
        let line = lines[directive.range.start.line as usize];
        let units = line.encode_utf16().count() as u32;
        assert!(directive.range.start.character <= directive.range.end.character);
        assert!(
            directive.range.end.character <= units,
            "range past the end of {line:?}"
        );
    }
});
