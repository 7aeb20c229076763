//! Any bytes as a Go file: its imports and bracket balance are read without
//! panicking, and the header ends on a character boundary inside the text.
#![no_main]

use gord::lint::imports::{bracket_balance, header_len, imports};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let end = header_len(&text);
    assert!(end <= text.len() && text.is_char_boundary(end));
    if let Some(specs) = imports(&text) {
        // Every spec holds its quoted path.
        assert!(specs.iter().all(|s| s.contains(['"', '`'])));
    }
    let _ = bracket_balance(&text);
});
