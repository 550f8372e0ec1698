//! `config/polywire.toml`: the daemon's own settings.

use serde::Deserialize;
use std::path::PathBuf;

/// Settings of the daemon as a whole. Every section and key is optional; a
/// missing one takes the default documented on its field.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DaemonConfig {
    /// The HTTP server that publishes feeds.
    pub server: ServerConfig,
    /// The SQLite database.
    pub store: StoreConfig,
    /// How wires are fetched.
    pub fetch: FetchConfig,
    /// Where the other configuration files live.
    pub paths: PathsConfig,
    /// Bounds on what one run may take in.
    pub limits: LimitsConfig,
    /// How long stories are kept.
    pub retention: RetentionConfig,
    /// Logging.
    pub log: LogConfig,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address the HTTP server listens on. Default `127.0.0.1:8080`.
    pub listen: String,
    /// Public base URL of this server, used for self links in feeds.
    /// Default: `http://` + `listen`.
    pub base_url: Option<String>,
    /// `Cache-Control` header sent with feeds. Default `public, max-age=300`.
    pub cache_control: String,
    /// A WebSub hub to announce in feeds and to notify when they change.
    pub websub_hub: Option<String>,
    /// Seconds a client has to send a whole request head; the same clock
    /// closes a keep-alive connection idle that long between requests.
    /// Default 10.
    pub header_timeout_secs: u64,
    /// Seconds one request may take from head to response. Default 30.
    pub request_timeout_secs: u64,
    /// Bytes of request head (request line and headers) accepted; more is
    /// refused with 431. Default 16 KiB.
    pub max_header_bytes: usize,
    /// Feed and page renders running at once; beyond, uncached requests
    /// get 503 with `Retry-After`. Cached and 304 answers never count.
    /// Rendering and compressing are CPU-bound, so the default leaves a
    /// core for cached feeds and health checks: cores − 1, at least 1.
    pub max_concurrent_renders: usize,
    /// Seconds sent in `Retry-After` when a request is shed. Default 5.
    pub retry_after_secs: u64,
    /// Bytes of rendered documents kept in memory. Default 64 MiB.
    pub cache_max_bytes: usize,
    /// Origins allowed to read feeds and OPML from scripts (CORS).
    /// Default `["*"]`; empty sends no CORS headers.
    pub cors_origins: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            base_url: None,
            cache_control: "public, max-age=300".into(),
            websub_hub: None,
            header_timeout_secs: 10,
            request_timeout_secs: 30,
            max_header_bytes: 16 * 1024,
            max_concurrent_renders: std::thread::available_parallelism()
                .map_or(1, |n| n.get().saturating_sub(1))
                .max(1),
            retry_after_secs: 5,
            cache_max_bytes: 64 * 1024 * 1024,
            cors_origins: vec!["*".into()],
        }
    }
}

impl ServerConfig {
    /// The base URL used in self links, without a trailing slash.
    pub fn public_base_url(&self) -> String {
        match &self.base_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }
}

/// `[store]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    /// Database file. A relative path is taken from the folder of
    /// `polywire.toml`, as `[paths]` are. Default `data/polywire.db`.
    pub path: PathBuf,
    /// A PostgreSQL URL (`postgres://user@host:port/db`); when set, it is
    /// the store and `path` is not used. `POLYWIRE_DATABASE_URL` overrides
    /// it. See docs/storage.md.
    pub url: Option<String>,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            path: PathBuf::from("data/polywire.db"),
            url: None,
        }
    }
}

/// `[fetch]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// User-Agent sent with every request; it names polywire, its version and
    /// a contact URL so wire operators can reach us.
    pub user_agent: String,
    /// Requests in flight at once, over all hosts. Default 8.
    pub concurrency: usize,
    /// Whole-request timeout in seconds. Default 30.
    pub timeout_secs: u64,
    /// Connect timeout in seconds. Default 10.
    pub connect_timeout_secs: u64,
    /// Time allowed until the response headers arrive, in seconds. Default 15.
    pub first_byte_timeout_secs: u64,
    /// Allow URLs that resolve to loopback, private or link-local addresses.
    /// Default `false`; tests and intranet wires set it `true`.
    pub allow_private_addresses: bool,
    /// Minimum delay between two requests to one host, in milliseconds.
    /// Default 1000; 0 turns pacing off (benchmarks).
    pub per_host_delay_ms: u64,
    /// Requests in flight at once to one host. Default 2.
    pub per_host_concurrency: usize,
    /// Largest body accepted, after decompression, in bytes. Default 5 MiB.
    pub max_body_bytes: usize,
    /// Redirects followed at most. Default 5.
    pub max_redirects: usize,
    /// Retries after a 5xx, a reset or a timeout. Default 2.
    pub retries: u32,
    /// First retry delay in milliseconds, doubled each time, with jitter. Default 500.
    pub retry_base_ms: u64,
    /// Longest wait honoured from `Retry-After`, in seconds. Default 300.
    pub max_retry_after_secs: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            user_agent: default_user_agent(),
            concurrency: 8,
            timeout_secs: 30,
            connect_timeout_secs: 10,
            first_byte_timeout_secs: 15,
            allow_private_addresses: false,
            per_host_delay_ms: 1000,
            per_host_concurrency: 2,
            max_body_bytes: 5 * 1024 * 1024,
            max_redirects: 5,
            retries: 2,
            retry_base_ms: 500,
            max_retry_after_secs: 300,
        }
    }
}

/// `polywire/<version> (+https://github.com/polywire/polywire)`.
pub fn default_user_agent() -> String {
    format!(
        "polywire/{} (+https://github.com/polywire/polywire)",
        env!("CARGO_PKG_VERSION")
    )
}

/// `[paths]`: folders of the other configuration files, relative to the
/// directory of `polywire.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PathsConfig {
    /// One wire per file. Default `sources/`.
    pub sources: PathBuf,
    /// `regions.toml` and `industries.toml`. Default `taxonomy/`.
    pub taxonomy: PathBuf,
    /// One published feed per file. Default `../feeds/`.
    pub feeds: PathBuf,
}

impl Default for PathsConfig {
    fn default() -> Self {
        Self {
            sources: PathBuf::from("sources"),
            taxonomy: PathBuf::from("taxonomy"),
            feeds: PathBuf::from("../feeds"),
        }
    }
}

/// `[limits]`: bounds that keep one hostile wire from flooding the store.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Entries read from one index document at most. Default 1000.
    pub max_items_per_index: usize,
    /// Stories stored per source per run at most. Default 200.
    pub max_stories_per_run: usize,
    /// Seconds a stopping daemon waits for in-flight stories. Default 20.
    pub shutdown_grace_secs: u64,
    /// Longest backoff after repeated failures of a source, in seconds. Default 6 hours.
    pub max_backoff_secs: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_items_per_index: 1000,
            max_stories_per_run: 200,
            shutdown_grace_secs: 20,
            max_backoff_secs: 6 * 3600,
        }
    }
}

/// `[retention]`: stories older or more numerous than this are removed.
/// The default of every source; a source file's own `[retention]` overrides
/// it key by key (see [`crate::config::Config::retention_for`]).
#[derive(Debug, Clone, Copy, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionConfig {
    /// Keep stories at most this many days (by publication time), 1 to
    /// 36500. Unset: forever.
    #[serde(deserialize_with = "age_days")]
    pub max_age_days: Option<u64>,
    /// Keep at most this many stories per source, newest first; at least 1.
    /// Unset: all.
    #[serde(deserialize_with = "story_count")]
    pub max_per_source: Option<u64>,
}

impl RetentionConfig {
    /// True when neither bound is set: nothing is ever removed.
    pub fn keeps_everything(&self) -> bool {
        self.max_age_days.is_none() && self.max_per_source.is_none()
    }
}

/// Longest retention accepted, in days (a century): larger values are
/// typos, and would overflow the cutoff arithmetic.
pub const MAX_RETENTION_DAYS: u64 = 36_500;

/// A retention age in days, refused (with the value's line) outside
/// 1..=[`MAX_RETENTION_DAYS`]: 0 would remove every story.
pub(crate) fn age_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let days = u64::deserialize(d)?;
    if (1..=MAX_RETENTION_DAYS).contains(&days) {
        Ok(Some(days))
    } else {
        Err(serde::de::Error::custom(format!(
            "a retention age must be 1 to {MAX_RETENTION_DAYS} days, not {days} (leave the key out to keep stories forever)"
        )))
    }
}

/// A retention count, refused (with the value's line) when 0: that would
/// remove every story.
pub(crate) fn story_count<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match u64::deserialize(d)? {
        0 => Err(serde::de::Error::custom(
            "a retention count must be at least 1 (leave the key out to keep every story)",
        )),
        n => Ok(Some(n)),
    }
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// `text` (default) or `json`.
    pub format: LogFormat,
    /// A tracing filter such as `info` or `polywire=debug`. Default `info`;
    /// `RUST_LOG` wins when set.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}
