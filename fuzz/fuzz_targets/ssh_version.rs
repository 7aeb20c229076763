//! `ssh -V` output and `--ssh-version` arguments: never a panic, and a
//! release read from `-V` spelt as `--ssh-version` reads back the same.
#![no_main]

use gord::ssh::release::{parse_ssh_v, parse_version_argument};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(version) = parse_ssh_v(text) {
        if version.release.patch != 0 {
            let suffix = version.flavour.suffix();
            let spelt = if suffix.is_empty() {
                version.release.to_string()
            } else {
                format!("{}-{suffix}", version.release)
            };
            let again = parse_version_argument(&spelt).expect("a spelt version parses");
            assert_eq!(again, version, "round trip of {text:?} via {spelt:?}");
        }
        let _ = version.semantics();
    }
    if let Ok(version) = parse_version_argument(text) {
        assert!(version.release.patch > 0, "{text:?}");
        let _ = version.to_string();
    }
});
