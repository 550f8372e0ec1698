//! Content codings: which one a request accepts (RFC 9110 §12.5.3) and
//! the compressed bytes of a document.
//!
//! Documents are compressed once per coding and kept beside the rendered
//! bytes in the render cache, so a cached feed costs a lookup, not a
//! compression of a megabyte of XML per request.

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_ENCODING;
use std::io::Write;

/// Bodies shorter than this go out as they are: compressing them saves
/// less than the header costs.
pub const MIN_COMPRESS_BYTES: usize = 256;

/// Brotli quality: 4, as NGINX and tower-http compress on the fly. On a
/// 145 KB Atom feed it gives 46 KB in ~5.6 ms of CPU here; 5 gives 44 KB
/// but takes half as long again, which an uncached request pays in full
/// (gzip at its default level 6: 50 KB in ~6.7 ms).
const BROTLI_QUALITY: i32 = 4;
/// Brotli window (log2 bytes).
const BROTLI_WINDOW: i32 = 22;

/// A content coding polywire sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    /// As rendered.
    Identity,
    /// `gzip`.
    Gzip,
    /// `br`.
    Brotli,
}

impl Coding {
    /// The `Content-Encoding` value; `None` for identity.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }
}

/// The coding to answer with: of `br` and `gzip`, the one the client
/// weighs highest (`br` on a tie), identity when it accepts neither.
/// A coding listed with `q=0` is refused; `*` stands for codings not
/// listed. Without the header, identity (RFC 9110 §12.5.3).
pub fn negotiate(headers: &HeaderMap) -> Coding {
    let mut br: Option<f32> = None;
    let mut gzip: Option<f32> = None;
    let mut any: Option<f32> = None;
    for value in headers.get_all(ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else {
            continue;
        };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").or(p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match name.as_str() {
                "br" => br = Some(q),
                "gzip" | "x-gzip" => gzip = Some(q),
                "*" => any = Some(q),
                _ => {}
            }
        }
    }
    let br = br.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    if br > 0.0 && br >= gzip {
        Coding::Brotli
    } else if gzip > 0.0 {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// `body` in `coding`. Compression into memory cannot fail; should it
/// anyway, the caller falls back to identity.
pub fn compress(body: &[u8], coding: Coding) -> Option<Bytes> {
    match coding {
        Coding::Identity => Some(Bytes::copy_from_slice(body)),
        Coding::Gzip => {
            let mut out = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 4),
                flate2::Compression::default(),
            );
            out.write_all(body).ok()?;
            out.finish().ok().map(Bytes::from)
        }
        Coding::Brotli => {
            let mut out = Vec::with_capacity(body.len() / 4);
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY,
                lgwin: BROTLI_WINDOW,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &body[..], &mut out, &params).ok()?;
            Some(Bytes::from(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use std::io::Read;

    fn accepting(value: &str) -> Coding {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        negotiate(&headers)
    }

    #[test]
    fn picks_the_best_accepted_coding() {
        assert_eq!(negotiate(&HeaderMap::new()), Coding::Identity);
        assert_eq!(accepting("gzip, deflate, br"), Coding::Brotli);
        assert_eq!(accepting("gzip"), Coding::Gzip);
        assert_eq!(accepting("br;q=0.5, gzip;q=0.8"), Coding::Gzip);
        assert_eq!(accepting("br;q=0, gzip"), Coding::Gzip);
        assert_eq!(accepting("gzip;q=0, br;q=0"), Coding::Identity);
        assert_eq!(accepting("*"), Coding::Brotli);
        assert_eq!(accepting("*;q=0.1, br;q=0"), Coding::Gzip);
        assert_eq!(accepting("identity"), Coding::Identity);
        assert_eq!(accepting("deflate"), Coding::Identity);
        assert_eq!(accepting("GZIP; Q=0.9"), Coding::Gzip);
    }

    #[test]
    fn compressed_bytes_decode_to_the_document() {
        let body = "<rss><channel>長三角生物醫藥產業</channel></rss>\n".repeat(200);
        let gz = compress(body.as_bytes(), Coding::Gzip).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, body);
        let br = compress(body.as_bytes(), Coding::Brotli).unwrap();
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut out).unwrap();
        assert_eq!(out, body.as_bytes());
        assert!(br.len() < body.len() / 10 && gz.len() < body.len() / 10);
    }
}
