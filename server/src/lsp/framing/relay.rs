//! The tasks between the editor's stdio and tower-lsp. One task reads the
//! editor's stream, answers what is not a message and forwards the rest
//! through a pipe tower-lsp reads; another copies tower-lsp's output to the
//! editor frame by frame. Both write whole frames under one lock, so an error
//! answer never lands inside one of tower-lsp's messages.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter, DuplexStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::decode::{header_for, Decoder, Event, MAX_BODY_BYTES};
use super::message::{check, error_body, Verdict, INVALID_REQUEST, PARSE_ERROR};

/// How much is read from a stream at a time (and buffered in each pipe).
const CHUNK: usize = 64 * 1024;

/// How long the sidecar waits, once tower-lsp is done, for its last output.
const DRAIN: Duration = Duration::from_secs(2);

type Shared<W> = Arc<Mutex<BufWriter<W>>>;

/// tower-lsp's ends of the pipes (duplex streams, used one way: unlike a
/// split simplex, dropping one end is an end of file at the other).
pub struct Pipes {
    /// What tower-lsp reads: the editor's messages, each one it can decode.
    pub input: DuplexStream,
    /// What tower-lsp writes: copied to the editor frame by frame.
    pub output: DuplexStream,
}

/// The running relay.
pub struct Relay {
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Relay {
    /// Starts relaying between the editor's `stdin`/`stdout` and the pipes.
    /// When `stdin` ends, tower-lsp's input ends too, so its `serve` returns.
    pub fn start<R, W>(stdin: R, stdout: W) -> (Pipes, Relay)
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let out: Shared<W> = Arc::new(Mutex::new(BufWriter::new(stdout)));
        let (input, to_server) = tokio::io::duplex(CHUNK);
        let (output, from_server) = tokio::io::duplex(CHUNK);
        let reader = tokio::spawn(read_client(stdin, to_server, Arc::clone(&out)));
        let writer = tokio::spawn(write_server(from_server, out));
        (Pipes { input, output }, Relay { reader, writer })
    }

    /// Once tower-lsp has returned (its output end dropped): writes what it
    /// still had to say and stops reading the editor.
    pub async fn finish(self) {
        self.reader.abort();
        if tokio::time::timeout(DRAIN, self.writer).await.is_err() {
            tracing::warn!("the editor did not take the last messages in time");
        }
    }
}

async fn read_client<R, W>(mut stdin: R, mut server: DuplexStream, out: Shared<W>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut decoder = Decoder::new(MAX_BODY_BYTES);
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = match stdin.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                tracing::warn!("cannot read stdin: {e}");
                break;
            }
        };
        decoder.push(&chunk[..n]);
        while let Some(event) = decoder.next_event() {
            let forward = match event {
                Event::Frame(body) => match check(&body) {
                    Verdict::Forward => Some(body),
                    Verdict::NotJson(detail) => {
                        tracing::warn!("message is not JSON: {detail}");
                        // A body of the wrong length is garbage too: the
                        // next header is searched for, not assumed.
                        decoder.resync();
                        answer(&out, PARSE_ERROR, &Value::Null, &detail).await;
                        None
                    }
                    Verdict::NotMessage { id, detail } => {
                        tracing::warn!("not a JSON-RPC message: {detail}");
                        answer(&out, INVALID_REQUEST, &id, &detail).await;
                        None
                    }
                    Verdict::BadResponse(detail) => {
                        tracing::warn!("malformed response dropped: {detail}");
                        None
                    }
                },
                Event::Error(error) => {
                    tracing::warn!("malformed message header: {error}");
                    answer(&out, PARSE_ERROR, &Value::Null, &error.to_string()).await;
                    None
                }
            };
            if let Some(body) = forward {
                if send(&mut server, &body).await.is_err() {
                    // tower-lsp has stopped reading (after `exit`).
                    return;
                }
            }
        }
    }
    if decoder.buffered() > 0 {
        tracing::warn!("stdin ended inside a message");
    }
    // Dropping `server` ends tower-lsp's input: its `serve` returns.
    let _ = server.shutdown().await;
}

async fn send(server: &mut DuplexStream, body: &[u8]) -> std::io::Result<()> {
    server.write_all(header_for(body).as_bytes()).await?;
    server.write_all(body).await
}

async fn answer<W: AsyncWrite + Unpin>(out: &Shared<W>, code: i64, id: &Value, detail: &str) {
    if let Err(e) = write_frame(out, &error_body(code, id, detail)).await {
        tracing::debug!("cannot answer on stdout: {e}");
    }
}

async fn write_server<W: AsyncWrite + Unpin>(mut from_server: DuplexStream, out: Shared<W>) {
    // tower-lsp's own output: well-formed, and not to be capped.
    let mut decoder = Decoder::new(usize::MAX);
    let mut chunk = vec![0; CHUNK];
    loop {
        let n = match from_server.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        decoder.push(&chunk[..n]);
        while let Some(event) = decoder.next_event() {
            match event {
                Event::Frame(body) => {
                    if let Err(e) = write_frame(&out, &body).await {
                        tracing::debug!("cannot write stdout: {e}");
                    }
                }
                Event::Error(error) => tracing::error!("tower-lsp wrote a bad frame: {error}"),
            }
        }
    }
}

async fn write_frame<W: AsyncWrite + Unpin>(out: &Shared<W>, body: &[u8]) -> std::io::Result<()> {
    let mut out = out.lock().await;
    out.write_all(header_for(body).as_bytes()).await?;
    out.write_all(body).await?;
    out.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::duplex;

    fn frame(body: &str) -> Vec<u8> {
        format!("{}{body}", header_for(body.as_bytes())).into_bytes()
    }

    #[tokio::test]
    async fn forwards_messages_answers_garbage_and_ends_on_eof() {
        let (mut editor_in, stdin) = duplex(1 << 16);
        let (stdout, mut editor_out) = duplex(1 << 16);
        let (mut pipes, relay) = Relay::start(stdin, stdout);

        let good = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;
        let mut stream = b"Content-Length: x\r\n\r\n[1]".to_vec();
        stream.extend(frame("[1]"));
        stream.extend(frame(good));
        editor_in.write_all(&stream).await.unwrap();
        drop(editor_in);

        // tower-lsp sees only the good message, then the end of its input.
        let mut seen = Vec::new();
        pipes.input.read_to_end(&mut seen).await.unwrap();
        assert_eq!(seen, frame(good));

        pipes
            .output
            .write_all(&frame("{\"from\":\"server\"}"))
            .await
            .unwrap();
        drop(pipes.output);
        relay.finish().await;

        let mut written = Vec::new();
        editor_out.read_to_end(&mut written).await.unwrap();
        let mut decoder = Decoder::new(usize::MAX);
        decoder.push(&written);
        let bodies: Vec<Value> = std::iter::from_fn(|| decoder.next_event())
            .map(|event| match event {
                Event::Frame(body) => serde_json::from_slice(&body).unwrap(),
                Event::Error(e) => panic!("{e}"),
            })
            .collect();
        let codes: Vec<&Value> = bodies.iter().map(|b| &b["error"]["code"]).collect();
        assert_eq!(codes[..2], [&Value::from(-32700), &Value::from(-32600)]);
        assert_eq!(bodies[2]["from"], "server");
    }
}
