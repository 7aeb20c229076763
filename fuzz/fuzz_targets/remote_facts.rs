//! The remote script's output parser, the rules over its facts (start-up
//! output, rc lines, memory, egress), the egress test override and the key
//! file classifier: any bytes, no
//! panic, and facts only from between the markers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let facts = gord::remote::script::parse_facts(&text);
    if !text.contains("__gord_begin=") {
        assert_eq!(facts, gord::remote::script::RemoteFacts::default());
    }
    let _ = gord::remote::rules::machine_findings("fuzz", &facts);
    let _ = gord::remote::rules::exec_target(&text);
    let _ = gord::remote::keyfile::classify_key(&text);
    let _ = gord::remote::probe::server_version(&text);
    let _ = gord::remote::target::check_host_argument(&text);
    // The egress override: taken only with every target on loopback, and
    // then every word handed to the remote shell is plain.
    let (targets, cacert) = text.split_once('\n').unwrap_or((&text, ""));
    let mode = gord::remote::egress::Mode::from_vars(Some(targets), Some(cacert));
    if let gord::remote::egress::Mode::Test { targets, .. } = &mode {
        assert!(targets
            .iter()
            .all(|(_, url)| gord::remote::egress::loopback_url(url).is_ok()));
    }
    for word in mode.script_args() {
        let unsafe_char = |c: char| c.is_whitespace() || "'\"`$;&|<>()\\*?".contains(c);
        assert!(!word.contains(unsafe_char), "{word}");
    }
});
