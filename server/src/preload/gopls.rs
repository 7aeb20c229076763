//! A headless gopls session: start `gopls serve`, open the workspace as an
//! editor would, wait until gopls has loaded it and diagnosed it, then shut
//! it down. That fills gopls' own file cache (type-checked export data,
//! indexes), which is what makes the next gopls start fast.
//!
//! gopls v0.23.0 reports the load as work-done progress (server/general.go):
//! a token titled "Setting up workspace" that ends with "Finished loading
//! packages.", and, with `verboseWorkDoneProgress`, one titled
//! "diagnosing initial workspace load" that ends once every workspace
//! package has been type-checked.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};

use crate::exec::{CommandSpec, ExecError, ProcessRunner};

pub const LOAD_TITLE: &str = "Setting up workspace";
pub const DIAGNOSE_TITLE: &str = "diagnosing initial workspace load";

/// How a session went, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTimes {
    /// Start to the end of "Setting up workspace".
    pub loaded: Duration,
    /// Start to the end of the initial diagnosis.
    pub diagnosed: Duration,
    /// The message gopls ended the load with.
    pub load_message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error("talking to gopls failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("gopls closed its output before finishing the workspace load")]
    Closed,
    #[error("gopls sent a message gord cannot read: {0}")]
    Protocol(String),
    #[error("gopls did not finish loading the workspace within {} s", .0.as_secs())]
    Timeout(Duration),
}

/// Runs one session in `folder`. Dropping the future kills gopls and the
/// `go list` processes it started (they share its process group).
pub async fn warm_gopls(
    runner: &dyn ProcessRunner,
    gopls: &Path,
    folder: &Path,
    env: &[(String, String)],
    timeout: Duration,
) -> Result<SessionTimes, SessionError> {
    let mut spec = CommandSpec::new(gopls).arg("serve").cwd(folder);
    for (key, value) in env {
        spec = spec.env(key, value);
    }
    let mut child = runner.spawn_streaming(spec, true)?;
    let mut stdin = child.stdin.take().ok_or(SessionError::Closed)?;
    let stdout = child.stdout.take().ok_or(SessionError::Closed)?;
    let mut reader = BufReader::new(stdout);
    let started = Instant::now();

    let work = async {
        let uri = crate::uri::file_uri(folder);
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "processId": std::process::id(),
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": name}],
                "capabilities": {
                    "window": {"workDoneProgress": true},
                    "workspace": {"configuration": true, "workspaceFolders": true}
                },
                "initializationOptions": {"verboseWorkDoneProgress": true}
            }}),
        )
        .await?;
        let mut titles: HashMap<String, String> = HashMap::new();
        let mut loaded: Option<(Duration, String)> = None;
        loop {
            let message = read_message(&mut reader).await?;
            let method = message.get("method").and_then(Value::as_str);
            let id = message.get("id").cloned();
            match (method, id) {
                // Our initialize answered.
                (None, Some(id)) if id == json!(1) => {
                    send(
                        &mut stdin,
                        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
                    )
                    .await?;
                }
                (None, _) => {}
                // A request from gopls: answer as a plain editor would.
                (Some(method), Some(id)) => {
                    let result = match method {
                        "workspace/configuration" => {
                            let n = message["params"]["items"].as_array().map_or(0, Vec::len);
                            Value::Array(vec![json!({}); n])
                        }
                        _ => Value::Null,
                    };
                    send(
                        &mut stdin,
                        &json!({"jsonrpc": "2.0", "id": id, "result": result}),
                    )
                    .await?;
                }
                (Some("$/progress"), None) => {
                    let token = message["params"]["token"].to_string();
                    let value = &message["params"]["value"];
                    match value["kind"].as_str() {
                        Some("begin") => {
                            let title = value["title"].as_str().unwrap_or_default().to_string();
                            titles.insert(token, title);
                        }
                        Some("end") => {
                            let title = titles.get(&token).map(String::as_str);
                            let text = value["message"].as_str().unwrap_or_default().to_string();
                            if title == Some(LOAD_TITLE) {
                                tracing::debug!(message = %text, "gopls loaded the workspace");
                                loaded = Some((started.elapsed(), text));
                            } else if title == Some(DIAGNOSE_TITLE) {
                                let (loaded, load_message) =
                                    loaded.take().unwrap_or((started.elapsed(), String::new()));
                                return Ok::<_, SessionError>(SessionTimes {
                                    loaded,
                                    diagnosed: started.elapsed(),
                                    load_message,
                                });
                            }
                        }
                        _ => {}
                    }
                }
                (Some(_), None) => {}
            }
        }
    };
    let times = match tokio::time::timeout(timeout, work).await {
        Ok(result) => result?,
        Err(_) => return Err(SessionError::Timeout(timeout)),
    };
    // A polite end; if gopls dawdles, dropping `child` kills its group.
    let goodbye = async {
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}),
        )
        .await?;
        loop {
            let message = read_message(&mut reader).await?;
            if message.get("id") == Some(&json!(2)) && message.get("method").is_none() {
                break;
            }
        }
        send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"})).await?;
        drop(stdin);
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await?;
        child.wait().await?;
        Ok::<(), SessionError>(())
    };
    if let Err(e) = tokio::time::timeout(Duration::from_secs(5), goodbye).await {
        tracing::debug!(%e, "gopls did not exit in time; killed");
    }
    Ok(times)
}

async fn send<W: AsyncWrite + Unpin>(writer: &mut W, message: &Value) -> std::io::Result<()> {
    let body = message.to_string();
    writer
        .write_all(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes())
        .await?;
    writer.flush().await
}

/// Reads one Content-Length framed message.
async fn read_message<R: tokio::io::AsyncBufRead + Unpin>(
    reader: &mut R,
) -> Result<Value, SessionError> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Err(SessionError::Closed);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
        }
    }
    let length = length.ok_or_else(|| SessionError::Protocol("no Content-Length".into()))?;
    if length > 64 * 1024 * 1024 {
        return Err(SessionError::Protocol(format!("a {length}-byte message")));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    serde_json::from_slice(&body).map_err(|e| SessionError::Protocol(e.to_string()))
}
