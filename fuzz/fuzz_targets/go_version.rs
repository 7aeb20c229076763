//! Go version strings: never a panic, and what parses prints back the same.
#![no_main]

use gord::goenv::version::GoVersion;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(version) = GoVersion::parse(text) {
        let printed = version.to_string();
        let again = GoVersion::parse(&printed).expect("a printed version parses");
        assert_eq!(again, version, "round trip of {text:?} via {printed:?}");
    }
    let _ = GoVersion::find_in(text);
});
