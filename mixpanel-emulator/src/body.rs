//! Reading a request body under a size cap.

use std::pin::Pin;
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody as _};

/// Extra bytes read and thrown away after the cap is hit, so that the client (which is usually
/// still sending) gets to read the 413 answer instead of a connection reset.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;
/// Longest time spent draining an oversized body.
const DRAIN_TIME: Duration = Duration::from_secs(2);

/// Why a body could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// The body is longer than the cap.
    TooLarge,
    /// The connection failed while the body was being read.
    Unreadable,
}

/// Reads the whole body, failing with [`BodyError::TooLarge`] once it exceeds `cap` bytes.
pub(crate) async fn read_capped(mut body: Body, cap: usize) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    while let Some(frame) = next_chunk(&mut body).await {
        let Some(data) = frame.map_err(|()| BodyError::Unreadable)? else {
            continue; // trailers
        };
        if out.len().saturating_add(data.len()) > cap {
            drain(body, DRAIN_LIMIT).await;
            return Err(BodyError::TooLarge);
        }
        out.extend_from_slice(&data);
    }
    Ok(out)
}

/// The next frame of `body`: `Some(Ok(Some(data)))` for data, `Some(Ok(None))` for trailers,
/// `Some(Err(()))` when reading failed and `None` at the end.
async fn next_chunk(body: &mut Body) -> Option<Result<Option<Bytes>, ()>> {
    let frame = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await?;
    Some(frame.map(|frame| frame.into_data().ok()).map_err(|_| ()))
}

/// Discards up to `limit` more bytes of `body`, for at most [`DRAIN_TIME`].
async fn drain(mut body: Body, limit: usize) {
    let discard = async {
        let mut seen = 0usize;
        while let Some(Ok(chunk)) = next_chunk(&mut body).await {
            seen = seen.saturating_add(chunk.map_or(0, |data| data.len()));
            if seen > limit {
                break;
            }
        }
    };
    // Timing out only means the rest is not drained; the answer is the same.
    let _ = tokio::time::timeout(DRAIN_TIME, discard).await;
}
