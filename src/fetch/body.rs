//! Reading a response body with a size cap enforced while streaming.
//!
//! reqwest decompresses gzip/brotli/deflate as the body streams, so the
//! chunks counted here are decompressed bytes: the same cap stops a
//! compression bomb after `limit` bytes of output, without ever holding
//! more than the cap plus one chunk.

/// What to do when the body is longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Fail with `TooLarge` (documents).
    Fail,
    /// Keep the first `limit` bytes (robots.txt: RFC 9309 asks to parse at
    /// least 500 KiB and ignore the rest).
    Truncate,
}

/// Why reading stopped early.
#[derive(Debug)]
pub enum BodyError {
    /// More than the cap.
    TooLarge,
    /// The connection or the decoder failed.
    Read(reqwest::Error),
}

/// Reads the whole body, at most `limit` bytes.
pub async fn read_capped(
    mut resp: reqwest::Response,
    limit: usize,
    overflow: Overflow,
) -> Result<Vec<u8>, BodyError> {
    // A declared length (only present when not decompressing) over the cap
    // fails before a byte is read.
    let declared = resp.content_length().and_then(|n| usize::try_from(n).ok());
    if overflow == Overflow::Fail && declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(16 * 1024).min(limit));
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Read)? {
        let room = limit - body.len();
        if chunk.len() > room {
            return match overflow {
                Overflow::Fail => Err(BodyError::TooLarge),
                Overflow::Truncate => {
                    body.extend_from_slice(&chunk[..room]);
                    Ok(body)
                }
            };
        }
        // Grow by doubling but never past the cap, so a body near the cap
        // does not briefly hold twice the cap during a reallocation.
        let needed = body.len() + chunk.len();
        if needed > body.capacity() {
            let target = (body.capacity() * 2).max(needed).min(limit);
            body.reserve_exact(target - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
