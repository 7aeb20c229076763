//! Redaction never panics and is idempotent.
#![no_main]

use gord::redact::redact_url_credentials;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let once = redact_url_credentials(text);
    assert_eq!(redact_url_credentials(&once), once);
});
