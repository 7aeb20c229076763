//! The landing script's output parser: any bytes, no panic, fields kept
//! short and free of control characters, and a landing is the same machine
//! as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Some(landing) = gord::remote::connect::parse_landing(&text) {
        for field in [&landing.machine_id, &landing.hostname].into_iter().flatten() {
            assert!(!field.is_empty() && field.chars().count() <= 256);
            assert!(!field.chars().any(char::is_control));
        }
        assert_eq!(
            gord::remote::connect::same_machine(&landing, &landing.clone()),
            Some(true)
        );
    }
});
