//! Completion in an ssh config line (keywords, values, `Match` criteria,
//! algorithm lists): never a panic at any byte of any line, and what it
//! replaces is a span of the line, on character boundaries, around the
//! cursor.
#![no_main]

use gord::ssh::edit::complete::{complete, MatchFacts};
use gord::ssh::release::parse_version_argument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    // One line, of the length config lines have (a keyword completion
    // documents every keyword: each position costs).
    let line = line.split(['\n', '\r']).next().unwrap_or("");
    let line = match line.char_indices().nth(160) {
        Some((end, _)) => &line[..end],
        None => line,
    };
    // One release per input (the line's length picks it): each position of
    // a keyword costs its documentation, three releases would triple that.
    let release = ["8.7p1", "9.2p1-debian", "10.5p1"][line.len() % 3];
    let Ok(version) = parse_version_argument(release) else {
        return;
    };
    // Match arguments complete from these (and nothing when they are empty).
    let facts = MatchFacts {
        hosts: vec![String::from("db"), String::from("x,y")],
        tags: vec![String::from("work")],
        local_user: Some(String::from("me")),
        networks: vec![String::from("10.0.0.0/8")],
    };
    for at in 0..=line.len() + 1 {
        let Some(found) = complete(line, at, version, "ssh", &facts) else {
            continue;
        };
        let at = at.min(line.len());
        assert!(
            found.replace.start <= at && at <= found.replace.end,
            "{line:?} at {at}: {:?}",
            found.replace
        );
        assert!(
            line.get(found.replace.clone()).is_some(),
            "{line:?} at {at}"
        );
        assert!(!found.items.is_empty(), "{line:?} at {at}");
    }
});
