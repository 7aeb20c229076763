//! The sidecar's JSON-RPC framing (gord::lsp::framing) on any bytes: no
//! panic; the same events however the stream is split; memory bounded; every
//! body the checker forwards is one tower-lsp's own decoder accepts; and two
//! well-formed frames with garbage around them are both recovered.
#![no_main]

use gord::lsp::framing::decode::{header_for, Decoder, Event, MAX_HEADER_BYTES};
use gord::lsp::framing::message::{check, Mirror, Verdict};
use libfuzzer_sys::fuzz_target;

const LIMIT: usize = 1 << 20;

fn decode(stream: &[u8], sizes: impl Iterator<Item = usize>, large_body: usize) -> Vec<Event> {
    let mut decoder = Decoder::new(LIMIT).with_large_body(large_body);
    let mut events = Vec::new();
    let mut rest = stream;
    for size in sizes {
        if rest.is_empty() {
            break;
        }
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        rest = tail;
        decoder.push(chunk);
        while let Some(event) = decoder.next_event() {
            events.push(event);
        }
        assert!(decoder.buffered() <= LIMIT + MAX_HEADER_BYTES + chunk.len());
    }
    assert!(rest.is_empty());
    events
}

fn has_needle(bytes: &[u8]) -> bool {
    bytes
        .windows(b"content-length".len())
        .any(|w| w.eq_ignore_ascii_case(b"content-length"))
}

fuzz_target!(|data: &[u8]| {
    let whole = decode(data, std::iter::once(data.len()), usize::MAX);
    let sizes = data.iter().map(|&b| usize::from(b % 64) + 1).cycle();
    // Chunked, and with bodies of 16 bytes or more taken as large ones
    // (their room reserved, handed out in their own buffer).
    let chunked = decode(data, sizes, 16);
    assert_eq!(whole, chunked, "events depend on chunking or on body size");
    for event in &whole {
        if let Event::Frame(body) = event {
            if check(body) == Verdict::Forward {
                assert!(serde_json::from_slice::<Mirror>(body).is_ok());
            }
        }
    }

    // Garbage, a frame, garbage, a frame: garbage that names no header
    // cannot hide either frame.
    let mut parts = data.splitn(4, |&b| b == 0xff);
    let (g1, b1, g2, b2) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    if has_needle(g1) || has_needle(g2) {
        return;
    }
    let mut stream = g1.to_vec();
    for (body, garbage) in [(b1, g2), (b2, &[][..])] {
        stream.extend(header_for(body).as_bytes());
        stream.extend(body);
        stream.extend(garbage);
    }
    let frames: Vec<Vec<u8>> = decode(&stream, std::iter::once(stream.len()), 16)
        .into_iter()
        .filter_map(|event| match event {
            Event::Frame(body) => Some(body),
            Event::Error(_) => None,
        })
        .collect();
    assert_eq!(frames, [b1.to_vec(), b2.to_vec()], "a frame was lost");
});
