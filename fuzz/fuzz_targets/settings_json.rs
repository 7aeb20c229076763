//! Any JSON the editor could send as settings: never a panic.
#![no_main]

use gord::settings::Settings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let (settings, problems) = Settings::from_json(&value, &Settings::default());
        for problem in problems {
            let _ = problem.to_string();
        }
        let _ = settings.trace.log_filter();
    }
});
