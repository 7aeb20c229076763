//! The LSP base protocol's framing (`Content-Length: N\r\n\r\n` + N bytes),
//! decoded incrementally from untrusted bytes. Pure: bytes in, frames and
//! errors out, so it can be fuzzed and unit-tested without I/O.
//!
//! Memory stays bounded whatever arrives: a header section may hold at most
//! [`MAX_HEADER_BYTES`], a body at most the decoder's limit (checked on the
//! `Content-Length` line, before any of the body is buffered). After a header
//! error the decoder resynchronises: it drops the first byte of the bad header
//! and scans, keeping only a few bytes, for the next `Content-Length` (any
//! case); whatever lies in between, an oversized body included, is discarded
//! as it streams past.

/// The longest header section accepted (LSP headers are two short lines).
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// The largest body accepted from the client: above VS Code's 50 MB limit on
/// the files it syncs to extensions, once JSON-escaped.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// From this size on a body's room is reserved when its header is read, and
/// the body is handed out in the buffer it arrived in.
const LARGE_BODY_BYTES: usize = 1024 * 1024;

/// What one read may bring beyond a body (the relay reads 64 KiB at a time).
const READ_SLACK_BYTES: usize = 64 * 1024;

/// What a resynchronisation scans for (compared ASCII case-insensitively).
const NEEDLE: &[u8] = b"content-length";

/// A header section the decoder refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("header section longer than {MAX_HEADER_BYTES} bytes")]
    HeaderTooLong,
    #[error("header line without a colon or with a malformed name")]
    MalformedHeader,
    #[error("Content-Length is not a decimal number (or two differ)")]
    BadContentLength,
    #[error("Content-Length {length} is above the limit of {limit} bytes")]
    ContentLengthTooLarge { length: u64, limit: usize },
    #[error("header section without a Content-Length")]
    MissingContentLength,
}

/// One thing decoded from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A complete body, as framed (not yet checked to be JSON).
    Frame(Vec<u8>),
    /// A refused header section; the decoder is resynchronising.
    Error(FrameError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Body(usize),
    Resync,
}

/// An incremental decoder: [`Decoder::push`] bytes as they arrive, then take
/// [`Decoder::next_event`] until it returns `None`. The events do not depend
/// on how the stream was split into pushes.
#[derive(Debug)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Where the unconsumed bytes of `buf` start.
    start: usize,
    state: State,
    max_body: usize,
    /// From this size on a body's room is reserved and the body handed out
    /// in its own buffer ([`LARGE_BODY_BYTES`]; lower for the fuzzer).
    large_body: usize,
}

impl Decoder {
    /// A decoder refusing bodies above `max_body` bytes.
    pub fn new(max_body: usize) -> Self {
        Decoder {
            buf: Vec::new(),
            start: 0,
            state: State::Header,
            max_body,
            large_body: LARGE_BODY_BYTES,
        }
    }

    /// The same decoder, taking the large-body path from `bytes` on: the
    /// fuzzer's inputs are far below a megabyte.
    pub fn with_large_body(mut self, bytes: usize) -> Self {
        self.large_body = bytes;
        self
    }

    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes held and not yet decoded (for tests and the memory bound).
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Makes the decoder scan for the next header: the caller found the last
    /// body to be garbage, so the frame boundary it implied is not trusted
    /// (a truncated body swallows the start of the next frame).
    pub fn resync(&mut self) {
        self.state = State::Resync;
    }

    /// The next frame or error, or `None` until more bytes are pushed.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            match self.state {
                State::Resync => {
                    if !self.scan() {
                        return None;
                    }
                }
                State::Body(length) => {
                    if self.buffered() < length {
                        return None;
                    }
                    self.state = State::Header;
                    return Some(Event::Frame(self.take_body(length)));
                }
                State::Header => match self.header() {
                    Ok(Some(length)) => {
                        self.state = State::Body(length);
                        self.make_room(length);
                    }
                    Ok(None) => return None,
                    Err(error) => {
                        // Skip one byte so the same bad header is not found again.
                        self.start += 1;
                        self.state = State::Resync;
                        return Some(Event::Error(error));
                    }
                },
            }
        }
    }

    /// Reserves a large body's room at once, so that the buffer does not
    /// grow by doubling (each step a copy, the last up to twice the body),
    /// with room for the bytes of the next frame that the read completing
    /// this one brings. Only address space until the bytes arrive.
    fn make_room(&mut self, length: usize) {
        if length >= self.large_body {
            self.buf.drain(..self.start);
            self.start = 0;
            let room = length + READ_SLACK_BYTES;
            self.buf.reserve_exact(room.saturating_sub(self.buf.len()));
        }
    }

    /// The `length` bytes at `start`. A large body keeps the buffer it
    /// arrived in (no copy of megabytes), and the few bytes after it move to
    /// a buffer of their own; a small one is copied out.
    fn take_body(&mut self, length: usize) -> Vec<u8> {
        let end = self.start + length;
        if length < self.large_body {
            let body = self.buf[self.start..end].to_vec();
            self.start = end;
            return body;
        }
        let rest = self.buf.split_off(end);
        let mut body = std::mem::replace(&mut self.buf, rest);
        body.drain(..self.start);
        self.start = 0;
        body
    }

    /// Looks for the next `Content-Length`; true once found (state Header).
    /// Otherwise keeps only the tail that could be the needle's beginning.
    fn scan(&mut self) -> bool {
        let rest = &self.buf[self.start..];
        match find_ignore_case(rest, NEEDLE) {
            Some(at) => {
                self.start += at;
                self.state = State::Header;
                true
            }
            None => {
                self.start = self.buf.len() - rest.len().min(NEEDLE.len() - 1);
                false
            }
        }
    }

    /// Parses the header section at `start`: Ok(Some(length)) once complete
    /// (and consumed), Ok(None) if more bytes are needed. Lines are checked
    /// in order as they complete, so the result does not depend on chunking.
    fn header(&mut self) -> Result<Option<usize>, FrameError> {
        let mut at = self.start;
        let mut length: Option<u64> = None;
        loop {
            let Some(newline) = self.buf[at..].iter().position(|&b| b == b'\n') else {
                if self.buffered() > MAX_HEADER_BYTES {
                    return Err(FrameError::HeaderTooLong);
                }
                return Ok(None);
            };
            let line_end = at + newline + 1;
            if line_end - self.start > MAX_HEADER_BYTES {
                return Err(FrameError::HeaderTooLong);
            }
            let line = &self.buf[at..at + newline];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            at = line_end;
            if line.is_empty() {
                let length = length.ok_or(FrameError::MissingContentLength)?;
                self.start = at;
                // Below max_body, so it fits in usize.
                return usize::try_from(length).map(Some).map_err(|_| {
                    FrameError::ContentLengthTooLarge {
                        length,
                        limit: self.max_body,
                    }
                });
            }
            let (name, value) = split_header(line)?;
            if name.eq_ignore_ascii_case(NEEDLE) {
                let n = parse_length(value, self.max_body)?;
                if length.is_some_and(|earlier| earlier != n) {
                    return Err(FrameError::BadContentLength);
                }
                length = Some(n);
            }
            // Other headers (Content-Type) are allowed and ignored: the body
            // is checked to be UTF-8 JSON whatever they say.
        }
    }
}

/// `name: value` with `name` an HTTP token and `value` trimmed.
fn split_header(line: &[u8]) -> Result<(&[u8], &[u8]), FrameError> {
    let colon = line
        .iter()
        .position(|&b| b == b':')
        .ok_or(FrameError::MalformedHeader)?;
    let name = &line[..colon];
    if name.is_empty() || !name.iter().all(|&b| is_token_byte(b)) {
        return Err(FrameError::MalformedHeader);
    }
    Ok((name, line[colon + 1..].trim_ascii()))
}

/// RFC 9110 `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A decimal length no larger than `limit`; digits only (no sign).
fn parse_length(value: &[u8], limit: usize) -> Result<u64, FrameError> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(FrameError::BadContentLength);
    }
    let too_large = |length| FrameError::ContentLengthTooLarge { length, limit };
    let length = value.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or(too_large(u64::MAX))
    })?;
    if usize::try_from(length).map_or(true, |n| n > limit) {
        return Err(too_large(length));
    }
    Ok(length)
}

fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Frames `body` the way the LSP base protocol does.
pub fn header_for(body: &[u8]) -> String {
    format!("Content-Length: {}\r\n\r\n", body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(decoder: &mut Decoder, bytes: &[u8]) -> Vec<Event> {
        decoder.push(bytes);
        std::iter::from_fn(|| decoder.next_event()).collect()
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("{}{body}", header_for(body.as_bytes())).into_bytes()
    }

    fn body(text: &str) -> Event {
        Event::Frame(text.as_bytes().to_vec())
    }

    #[test]
    fn frames_back_to_back_and_split_anywhere() {
        let mut stream = frame("{\"a\":1}");
        stream.extend(b"content-length:2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[]");
        stream.extend(frame("x"));
        let whole = decode_all(&mut Decoder::new(100), &stream);
        assert_eq!(whole, vec![body("{\"a\":1}"), body("[]"), body("x")]);
        for split in 0..stream.len() {
            let mut decoder = Decoder::new(100);
            let mut events = decode_all(&mut decoder, &stream[..split]);
            events.extend(decode_all(&mut decoder, &stream[split..]));
            assert_eq!(events, whole, "split at {split}");
        }
    }

    #[test]
    fn bad_headers_are_errors_and_the_next_frame_is_found() {
        let cases: &[(&[u8], FrameError)] = &[
            (
                b"Content-Length: abc\r\n\r\n{}",
                FrameError::BadContentLength,
            ),
            (
                b"Content-Length: -5\r\n\r\n{}",
                FrameError::BadContentLength,
            ),
            (
                b"Content-Length: +5\r\n\r\n{}",
                FrameError::BadContentLength,
            ),
            (
                b"Content-Type: x\r\n\r\n{}",
                FrameError::MissingContentLength,
            ),
            (b"\r\n", FrameError::MissingContentLength),
            (b"no colon here\r\n\r\n", FrameError::MalformedHeader),
            (b"{\"jsonrpc\":\"2.0\"}\r\n", FrameError::MalformedHeader),
            (
                b"Content-Length: 101\r\n\r\n",
                FrameError::ContentLengthTooLarge {
                    length: 101,
                    limit: 100,
                },
            ),
            (
                b"Content-Length: 99999999999999999999999\r\n\r\n",
                FrameError::ContentLengthTooLarge {
                    length: u64::MAX,
                    limit: 100,
                },
            ),
        ];
        for (garbage, error) in cases {
            let mut stream = garbage.to_vec();
            stream.extend(frame("{\"ok\":true}"));
            let events = decode_all(&mut Decoder::new(100), &stream);
            assert_eq!(
                events,
                vec![Event::Error(error.clone()), body("{\"ok\":true}")],
                "{}",
                String::from_utf8_lossy(garbage)
            );
        }
    }

    #[test]
    fn two_lengths_that_differ_are_an_error() {
        // Resynchronising finds the second line as the start of a header.
        let events = decode_all(
            &mut Decoder::new(100),
            b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
        );
        assert_eq!(
            events,
            vec![Event::Error(FrameError::BadContentLength), body("{}")]
        );
        let events = decode_all(
            &mut Decoder::new(100),
            b"Content-Length: 2\r\ncontent-length: 2\r\n\r\n{}",
        );
        assert_eq!(events, vec![body("{}")]);
    }

    #[test]
    fn a_long_header_is_refused_without_buffering_it() {
        let mut decoder = Decoder::new(100);
        decoder.push(b"X-Junk: ");
        let mut events = Vec::new();
        for _ in 0..1000 {
            events.extend(decode_all(&mut decoder, &[b'a'; 1024]));
            assert!(decoder.buffered() <= MAX_HEADER_BYTES + 1024);
        }
        assert_eq!(events, vec![Event::Error(FrameError::HeaderTooLong)]);
        assert!(decoder.buffered() < NEEDLE.len());
        let events = decode_all(&mut decoder, &frame("{}"));
        assert_eq!(events, vec![body("{}")]);
    }

    #[test]
    fn a_large_body_is_handed_out_in_one_allocation_of_its_size() {
        let large = format!("\"{}\"", "x".repeat(3 * LARGE_BODY_BYTES));
        let mut stream = frame(&large);
        stream.extend(frame("{}"));
        let mut decoder = Decoder::new(MAX_BODY_BYTES);
        let mut events = Vec::new();
        for chunk in stream.chunks(64 * 1024) {
            events.extend(decode_all(&mut decoder, chunk));
        }
        let Some(Event::Frame(first)) = events.first() else {
            panic!("no frame: {events:?}");
        };
        assert!(*first == large.as_bytes(), "the large body differs");
        // Reserved when its header was read: not grown by doubling.
        assert!(
            first.capacity() <= large.len() + READ_SLACK_BYTES,
            "capacity {} for {} bytes",
            first.capacity(),
            large.len()
        );
        assert_eq!(events[1..], [body("{}")]);
        assert_eq!(decoder.buffered(), 0);
    }

    #[test]
    fn an_oversized_body_is_skipped_as_it_streams() {
        let mut decoder = Decoder::new(100);
        let mut events = decode_all(&mut decoder, b"Content-Length: 1000000\r\n\r\n");
        for _ in 0..1000 {
            events.extend(decode_all(&mut decoder, &[b'z'; 1000]));
            assert!(decoder.buffered() < 1000 + NEEDLE.len());
        }
        events.extend(decode_all(&mut decoder, &frame("{}")));
        let limit = 100;
        assert_eq!(
            events,
            vec![
                Event::Error(FrameError::ContentLengthTooLarge {
                    length: 1_000_000,
                    limit
                }),
                body("{}")
            ]
        );
    }

    #[test]
    fn resync_after_a_truncated_body_finds_the_next_header() {
        // The first frame claims 20 bytes but sends 8: its body swallows the
        // start of the next frame, whose rest is garbage until the third.
        let mut stream = b"Content-Length: 20\r\n\r\n{\"trunc\"".to_vec();
        stream.extend(frame("{\"second\":2}"));
        stream.extend(frame("{\"third\":3}"));
        let mut decoder = Decoder::new(100);
        decoder.push(&stream);
        let first = decoder.next_event();
        assert_eq!(first, Some(body("{\"trunc\"Content-Leng")));
        decoder.resync();
        let rest: Vec<Event> = std::iter::from_fn(|| decoder.next_event()).collect();
        assert_eq!(rest, vec![body("{\"third\":3}")]);
    }

    #[test]
    fn a_needle_split_across_pushes_is_found() {
        let mut decoder = Decoder::new(100);
        decoder.resync();
        let stream = [
            b"garbage garbage Conte".as_slice(),
            b"nt-Length: 2\r\n\r\n{}",
        ];
        let mut events = decode_all(&mut decoder, stream[0]);
        events.extend(decode_all(&mut decoder, stream[1]));
        assert_eq!(events, vec![body("{}")]);
    }
}
