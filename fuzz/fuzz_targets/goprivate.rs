//! GOPRIVATE-style glob lists and path.Match: never a panic or a hang, and
//! a pattern without metacharacters matches exactly itself.
#![no_main]

use gord::preload::pattern::{matches_prefix_patterns, path_match};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (globs, path) = input;
    let _ = matches_prefix_patterns(globs, path);
    let _ = path_match(globs, path);
    if !path.contains(['*', '?', '[', '\\']) {
        assert!(path_match(path, path));
    }
});
