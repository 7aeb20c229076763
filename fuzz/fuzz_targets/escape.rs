//! The output escaper: nothing hostile survives, fences outlast their
//! content, and escaped JSON still parses to the same data.
#![no_main]

use gord::render::escape::{is_control, json, line, md_code, md_fence, text};
use libfuzzer_sys::fuzz_target;

fn longest_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fuzz_target!(|input: &str| {
    assert!(!line(input).chars().any(is_control));
    assert!(!text(input)
        .chars()
        .any(|c| is_control(c) && c != '\n' && c != '\t'));

    let code = md_code(input);
    assert!(!code.contains('\n'));
    let ticks = code.chars().take_while(|&c| c == '`').count();
    assert!(ticks > longest_run(&line(input)));

    let fenced = md_fence(input, "text");
    let fence = fenced.chars().take_while(|&c| c == '`').count();
    let body = &fenced[fenced.find('\n').map_or(0, |i| i + 1)..];
    let body = body.trim_end_matches('\n').trim_end_matches('`');
    assert!(fence > longest_run(body), "{fenced:?}");

    let doc = serde_json::to_string_pretty(&serde_json::json!({ "m": input })).unwrap();
    let escaped = json(&doc);
    assert!(!escaped.chars().any(|c| is_control(c) && c != '\n'));
    let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
    assert_eq!(back["m"].as_str(), Some(input));
});
