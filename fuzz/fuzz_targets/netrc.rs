//! .netrc files: never a panic, and an entry never carries a password.
#![no_main]

use gord::preload::netrc::parse_netrc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for entry in parse_netrc(text) {
        assert!(text.contains(entry.machine.as_str()));
        assert!(text.contains(entry.login.as_str()));
    }
});
