//! A socket whose read buffer exists only while it holds bytes.
//!
//! tungstenite keeps its read buffer for a socket's whole life, sized by
//! `WebSocketConfig::read_buffer_size`, and reads at most that much per call. Tens of
//! thousands of idle connections each kept a 2 KiB buffer they were not using. Under this
//! adapter tungstenite is given a small buffer (`upgrade::TUNGSTENITE_READ`), and each of
//! its reads is served from [`READ_SIZE`] bytes taken from the kernel in one system call;
//! the buffer is given back the moment tungstenite has taken the last of them. The WebSocket
//! protocol itself stays tungstenite's: this only decides where bytes wait between the
//! kernel and its parser.

use std::cell::Cell;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Bytes read from the kernel at a time: a few relay frames of the default size.
pub const READ_SIZE: usize = 4096;

thread_local! {
    /// The worker thread's spare read buffer. A socket takes it when the kernel has bytes
    /// for it and gives it back once they are all taken, so a busy gateway reuses a few
    /// buffers instead of asking the allocator for 4 KiB, a size its per-thread caches do
    /// not keep, on every read.
    static SPARE: Cell<BytesMut> = Cell::new(BytesMut::new());
}

/// A read buffer: the thread's spare if it has one.
fn take_buffer() -> BytesMut {
    SPARE.with(Cell::take)
}

/// Gives an emptied buffer back as the thread's spare.
fn give_back(buffer: BytesMut) {
    if buffer.is_empty() {
        SPARE.with(|spare| spare.set(buffer));
    }
}

/// A TCP stream whose reads go through a buffer allocated only while it is not empty.
#[derive(Debug)]
pub struct LazyReadStream {
    inner: TcpStream,
    /// Bytes read from the kernel and not yet taken; no allocation while empty.
    pending: BytesMut,
}

impl LazyReadStream {
    /// Wraps `inner`.
    pub fn new(inner: TcpStream) -> Self {
        Self {
            inner,
            pending: BytesMut::new(),
        }
    }

    /// Bytes waiting in the buffer, and whether it holds an allocation (for tests).
    #[cfg(test)]
    fn buffered(&self) -> (usize, bool) {
        (self.pending.len(), self.pending.capacity() > 0)
    }
}

impl AsyncRead for LazyReadStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.pending.is_empty() {
            // A caller asking for at least a whole buffer's worth needs no copy.
            if buf.remaining() >= READ_SIZE {
                return Pin::new(&mut this.inner).poll_read(cx, buf);
            }
            // A buffer is taken only once the kernel says bytes are there: a socket waiting
            // for its client's next frame, which is what an idle one does, holds none.
            ready!(this.inner.poll_read_ready(cx))?;
            // An emptied buffer keeps its allocation: `reserve` reuses it.
            let mut buffer = take_buffer();
            buffer.reserve(READ_SIZE);
            // Tokio's own read, not `try_read_buf`: after a short read it marks the socket
            // not ready, so the next call waits instead of making a system call that can
            // only say "nothing yet".
            match tokio_util::io::poll_read_buf(Pin::new(&mut this.inner), cx, &mut buffer) {
                // The readiness was stale; the read registered the waker.
                Poll::Pending => {
                    give_back(buffer);
                    return Poll::Pending;
                }
                // End of stream: an empty read says so.
                Poll::Ready(Ok(0)) => {
                    give_back(buffer);
                    return Poll::Ready(Ok(()));
                }
                Poll::Ready(Ok(_)) => this.pending = buffer,
                Poll::Ready(Err(error)) => {
                    give_back(buffer);
                    return Poll::Ready(Err(error));
                }
            }
        }
        let taken = this.pending.len().min(buf.remaining());
        buf.put_slice(&this.pending[..taken]);
        this.pending.advance(taken);
        if this.pending.is_empty() {
            give_back(std::mem::take(&mut this.pending));
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for LazyReadStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    async fn pair() -> (LazyReadStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let client = TcpStream::connect(addr).await.expect("connect");
        let (server, _) = listener.accept().await.expect("accept");
        (LazyReadStream::new(server), client)
    }

    #[tokio::test]
    async fn small_reads_are_served_in_order_and_the_buffer_is_freed_when_drained() {
        let (mut server, mut client) = pair().await;
        let sent: Vec<u8> = (0..3000u32).map(|i| (i % 251) as u8).collect();
        client.write_all(&sent).await.expect("write");
        let mut received = Vec::new();
        while received.len() < sent.len() {
            let mut chunk = [0u8; 100];
            let n = server.read(&mut chunk).await.expect("read");
            assert!(n > 0, "the stream ended early");
            received.extend_from_slice(&chunk[..n]);
        }
        assert_eq!(received, sent, "every byte arrives, in order, exactly once");
        assert_eq!(
            server.buffered(),
            (0, false),
            "an idle socket keeps no buffer"
        );
    }

    #[test]
    fn an_emptied_buffer_is_reused_without_allocating() {
        let mut buffer = BytesMut::with_capacity(READ_SIZE);
        buffer.extend_from_slice(&[1; 100]);
        let start = buffer.as_ptr();
        buffer.advance(100);
        give_back(buffer);
        let mut again = take_buffer();
        again.reserve(READ_SIZE);
        assert_eq!(again.as_ptr(), start, "the same allocation, from its start");
        assert!(take_buffer().capacity() == 0, "the spare was taken");
    }

    #[tokio::test]
    async fn a_socket_waiting_for_bytes_holds_no_buffer() {
        let (mut server, mut client) = pair().await;
        let waited =
            tokio::time::timeout(Duration::from_millis(50), server.read(&mut [0u8; 64])).await;
        assert!(waited.is_err(), "nothing was sent");
        assert_eq!(server.buffered(), (0, false), "waiting allocates nothing");
        client.write_all(b"late").await.expect("write");
        let mut four = [0u8; 4];
        server.read_exact(&mut four).await.expect("read");
        assert_eq!(&four, b"late");
        assert_eq!(server.buffered(), (0, false));
    }

    #[tokio::test]
    async fn a_large_read_bypasses_the_buffer_and_the_end_of_stream_reads_as_zero() {
        let (mut server, mut client) = pair().await;
        client.write_all(b"hello").await.expect("write");
        client.shutdown().await.expect("shutdown");
        let mut big = vec![0u8; READ_SIZE];
        let n = server.read(&mut big).await.expect("read");
        assert_eq!(&big[..n], b"hello");
        assert_eq!(server.buffered(), (0, false));
        assert_eq!(server.read(&mut [0u8; 16]).await.expect("read"), 0);
        assert_eq!(server.buffered(), (0, false));
    }
}
