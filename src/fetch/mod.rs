//! Fetching: polite, bounded HTTP that turns a URL into a [`RawDocument`].
//!
//! FIRST VERSION (foundation issue): one reqwest client with timeouts,
//! conditional GET headers and a body cap, bodies read as UTF-8. The fetching
//! issue adds robots.txt, per-host pacing, retries, the address guard and
//! charset detection behind the same entry point.

pub mod charset;

use crate::config::FetchConfig;
use crate::model::RawDocument;
use std::time::Duration;

/// Installs the ring crypto provider for rustls. Idempotent; call before
/// building any client (reqwest is built with `rustls-no-provider`).
pub fn install_crypto_provider() {
    // An error only means a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// One request: the URL plus what we remember of it.
#[derive(Debug, Clone, Default)]
pub struct FetchRequest {
    /// Absolute http(s) URL.
    pub url: String,
    /// `ETag` from the last successful fetch.
    pub etag: Option<String>,
    /// `Last-Modified` from the last successful fetch.
    pub last_modified: Option<String>,
    /// This source may reach private addresses.
    pub allow_private: bool,
    /// This source ignores robots.txt (explicit opt-out).
    pub ignore_robots: bool,
}

/// What a fetch gives.
#[derive(Debug, Clone)]
pub enum FetchResponse {
    /// A new body.
    Fetched {
        /// The decoded document.
        doc: RawDocument,
        /// `ETag` to send next time.
        etag: Option<String>,
        /// `Last-Modified` to send next time.
        last_modified: Option<String>,
    },
    /// 304: nothing changed since the validators we sent.
    NotModified,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// The URL is not http(s) or does not parse.
    #[error("bad url `{0}`")]
    BadUrl(String),
    /// The server answered with an error status.
    #[error("HTTP {status} from {url}")]
    Status {
        /// Status code.
        status: u16,
        /// URL requested.
        url: String,
    },
    /// The body exceeded the configured cap.
    #[error("body of {url} exceeds {limit} bytes")]
    TooLarge {
        /// URL requested.
        url: String,
        /// The cap.
        limit: usize,
    },
    /// Connection, TLS, timeout or protocol failure.
    #[error("network error for {url}: {source}")]
    Network {
        /// URL requested.
        url: String,
        /// Underlying error.
        #[source]
        source: reqwest::Error,
    },
}

impl FetchError {
    /// A short stable code for this kind of failure, stored per source and
    /// used as a metrics label.
    pub fn reason(&self) -> String {
        match self {
            FetchError::BadUrl(_) => "bad_url".into(),
            FetchError::Status { status, .. } => format!("http_{status}"),
            FetchError::TooLarge { .. } => "too_large".into(),
            FetchError::Network { .. } => "network".into(),
        }
    }
}

/// A shared HTTP client with the daemon's politeness and bounds.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    config: FetchConfig,
}

impl Fetcher {
    /// Builds the client from `[fetch]`.
    pub fn new(config: &FetchConfig) -> Result<Fetcher, FetchError> {
        install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .timeout(Duration::from_secs(config.timeout_secs))
            .redirect(reqwest::redirect::Policy::limited(config.max_redirects))
            .build()
            .map_err(|source| FetchError::Network {
                url: String::new(),
                source,
            })?;
        Ok(Fetcher {
            client,
            config: config.clone(),
        })
    }

    /// Fetches one URL.
    pub async fn fetch(&self, req: &FetchRequest) -> Result<FetchResponse, FetchError> {
        let url = url::Url::parse(&req.url).map_err(|_| FetchError::BadUrl(req.url.clone()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::BadUrl(req.url.clone()));
        }
        let net = |source| FetchError::Network {
            url: req.url.clone(),
            source,
        };
        let mut builder = self.client.get(url);
        if let Some(etag) = &req.etag {
            builder = builder.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &req.last_modified {
            builder = builder.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
        let resp = builder.send().await.map_err(net)?;
        if resp.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(FetchResponse::NotModified);
        }
        if !resp.status().is_success() {
            return Err(FetchError::Status {
                status: resp.status().as_u16(),
                url: req.url.clone(),
            });
        }
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(String::from)
        };
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let final_url = resp.url().clone();
        let bytes = resp.bytes().await.map_err(net)?;
        if bytes.len() > self.config.max_body_bytes {
            return Err(FetchError::TooLarge {
                url: req.url.clone(),
                limit: self.config.max_body_bytes,
            });
        }
        let (text, encoding) = charset::decode(&bytes, content_type.as_deref());
        Ok(FetchResponse::Fetched {
            doc: RawDocument {
                url: final_url,
                content_type,
                text,
                charset: encoding.name(),
                fetched_at: jiff::Timestamp::now(),
            },
            etag,
            last_modified,
        })
    }
}
