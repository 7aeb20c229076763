//! The ssh config formatter: never a panic, formatting twice is formatting
//! once, a formatted text gets no edits, and only the spaces and tabs that
//! start lines ever change.
#![no_main]

use gord::ssh::edit::format::{format, format_edits, same_but_indentation};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for fallback in ["    ", "\t"] {
        let once = format(text, fallback);
        assert!(
            same_but_indentation(text, &once),
            "more than indentation changed: {text:?} -> {once:?}"
        );
        assert_eq!(format(&once, fallback), once, "not idempotent: {text:?}");
        assert!(format_edits(&once, fallback).is_empty(), "{text:?}");
    }
});
