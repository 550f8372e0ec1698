//! Rendered documents kept in memory, and HTTP validators (ETag,
//! Last-Modified) with the conditional-request rules of RFC 9110 §13.
//!
//! The cache is keyed by the canonical request ([`canonical_key`]) and
//! bounded by bytes, with scan-resistant eviction ([`RenderCache`]). It is
//! emptied whenever stories are stored (the state's generation moves on),
//! so a cached feed is never staler than the store.

use super::encoding::{self, Coding, MIN_COMPRESS_BYTES};
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::http::header::{IF_MODIFIED_SINCE, IF_NONE_MATCH};
use jiff::Timestamp;
use std::hash::RandomState;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// Bytes each cache shard holds at least, so a large feed fits in one.
const MIN_SHARD_BYTES: usize = 4 * 1024 * 1024;

/// A cached document's weight: its bytes (with room for the compressed
/// forms) and its key's.
#[derive(Debug, Clone, Copy)]
struct DocWeight;

impl quick_cache::Weighter<String, Arc<CachedDoc>> for DocWeight {
    fn weight(&self, key: &String, doc: &Arc<CachedDoc>) -> u64 {
        (doc.budget_bytes() + key.len()) as u64
    }
}

/// Counts evictions, for the metrics.
#[derive(Debug, Clone, Default)]
struct CountEvictions(Arc<AtomicU64>);

impl quick_cache::Lifecycle<String, Arc<CachedDoc>> for CountEvictions {
    type RequestState = ();

    fn on_evict(&self, _state: &mut (), _key: String, _doc: Arc<CachedDoc>) {
        self.0.fetch_add(1, Ordering::Relaxed);
        crate::metrics::count("polywire_render_cache_evictions_total", &[], 1);
    }
}

type Inner =
    quick_cache::sync::Cache<String, Arc<CachedDoc>, DocWeight, RandomState, CountEvictions>;

/// Rendered documents by canonical request ([`canonical_key`]), bounded
/// by bytes. Admission and eviction are quick_cache's CLOCK-PRO: a
/// document is kept hot only once it is asked for again, so a scan of
/// one-off queries cycles through the cold part and does not push out the
/// feeds readers poll (a FIFO, as before, lost them to any scan).
pub struct RenderCache {
    inner: Inner,
    hits: AtomicU64,
    misses: AtomicU64,
    evictions: Arc<AtomicU64>,
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderCache")
            .field("entries", &self.len())
            .field("bytes", &self.bytes())
            .finish_non_exhaustive()
    }
}

/// What the cache has done, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Lookups answered.
    pub hits: u64,
    /// Lookups not answered.
    pub misses: u64,
    /// Documents pushed out to make room.
    pub evictions: u64,
    /// Documents held.
    pub entries: u64,
    /// Bytes held (documents, compressed-form allowance and keys).
    pub bytes: u64,
}

impl RenderCache {
    /// A cache of at most `max_bytes`, sized for about `expected_entries`.
    pub fn new(max_bytes: usize, expected_entries: usize) -> Self {
        let evictions = CountEvictions::default();
        let shards = (max_bytes / MIN_SHARD_BYTES)
            .clamp(1, 4)
            .next_power_of_two();
        let options = quick_cache::OptionsBuilder::new()
            .estimated_items_capacity(expected_entries.max(1))
            .weight_capacity(max_bytes as u64)
            .shards(shards)
            .build()
            .expect("cache options are in range");
        RenderCache {
            evictions: evictions.0.clone(),
            inner: Inner::with_options(options, DocWeight, RandomState::new(), evictions),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The cached document for a key.
    pub fn get(&self, key: &str) -> Option<Arc<CachedDoc>> {
        let found = self.inner.get(key);
        let (counter, result) = if found.is_some() {
            (&self.hits, "hit")
        } else {
            (&self.misses, "miss")
        };
        counter.fetch_add(1, Ordering::Relaxed);
        crate::metrics::count(
            "polywire_render_cache_lookups_total",
            &[("result", result)],
            1,
        );
        found
    }

    /// Stores a document; the cache evicts to stay within its bytes.
    /// Documents larger than a shard are not kept.
    pub fn insert(&self, key: String, doc: Arc<CachedDoc>) {
        self.inner.insert(key, doc);
    }

    /// Forgets everything.
    pub fn clear(&self) {
        self.inner.clear();
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// Bytes held (bodies, compressed-form allowance and keys).
    pub fn bytes(&self) -> usize {
        usize::try_from(self.inner.weight()).unwrap_or(usize::MAX)
    }

    /// Hits, misses, evictions and size so far.
    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            evictions: self.evictions.load(Ordering::Relaxed),
            entries: self.len() as u64,
            bytes: self.bytes() as u64,
        }
    }
}

/// The cache key of a request: its path and [`canonical_query`].
pub fn canonical_key(path: &str, query: Option<&str>) -> String {
    let query = canonical_query(query.unwrap_or(""));
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// A query string in one spelling per meaning: pairs decoded, trimmed and
/// sorted, comma lists of the repeatable filters split, empty values and
/// defaults (`limit=50`, `primary=false`, `sorted=true`,
/// `filter_case_sensitive=true`) dropped, then re-encoded. `?b=2&a=1` and
/// `?a=1&b=2` are one feed, rendered and cached once. Nothing is merged
/// that the parameter check would tell apart: a repeated single-valued
/// parameter stays repeated (and is refused).
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim();
        if value.is_empty() || is_default(&key, value) {
            continue;
        }
        if matches!(&*key, "region" | "industry" | "lang" | "source") {
            pairs.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| (key.to_string(), v.to_string())),
            );
        } else {
            pairs.push((key.into_owned(), value.to_string()));
        }
    }
    pairs.sort();
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

/// True when `key=value` says what leaving it out says.
fn is_default(key: &str, value: &str) -> bool {
    let is_true = matches!(value, "true" | "1" | "yes");
    let is_false = matches!(value, "false" | "0" | "no");
    match key {
        "limit" => value.parse::<usize>() == Ok(super::params::DEFAULT_LIMIT),
        "primary" => is_false,
        "sorted" | "filter_case_sensitive" => is_true,
        _ => false,
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
    fn stays_within_its_byte_budget() {
        let cache = RenderCache::new(40_000, 10);
        for i in 0..100 {
            cache.insert(format!("k{i}"), doc(&"x".repeat(1000)));
        }
        assert!(cache.bytes() <= 40_000, "{}", cache.bytes());
        assert!(cache.len() < 100);
        assert!(cache.stats().evictions > 0);
    }

    #[test]
    fn a_scan_of_one_off_queries_keeps_the_popular_feeds() {
        let cache = RenderCache::new(100_000, 60);
        let body = "x".repeat(1000);
        // Ten feeds readers poll, each asked for a few times.
        for round in 0..3 {
            for i in 0..10 {
                let key = format!("/feeds/popular-{i}.rss");
                if round == 0 {
                    cache.insert(key, doc(&body));
                } else {
                    assert!(cache.get(&key).is_some());
                }
            }
        }
        // A crawler walks 1,000 distinct queries, each once.
        for i in 0..1000 {
            let key = format!("/feed.atom?since=2026-01-01T00:00:{i:04}Z");
            if cache.get(&key).is_none() {
                cache.insert(key, doc(&body));
            }
        }
        let kept = (0..10)
            .filter(|i| cache.get(&format!("/feeds/popular-{i}.rss")).is_some())
            .count();
        assert!(
            kept >= 9,
            "only {kept} of 10 popular feeds survived the scan"
        );
        let stats = cache.stats();
        assert!(stats.hits >= 20 && stats.misses >= 1000 && stats.evictions > 0);
    }

    #[test]
    fn one_key_per_meaning() {
        let key = |q: &str| canonical_key("/feed.rss", Some(q));
        assert_eq!(key("lang=en&region=cn"), key("region=cn&lang=en"));
        assert_eq!(key("region=cn,jp"), key("region=jp&region=cn"));
        assert_eq!(key("limit=50&primary=false&q="), key(""));
        assert_eq!(key(""), "/feed.rss");
        assert_ne!(key("limit=20"), key(""));
        assert_ne!(key("lang=en"), key("lang=zh"));
        // A repeated single-valued parameter stays, to be refused.
        assert_eq!(key("limit=5&limit=5"), "/feed.rss?limit=5&limit=5");
    }

    #[test]
    fn etag_changes_with_the_body() {
        assert_ne!(etag_of(b"a"), etag_of(b"b"));
        assert!(etag_of(b"a").starts_with("W/\""));
    }
}
