//! An editor's end of `gord serve`: spawns the server, frames LSP messages
//! over its real stdio, waits for responses and notifications.
//!
//! Every message the server sends must be looked at: taken by a wait, a
//! request or [`Editor::take_all`], or ignored by its method name with
//! [`Editor::ignore`]. At [`Editor::finish`] (or when the editor is dropped
//! at the end of a passing test) a message that arrived and nobody looked
//! at fails the test: a notification the test did not expect is a finding.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::gord;

pub const WAIT: Duration = Duration::from_secs(30);

/// An editor's end of the connection.
pub struct Editor {
    pub child: Child,
    /// None once [`Editor::close_stdin`] has closed it.
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Messages read while waiting for something else, kept for later
    /// asserts: take them with [`Editor::wait_for`] or [`Editor::take_all`].
    seen: Vec<Value>,
    /// Methods whose messages the test lets pass unread.
    ignored: Vec<String>,
    /// Set once [`Editor::finish`] has checked the leftovers.
    finished: bool,
    next_id: i64,
}

impl Editor {
    pub fn start(env: &[(&str, &str)]) -> Editor {
        let mut command = Command::new(gord());
        command.arg("serve");
        for (key, value) in env {
            command.env(key, value);
        }
        Editor::start_command(command)
    }

    /// The editor's end of a server that `command` starts (another build of
    /// gord, or one run through Wine or qemu); its stdio is taken over here.
    pub fn start_command(mut command: Command) -> Editor {
        // No request beyond loopback: the egress check (RMT020's RMT032)
        // gets no fixed targets unless the test gives its own.
        let egress = "GORD_TEST_EGRESS_TARGETS";
        if !command.get_envs().any(|(key, _)| key == egress) {
            command.env(egress, "");
        }
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let incoming = frames_of(child.stdout.take().unwrap());
        Editor {
            child,
            stdin: Some(stdin),
            incoming,
            seen: Vec::new(),
            ignored: Vec::new(),
            finished: false,
            next_id: 1,
        }
    }

    /// Lets messages with these methods (notifications, or requests from the
    /// server) arrive without the test looking at them. Name them one by
    /// one: there is no wildcard.
    pub fn ignore(&mut self, methods: &[&str]) {
        self.ignored.extend(methods.iter().map(|m| m.to_string()));
    }

    /// Takes every message matching `wanted` that has arrived so far, in
    /// the order they came.
    pub fn take_all(&mut self, wanted: impl Fn(&Value) -> bool) -> Vec<Value> {
        self.drain_arrived();
        let (taken, kept) = std::mem::take(&mut self.seen).into_iter().partition(wanted);
        self.seen = kept;
        taken
    }

    /// Moves what has arrived, without waiting, into `seen`.
    fn drain_arrived(&mut self) {
        loop {
            match self.incoming.try_recv() {
                Ok(message) => self.seen.push(message),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return,
            }
        }
    }

    /// The messages that arrived, were not looked at and are not ignored.
    fn unread(&mut self) -> Vec<Value> {
        self.drain_arrived();
        let ignored = &self.ignored;
        self.seen
            .iter()
            .filter(|m| {
                !m["method"]
                    .as_str()
                    .is_some_and(|method| ignored.iter().any(|i| i == method))
            })
            .cloned()
            .collect()
    }

    /// Ends the session's checks: fails when a message arrived that nobody
    /// looked at. Dropping the editor checks the same.
    pub fn finish(&mut self) {
        self.finished = true;
        let unread = self.unread();
        assert!(
            unread.is_empty(),
            "{} message(s) from the server nobody looked at (consume them, or ignore their method): {unread:#?}",
            unread.len()
        );
    }

    pub fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().expect("stdin is closed");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    /// Closes the server's stdin, as an editor that went away without a word.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Option<Value>) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "jsonrpc": "2.0", "id": id, "method": method });
        if let Some(params) = params {
            message["params"] = params;
        }
        self.send(message);
        self.response_to(id)
    }

    /// Waits for the response to the request `id` (one the test sent with
    /// [`Self::send`]).
    pub fn response_to(&mut self, id: i64) -> Value {
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// Cancels the work reporting progress under `token`, as an editor's
    /// cancel button on the progress does.
    pub fn cancel_progress(&mut self, token: &Value) {
        self.notify("window/workDoneProgress/cancel", json!({ "token": token }));
    }

    /// Opens the document `uri` as an editor does, with its language id,
    /// version and text.
    pub fn open(&mut self, uri: &str, language: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": {
                "uri": uri, "languageId": language, "version": version, "text": text,
            }}),
        );
    }

    /// Replaces the whole text of the open document `uri` with `text` at
    /// `version`.
    pub fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    /// Waits for a publication of diagnostics for `uri` whose list `wanted`
    /// accepts (`|_| true` for the next one); returns that list.
    pub fn wait_diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| wanted(d))
        });
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Waits for the first message matching `wanted`; others are kept in `seen`.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        self.wait_for_within(WAIT, wanted)
    }

    /// [`Self::wait_for`] with a longer guard, for a request whose work
    /// itself takes long (a preload that builds the standard library into a
    /// fresh GOCACHE takes about 30 s on an idle 2-core machine).
    pub fn wait_for_within(&mut self, guard: Duration, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&wanted) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + guard;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.seen.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("timed out; seen: {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("server closed stdout; seen: {:#?}", self.seen)
                }
            }
        }
    }

    /// Waits until a message matching `wanted` has arrived and leaves it
    /// unread, for a test of what happens to unread messages.
    pub fn wait_arrived(&mut self, wanted: impl Fn(&Value) -> bool) {
        let message = self.wait_for(wanted);
        self.seen.push(message);
    }

    /// Answers the server's `window/workDoneProgress/create` request and
    /// returns the token it asked for.
    pub fn accept_progress(&mut self) -> Value {
        let create = self
            .wait_for(|m| m["method"] == "window/workDoneProgress/create" && m.get("id").is_some());
        self.send(json!({ "jsonrpc": "2.0", "id": create["id"], "result": null }));
        create["params"]["token"].clone()
    }

    /// Waits for the `end` of work-done progress `token` (it may overtake the
    /// response of the request it belongs to, or follow it) and takes that
    /// progress: begin, reports and end, in order.
    pub fn wait_progress_end(&mut self, token: &Value) -> Vec<Value> {
        let wanted = token.clone();
        let end = self.wait_for(move |m| {
            m["method"] == "$/progress"
                && m["params"]["token"] == wanted
                && m["params"]["value"]["kind"] == "end"
        });
        let mut progress =
            self.take_all(|m| m["method"] == "$/progress" && m["params"]["token"] == *token);
        progress.push(end);
        progress
    }

    pub fn initialize(&mut self, root: &std::path::Path, options: Value) -> Value {
        let uri = format!("file://{}", root.display());
        self.request(
            "initialize",
            Some(json!({
                "processId": std::process::id(),
                "rootUri": uri,
                "workspaceFolders": [{ "uri": uri, "name": "ws" }],
                "capabilities": {},
                "initializationOptions": options,
            })),
        )
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        // A test already failing says why itself; a second panic would abort.
        let unread = if self.finished || std::thread::panicking() {
            Vec::new()
        } else {
            self.unread()
        };
        let _ = self.child.kill();
        let _ = self.child.wait();
        assert!(
            unread.is_empty(),
            "{} message(s) from the server nobody looked at (consume them, or ignore their method): {unread:#?}",
            unread.len()
        );
    }
}

/// The messages `from` carries, Content-Length framed (LSP or DAP), read on
/// a thread of their own until `from` ends or the receiver is dropped.
pub fn frames_of(from: impl Read + Send + 'static) -> Receiver<Value> {
    let (tx, incoming) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(from);
        while let Some(message) = read_frame(&mut reader) {
            if tx.send(message).is_err() {
                break;
            }
        }
    });
    incoming
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn is_notification(method: &'static str) -> impl Fn(&Value) -> bool {
    move |m| m["method"] == method && m.get("id").is_none()
}
