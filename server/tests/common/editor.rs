//! An editor's end of `gord serve`: spawns the server, frames LSP messages
//! over its real stdio, waits for responses and notifications.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
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
    /// Messages read while waiting for something else, kept for later asserts.
    pub seen: Vec<Value>,
    next_id: i64,
}

impl Editor {
    pub fn start(env: &[(&str, &str)]) -> Editor {
        let mut command = Command::new(gord());
        command
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Editor {
            child,
            stdin: Some(stdin),
            incoming,
            seen: Vec::new(),
            next_id: 1,
        }
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
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
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

    /// Waits for the `end` of work-done progress `token` (it may overtake the
    /// response of the request it belongs to, or follow it) and keeps it in
    /// `seen` with the rest of that progress.
    pub fn wait_progress_end(&mut self, token: &Value) {
        let token = token.clone();
        let end = self.wait_for(move |m| {
            m["method"] == "$/progress"
                && m["params"]["token"] == token
                && m["params"]["value"]["kind"] == "end"
        });
        self.seen.push(end);
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
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
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
