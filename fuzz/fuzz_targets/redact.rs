//! Redaction never panics, is idempotent, and never grows a secret back.
#![no_main]

use gord::redact::{redact_url_credentials, secrets};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let once = redact_url_credentials(text);
    assert_eq!(redact_url_credentials(&once), once);
    let hidden = secrets(text);
    assert_eq!(secrets(&hidden), hidden, "secrets() is not idempotent");
    // A planted password never survives, whatever surrounds it.
    let planted = format!("{text} sshpass -p pl4nted {text}");
    assert!(!secrets(&planted).contains("sshpass -p pl4nted"));
});
