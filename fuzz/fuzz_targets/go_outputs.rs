//! What the go command prints (go env -json, go version -m, go list -m
//! -json) and the go.mod text gord reads: never a panic, and every range
//! stays on its line.
#![no_main]

use gord::goenv::env::GoEnv;
use gord::goenv::gomod::directives;
use gord::goenv::install::{min_go, older_releases, parse_listing, reason, release, toolchain_for};
use gord::goenv::tools::parse_build_info;
use gord::goenv::version::GoVersion;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(env) = GoEnv::parse(text) {
        let _ = env.summary_lines();
        let _ = env.install_dir();
    }
    let _ = parse_build_info(text);
    let _ = min_go(text);
    let _ = reason(text);
    if let Ok(listed) = parse_listing(text) {
        let older = older_releases(&listed.versions, listed.version.as_deref().unwrap_or(""), 6);
        assert!(older.len() <= 6);
        assert!(older.iter().all(|v| release(v).is_some()));
        let need = GoVersion::new(1, 21, None);
        if let Some(found) = toolchain_for(&listed.versions, "linux-amd64", &need) {
            assert!(found >= need && found.prerelease.is_none());
        }
    }
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
