//! Hostile input: framing. See main.rs.
//!
//! A broken or hostile client writes malformed JSON-RPC to `gord serve`'s
//! stdin. On main each of these ended the sidecar (exit 0, through
//! tower-lsp's read loop giving up). Now each gets a JSON-RPC error with id
//! null where one is due, the next valid message is answered, the process
//! stays up and under the memory budget, and it exits only on EOF or `exit`.

use std::io::Write;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::common::editor::{frames_of, WAIT};
use super::common::{gord, peak_rss_kib, wait, RSS_BUDGET_KIB};

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;

/// A client that writes raw bytes (the Editor frames everything properly).
struct Raw {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Every message received so far, in order.
    seen: Vec<Value>,
    _workspace: tempfile::TempDir,
}

impl Raw {
    fn start() -> Raw {
        let workspace = tempfile::tempdir().unwrap();
        let mut child = Command::new(gord())
            .arg("serve")
            .current_dir(workspace.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let incoming = frames_of(child.stdout.take().unwrap());
        Raw {
            child,
            stdin,
            incoming,
            seen: Vec::new(),
            _workspace: workspace,
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        // A write error means the sidecar is gone: the attack worked.
        stdin
            .write_all(bytes)
            .and_then(|()| stdin.flush())
            .unwrap_or_else(|e| panic!("the sidecar stopped reading: {e}"));
    }

    fn send(&mut self, message: &Value) {
        self.write(&frame(&message.to_string()));
    }

    /// Waits for the message answering `id`, keeping everything received.
    fn answer_to(&mut self, id: i64) -> Value {
        if let Some(found) = self.seen.iter().find(|m| m["id"] == id) {
            return found.clone();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) => {
                    self.seen.push(message.clone());
                    if message["id"] == id {
                        return message;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no answer to {id}; seen: {:#?}", self.seen)
                }
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the sidecar closed stdout ({:?}); seen: {:#?}",
                    self.child.try_wait(),
                    self.seen
                ),
            }
        }
    }

    /// The error codes of the error answers with id null seen so far.
    fn null_id_errors(&self) -> Vec<i64> {
        self.seen
            .iter()
            .filter(|m| m["id"].is_null() && m["jsonrpc"] == "2.0")
            .filter_map(|m| m["error"]["code"].as_i64())
            .collect()
    }

    /// A valid `initialize` after the attack is answered, the sidecar is
    /// still running and under budget. Returns its peak RSS in KiB.
    fn still_serves(&mut self, id: i64) -> u64 {
        self.send(&initialize(id));
        let answer = self.answer_to(id);
        assert!(
            answer["result"]["capabilities"].is_object(),
            "initialize failed: {answer}"
        );
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "the sidecar exited"
        );
        let peak = peak_rss_kib(self.child.id());
        assert!(peak < RSS_BUDGET_KIB, "peak RSS {peak} KiB");
        peak
    }

    /// `shutdown` then `exit`: the sidecar exits with success.
    fn shut_down(&mut self, id: i64) {
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": "shutdown" }));
        assert!(self.answer_to(id).get("error").is_none());
        self.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
        let status = wait::for_exit(&mut self.child, Duration::from_secs(10));
        assert!(status.success(), "{status}");
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn frame(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn initialize(id: i64) -> Value {
    json!({
        "jsonrpc": "2.0", "id": id, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} },
    })
}

/// Sends `attack`, then expects exactly the error answers `codes` (id null)
/// before a following `initialize` is answered; then a clean shutdown.
fn survives(name: &str, attack: &[u8], codes: &[i64]) {
    let mut raw = Raw::start();
    raw.write(attack);
    let peak = raw.still_serves(1);
    assert_eq!(raw.null_id_errors(), codes, "{name}: {:#?}", raw.seen);
    eprintln!("{name}: peak RSS {peak} KiB");
    raw.shut_down(2);
}

#[test]
fn a_content_length_that_is_not_a_number_is_a_parse_error() {
    survives(
        "Content-Length: abc",
        b"Content-Length: abc\r\n\r\n{}",
        &[PARSE_ERROR],
    );
}

#[test]
fn a_negative_content_length_is_a_parse_error() {
    survives(
        "Content-Length: -5",
        b"Content-Length: -5\r\n\r\n{}",
        &[PARSE_ERROR],
    );
}

#[test]
fn a_content_length_beyond_the_cap_is_refused_and_its_body_skipped() {
    // 100 MB announced (the cap is 64 MiB), 10 MB of it sent: refused on the
    // header, the body streamed past without being kept.
    let mut attack = b"Content-Length: 100000000\r\n\r\n".to_vec();
    attack.extend(std::iter::repeat_n(b'x', 10_000_000));
    survives("Content-Length: 100000000", &attack, &[PARSE_ERROR]);
    survives(
        "Content-Length: 2^70",
        b"Content-Length: 1180591620717411303424\r\n\r\n",
        &[PARSE_ERROR],
    );
}

#[test]
fn a_header_section_without_content_length_is_a_parse_error_and_its_body_is_not_run() {
    // The body is a valid initialize: run, it would make the next one fail.
    let body = initialize(77).to_string();
    let attack = format!("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{body}");
    survives("no Content-Length", attack.as_bytes(), &[PARSE_ERROR]);
}

#[test]
fn a_header_line_without_a_colon_is_a_parse_error() {
    survives(
        "header without colon",
        b"Content-Length 2\r\n\r\n{}",
        &[PARSE_ERROR],
    );
}

#[test]
fn a_body_that_is_not_json_is_a_parse_error() {
    survives(
        "invalid JSON",
        &frame(r#"{"jsonrpc":"2.0","id":5,"method":"#),
        &[PARSE_ERROR],
    );
    survives(
        "not UTF-8",
        b"Content-Length: 3\r\n\r\n\"\xff\"",
        &[PARSE_ERROR],
    );
}

#[test]
fn a_json_array_is_an_invalid_request() {
    // A batch, which LSP does not have (tower-lsp would take it as a request).
    let body = format!("[{}]", initialize(77));
    survives("JSON array", &frame(&body), &[INVALID_REQUEST]);
}

#[test]
fn a_json_number_is_an_invalid_request() {
    survives("JSON number", &frame("42"), &[INVALID_REQUEST]);
}

#[test]
fn an_object_that_is_not_a_message_is_an_invalid_request_with_its_id() {
    let mut raw = Raw::start();
    raw.send(&json!({ "jsonrpc": "1.0", "id": 9, "method": "initialize" }));
    let answer = raw.answer_to(9);
    assert_eq!(answer["error"]["code"], INVALID_REQUEST, "{answer}");
    raw.still_serves(1);
    raw.shut_down(2);
}

#[test]
fn a_truncated_body_is_an_error_and_the_stream_resynchronises() {
    // The first frame announces 60 bytes and sends 10: it takes the start of
    // the next frame as the rest of its body. The leftover of that frame is
    // skipped and the one after is answered.
    let mut raw = Raw::start();
    let mut attack = b"Content-Length: 60\r\n\r\n{\"jsonrpc\"".to_vec();
    let swallowed = frame(&initialize(77).to_string());
    assert!(swallowed.len() > 50, "the next frame must outlast the body");
    attack.extend(swallowed);
    raw.write(&attack);
    let peak = raw.still_serves(1);
    assert_eq!(raw.null_id_errors(), [PARSE_ERROR], "{:#?}", raw.seen);
    assert!(raw.seen.iter().all(|m| m["id"] != 77), "{:#?}", raw.seen);
    eprintln!("truncated body: peak RSS {peak} KiB");
    raw.shut_down(2);
}

#[test]
fn a_ten_megabyte_header_line_is_one_error_without_buffering_it() {
    let mut attack = b"X-Padding: ".to_vec();
    attack.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    attack.extend(b"\r\n\r\n{}");
    survives("10 MB header line", &attack, &[PARSE_ERROR]);
}

#[test]
fn every_attack_in_one_stream_and_serving_goes_on() {
    let mut raw = Raw::start();
    let mut attack = Vec::new();
    attack.extend(b"Content-Length: abc\r\n\r\n{}");
    attack.extend(b"Content-Length: -1\r\n\r\n{}");
    attack.extend(b"Content-Length 2\r\n\r\n{}");
    attack.extend(frame("{"));
    attack.extend(frame("[]"));
    attack.extend(frame("42"));
    attack.extend(b"Content-Length: 99999999999\r\n\r\n");
    attack.extend(std::iter::repeat_n(b'z', 1_000_000));
    raw.write(&attack);
    raw.still_serves(1);
    let version = json!({ "jsonrpc": "2.0", "id": 2, "method": "gord/version" });
    raw.send(&version);
    assert!(raw.answer_to(2)["result"].is_object(), "{:#?}", raw.seen);
    assert_eq!(
        raw.null_id_errors(),
        [
            PARSE_ERROR,
            PARSE_ERROR,
            PARSE_ERROR,
            PARSE_ERROR,
            INVALID_REQUEST,
            INVALID_REQUEST,
            PARSE_ERROR
        ],
        "{:#?}",
        raw.seen
    );
    raw.shut_down(3);
}

#[test]
fn stdin_eof_ends_the_sidecar_promptly() {
    let mut raw = Raw::start();
    raw.still_serves(1);
    raw.write(b"Content-Length: abc\r\n\r\n");
    raw.stdin = None;
    let status = wait::for_exit(&mut raw.child, Duration::from_secs(5));
    assert!(status.success(), "{status}");
}

#[test]
fn the_exit_notification_ends_the_sidecar_with_stdin_still_open() {
    let mut raw = Raw::start();
    raw.write(&frame("[]"));
    raw.still_serves(1);
    raw.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    wait::for_exit(&mut raw.child, Duration::from_secs(5));
    assert!(raw.stdin.is_some());
}
