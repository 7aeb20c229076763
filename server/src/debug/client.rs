//! The two wire protocols gord speaks to a dlv server, just enough to end a
//! session without killing the target: JSON-RPC 2 (Go's net/rpc JSON codec,
//! `dlv --headless --api-version=2`) and DAP (`dlv dap`, and `--headless`
//! servers too).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot connect to dlv at {0}: {1}")]
    Connect(SocketAddr, std::io::Error),
    #[error("talking to dlv failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("dlv answered something that is not {0}")]
    Protocol(&'static str),
    #[error("dlv refused `{0}`: {1}")]
    Refused(String, String),
}

fn connect(addr: SocketAddr, timeout: Duration) -> Result<TcpStream, ClientError> {
    let stream =
        TcpStream::connect_timeout(&addr, timeout).map_err(|e| ClientError::Connect(addr, e))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    Ok(stream)
}

/// One JSON-RPC call on a fresh connection (Go's net/rpc JSON codec: one
/// line each way); the reply's `result`.
fn rpc_call(
    addr: SocketAddr,
    method: &str,
    params: Value,
    timeout: Duration,
) -> Result<Value, ClientError> {
    let stream = connect(addr, timeout)?;
    let request = json!({"method": method, "params": [params], "id": 1});
    (&stream).write_all(format!("{request}\n").as_bytes())?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let reply: Value =
        serde_json::from_str(&line).map_err(|_| ClientError::Protocol("a JSON-RPC reply"))?;
    match &reply["error"] {
        Value::Null => Ok(reply["result"].clone()),
        error => Err(ClientError::Refused(
            method.into(),
            error.as_str().unwrap_or_default().to_string(),
        )),
    }
}

/// Calls `RPCServer.Detach` with `Kill: false`: Delve removes its breakpoints,
/// detaches from the target (which keeps running) and the server exits.
///
/// Delve serves Detach only while the target is stopped; with `--continue`
/// it is usually running, and Detach would wait for a stop that never comes.
/// So a running target is halted first.
pub fn rpc_detach(addr: SocketAddr, timeout: Duration) -> Result<(), ClientError> {
    halt_if_running(addr, timeout)?;
    rpc_call(addr, "RPCServer.Detach", json!({"Kill": false}), timeout).map(|_| ())
}

/// How long a stopped target is watched for the resume `--continue` may
/// still be about to make (right after the attach).
const RESUME_GRACE: Duration = Duration::from_millis(300);

fn is_running(addr: SocketAddr, timeout: Duration) -> Result<bool, ClientError> {
    let state = rpc_call(
        addr,
        "RPCServer.State",
        json!({"NonBlocking": true}),
        timeout,
    )?;
    Ok(state["State"]["Running"] == true)
}

fn halt_if_running(addr: SocketAddr, timeout: Duration) -> Result<(), ClientError> {
    let grace_ends = Instant::now() + RESUME_GRACE;
    while !is_running(addr, timeout)? {
        if Instant::now() >= grace_ends {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    rpc_call(addr, "RPCServer.Command", json!({"name": "halt"}), timeout)?;
    let deadline = Instant::now() + timeout;
    while is_running(addr, timeout)? {
        if Instant::now() >= deadline {
            return Err(ClientError::Protocol(
                "a halted target (halt did not stop it)",
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// Calls `RPCServer.GetVersion`. A headless dlv prints where it listens
/// before it has attached, and answers only once it has: an answer means
/// the target is attached.
pub fn rpc_get_version(addr: SocketAddr, timeout: Duration) -> Result<Value, ClientError> {
    rpc_call(addr, "RPCServer.GetVersion", json!({}), timeout)
}

/// A minimal DAP client: Content-Length framed JSON, requests answered in order.
pub struct DapClient {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
    seq: i64,
}

impl DapClient {
    pub fn connect(addr: SocketAddr, timeout: Duration) -> Result<Self, ClientError> {
        let stream = connect(addr, timeout)?;
        let reader = BufReader::new(stream.try_clone()?);
        Ok(DapClient {
            stream,
            reader,
            seq: 0,
        })
    }

    /// `initialize`, then `attach` with `mode: local, processId` (what Delve's
    /// DAP documentation lists for attaching to a running process).
    pub fn attach(&mut self, pid: u32) -> Result<(), ClientError> {
        self.request(
            "initialize",
            json!({"clientID": "gord", "adapterID": "go", "pathFormat": "path", "linesStartAt1": true, "columnsStartAt1": true}),
        )?;
        self.request("attach", json!({"mode": "local", "processId": pid}))?;
        self.request("configurationDone", json!({}))?;
        Ok(())
    }

    /// `disconnect` with `terminateDebuggee: false`: detach and leave the target running.
    pub fn disconnect(&mut self) -> Result<(), ClientError> {
        self.request("disconnect", json!({"terminateDebuggee": false}))?;
        Ok(())
    }

    /// Sends a request and returns its response body, skipping events.
    pub fn request(&mut self, command: &str, arguments: Value) -> Result<Value, ClientError> {
        self.seq += 1;
        let message =
            json!({"seq": self.seq, "type": "request", "command": command, "arguments": arguments})
                .to_string();
        write!(
            self.stream,
            "Content-Length: {}\r\n\r\n{message}",
            message.len()
        )?;
        loop {
            let reply = self.read_message()?;
            if reply["type"] == "response" && reply["request_seq"] == self.seq {
                if reply["success"] == true {
                    return Ok(reply["body"].clone());
                }
                return Err(ClientError::Refused(
                    command.to_string(),
                    reply["message"].as_str().unwrap_or_default().to_string(),
                ));
            }
        }
    }

    fn read_message(&mut self) -> Result<Value, ClientError> {
        let mut length = None;
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(ClientError::Protocol(
                    "a DAP message (the connection closed)",
                ));
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length:") {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let length = length
            .filter(|l| *l <= 16 * 1024 * 1024)
            .ok_or(ClientError::Protocol("a DAP header"))?;
        let mut body = vec![0u8; length];
        self.reader.read_exact(&mut body)?;
        serde_json::from_slice(&body).map_err(|_| ClientError::Protocol("DAP JSON"))
    }
}
