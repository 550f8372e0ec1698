//! Rendered documents kept in memory, and HTTP validators (ETag,
//! Last-Modified) with the conditional-request rules of RFC 9110 §13.
//!
//! The cache is bounded by total bytes and entry count; the oldest entry
//! goes first. It is emptied whenever stories are stored (the state's
//! generation moves on), so a cached feed is never staler than the store.

use super::encoding::{self, Coding, MIN_COMPRESS_BYTES};
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH};
use jiff::Timestamp;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, OnceLock};

/// A document ready to send, with its compressed forms once asked for.
#[derive(Debug, Clone)]
pub struct CachedDoc {
    /// Body bytes.
    pub body: Bytes,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Weak validator over the body (the same for every coding).
    pub etag: String,
    /// When the stories behind it last changed.
    pub last_modified: Option<Timestamp>,
    /// The body gzip-compressed (`None` inside: compression failed).
    gzip: OnceLock<Option<Bytes>>,
    /// The body brotli-compressed.
    brotli: OnceLock<Option<Bytes>>,
}

impl CachedDoc {
    /// Wraps a body, computing its ETag.
    pub fn new(body: String, content_type: &'static str, last_modified: Option<Timestamp>) -> Self {
        let etag = etag_of(body.as_bytes());
        CachedDoc {
            body: Bytes::from(body),
            content_type,
            etag,
            last_modified,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
        }
    }

    /// The coding this document goes out in for a client that prefers
    /// `preferred`: short bodies are not worth compressing.
    pub fn coding_for(&self, preferred: Coding) -> Coding {
        if self.body.len() < MIN_COMPRESS_BYTES {
            Coding::Identity
        } else {
            preferred
        }
    }

    fn slot(&self, coding: Coding) -> Option<&OnceLock<Option<Bytes>>> {
        match coding {
            Coding::Identity => None,
            Coding::Gzip => Some(&self.gzip),
            Coding::Brotli => Some(&self.brotli),
        }
    }

    /// The body in `coding` if it is at hand without compressing (always
    /// for identity), with the coding it is really in.
    pub fn ready(&self, coding: Coding) -> Option<(Coding, Bytes)> {
        match self.slot(coding) {
            None => Some((Coding::Identity, self.body.clone())),
            Some(slot) => slot.get().map(|made| self.or_identity(coding, made)),
        }
    }

    /// The body in `coding`, compressing it the first time (CPU-heavy for a
    /// large feed: call it off the async threads). Falls back to identity
    /// if compression failed.
    pub fn encode(&self, coding: Coding) -> (Coding, Bytes) {
        match self.slot(coding) {
            None => (Coding::Identity, self.body.clone()),
            Some(slot) => {
                let made = slot.get_or_init(|| encoding::compress(&self.body, coding));
                self.or_identity(coding, made)
            }
        }
    }

    fn or_identity(&self, coding: Coding, made: &Option<Bytes>) -> (Coding, Bytes) {
        match made {
            Some(bytes) => (coding, bytes.clone()),
            None => (Coding::Identity, self.body.clone()),
        }
    }

    /// Bytes this document is charged in the cache: its body plus room
    /// for the compressed forms, which together stay well under half of a
    /// feed's size.
    pub fn budget_bytes(&self) -> usize {
        self.body.len() + self.body.len() / 2
    }
}

/// `W/"<hash>"`: weak, because compression changes the bytes on the wire
/// but not the document, so one validator serves every coding.
pub fn etag_of(body: &[u8]) -> String {
    format!(
        "W/\"{:016x}-{:x}\"",
        crate::emit::stable_hash(body),
        body.len()
    )
}

/// Bounded map from request key to rendered document.
#[derive(Debug)]
pub struct RenderCache {
    map: HashMap<String, Arc<CachedDoc>>,
    order: VecDeque<String>,
    bytes: usize,
    max_bytes: usize,
    max_entries: usize,
}

impl RenderCache {
    /// A cache holding at most `max_bytes` of bodies in `max_entries` entries.
    pub fn new(max_bytes: usize, max_entries: usize) -> Self {
        RenderCache {
            map: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            max_bytes,
            max_entries,
        }
    }

    /// The cached document for a key.
    pub fn get(&self, key: &str) -> Option<Arc<CachedDoc>> {
        self.map.get(key).cloned()
    }

    /// Stores a document, evicting the oldest entries to stay in bounds.
    /// Documents larger than the whole budget are not kept.
    pub fn insert(&mut self, key: String, doc: Arc<CachedDoc>) {
        let size = doc.budget_bytes() + key.len();
        if size > self.max_bytes || self.max_entries == 0 {
            return;
        }
        if let Some(old) = self.map.remove(&key) {
            self.bytes -= old.budget_bytes() + key.len();
            self.order.retain(|k| k != &key);
        }
        while self.bytes + size > self.max_bytes || self.map.len() >= self.max_entries {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.map.remove(&oldest) {
                self.bytes -= old.budget_bytes() + oldest.len();
            }
        }
        self.bytes += size;
        self.order.push_back(key.clone());
        self.map.insert(key, doc);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.map.clear();
        self.order.clear();
        self.bytes = 0;
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Bytes held (bodies and keys).
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

/// True when the client's copy is current, so a 304 answers. When
/// `If-None-Match` is present `If-Modified-Since` is ignored (RFC 9110
/// §13.1.3); ETags compare weakly.
pub fn not_modified(headers: &HeaderMap, doc: &CachedDoc) -> bool {
    if let Some(inm) = headers.get(IF_NONE_MATCH) {
        let Ok(inm) = inm.to_str() else {
            return false;
        };
        let ours = doc.etag.trim_start_matches("W/");
        return inm
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours);
    }
    let (Some(ims), Some(last)) = (headers.get(IF_MODIFIED_SINCE), doc.last_modified) else {
        return false;
    };
    let Some(ims) = ims
        .to_str()
        .ok()
        .and_then(|s| httpdate::parse_http_date(s).ok())
    else {
        return false;
    };
    let Ok(ims) = ims.duration_since(std::time::UNIX_EPOCH) else {
        return false;
    };
    last.as_second() <= i64::try_from(ims.as_secs()).unwrap_or(i64::MAX)
}

/// `Last-Modified` value for a time.
pub fn http_date(t: Timestamp) -> String {
    let secs = u64::try_from(t.as_second()).unwrap_or(0);
    httpdate::fmt_http_date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Arc<CachedDoc> {
        Arc::new(CachedDoc::new(body.into(), "text/plain", None))
    }

    #[test]
    fn stays_within_its_byte_budget_evicting_the_oldest() {
        // Each entry is charged 10 bytes of body, 5 for its compressed
        // forms and 1 of key: two fit in 40, three do not.
        let mut cache = RenderCache::new(40, 10);
        cache.insert("a".into(), doc("0123456789"));
        cache.insert("b".into(), doc("0123456789"));
        assert_eq!(cache.len(), 2);
        cache.insert("c".into(), doc("0123456789"));
        assert!(cache.get("a").is_none());
        assert!(cache.get("c").is_some());
        assert!(cache.bytes() <= 40);
        cache.insert("huge".into(), doc(&"x".repeat(100)));
        assert!(cache.get("huge").is_none());
    }

    #[test]
    fn etag_changes_with_the_body() {
        assert_ne!(etag_of(b"a"), etag_of(b"b"));
        assert!(etag_of(b"a").starts_with("W/\""));
    }
}
