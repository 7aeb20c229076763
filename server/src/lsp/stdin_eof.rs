//! Noticing that the editor went away. tower-lsp's serve loop, on stdin's
//! end, still waits for every request in flight (a workspace lint, a
//! preload) before it returns, so the sidecar and its children would live on
//! for minutes. This reader says "end of input" at once, and `serve` stops.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio_util::sync::CancellationToken;

/// Passes reads through and cancels `eof` when the input ends or fails.
pub struct EofSignal<R> {
    inner: R,
    eof: CancellationToken,
}

impl<R> EofSignal<R> {
    pub fn new(inner: R, eof: CancellationToken) -> Self {
        EofSignal { inner, eof }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for EofSignal<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let wanted = buf.remaining() > 0;
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        match &polled {
            Poll::Ready(Ok(())) if wanted && buf.filled().len() == before => self.eof.cancel(),
            Poll::Ready(Err(_)) => self.eof.cancel(),
            _ => {}
        }
        polled
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn the_token_fires_at_the_end_of_input_and_not_before() {
        let eof = CancellationToken::new();
        let mut reader = EofSignal::new(&b"abc"[..], eof.clone());
        let mut two = [0u8; 2];
        reader.read_exact(&mut two).await.unwrap();
        assert!(!eof.is_cancelled());
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, b"c");
        assert!(eof.is_cancelled());
    }
}
