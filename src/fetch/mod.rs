//! Fetching: polite, bounded HTTP that turns a URL into a [`RawDocument`].
//!
//! One [`Fetcher`] is shared by every task of the daemon. Each call to
//! [`Fetcher::fetch`] walks the redirect chain itself, and every hop goes
//! through the same steps, in this order:
//!
//! 1. the address guard for IP literals ([`guard`]; names are checked after
//!    DNS resolution by the guarded client),
//! 2. robots.txt of the hop's origin ([`robots`]), unless the request opts out,
//! 3. the concurrency gate and per-host pacing ([`pacing`]), which also
//!    applies robots.txt's `Crawl-delay`,
//! 4. one GET under the connect / first-byte / whole-body deadlines and the
//!    body cap ([`client`], [`body`]), retried on transient failures with
//!    backoff or `Retry-After` ([`retry`]),
//! 5. charset detection and decoding to UTF-8 ([`charset`]).
//!
//! Errors carry a short stable [`FetchError::reason`]; a failed fetch costs
//! that one fetch and leaves the fetcher ready for the next.

pub mod body;
pub mod charset;
pub mod client;
pub mod error;
pub mod guard;
pub mod pacing;
pub mod redirect;
pub mod retry;
pub mod robots;

pub use error::{FetchError, TimeoutPhase};

use crate::config::FetchConfig;
use crate::model::RawDocument;
use body::Overflow;
use client::{Bounds, Exchange};
use reqwest::header::{self, HeaderMap, HeaderValue};
use robots::{RobotsCache, RobotsFetch, Verdict};
use std::sync::Arc;
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
// The document is the common case; boxing it would only add an allocation.
#[allow(clippy::large_enum_variant)]
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

/// A shared HTTP client with the daemon's politeness and bounds. Cheap to
/// clone; clones share robots.txt, pacing and connection pools.
#[derive(Debug, Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    guarded: reqwest::Client,
    open: reqwest::Client,
    rule: guard::AddressRule,
    gate: pacing::Gate,
    robots: RobotsCache,
    config: FetchConfig,
}

impl Fetcher {
    /// Builds the clients from `[fetch]`.
    pub fn new(config: &FetchConfig) -> Result<Fetcher, FetchError> {
        Fetcher::with_address_rule(config, guard::is_public)
    }

    /// Like [`Fetcher::new`], with another rule for which addresses count
    /// as public when private ones are not allowed. Tests use it to trust
    /// their own 127.0.0.1 server while checking that redirects to other
    /// private addresses are refused.
    pub fn with_address_rule(
        config: &FetchConfig,
        rule: guard::AddressRule,
    ) -> Result<Fetcher, FetchError> {
        install_crypto_provider();
        let build_error = |source| FetchError::Network {
            url: String::new(),
            source,
        };
        let guarded = client::build(config, Some(rule)).map_err(build_error)?;
        let open = client::build(config, None).map_err(build_error)?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                guarded,
                open,
                rule,
                gate: pacing::Gate::new(config.concurrency, config.per_host_concurrency),
                robots: RobotsCache::new(agent_token(&config.user_agent)),
                config: config.clone(),
            }),
        })
    }

    /// Fetches one URL, following redirects, obeying robots.txt and pacing.
    pub async fn fetch(&self, req: &FetchRequest) -> Result<FetchResponse, FetchError> {
        let first = url::Url::parse(&req.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| FetchError::BadUrl(req.url.clone()))?;
        let inner = &self.inner;
        let allow_private = req.allow_private || inner.config.allow_private_addresses;
        let mut conditional = HeaderMap::new();
        let mut put = |name, value: &Option<String>| {
            if let Some(value) = value.as_deref().and_then(|v| HeaderValue::from_str(v).ok()) {
                conditional.insert(name, value);
            }
        };
        put(header::IF_NONE_MATCH, &req.etag);
        put(header::IF_MODIFIED_SINCE, &req.last_modified);
        let bounds = Bounds {
            first_byte: Duration::from_secs(inner.config.first_byte_timeout_secs),
            total: Duration::from_secs(inner.config.timeout_secs),
            max_body: inner.config.max_body_bytes,
            overflow: Overflow::Fail,
        };
        let mut hops = redirect::Hops::new(first, inner.config.max_redirects);
        loop {
            let url = hops.current().clone();
            let crawl_delay = match req.ignore_robots {
                true => None,
                false => self.robots_verdict(&url, allow_private).await?,
            };
            let exchange = self
                .exchange(
                    &url,
                    &conditional,
                    bounds,
                    allow_private,
                    crawl_delay,
                    false,
                )
                .await?;
            match exchange {
                Exchange::Redirect(location) => {
                    let next = hops.follow(&location)?;
                    tracing::debug!(from = %url, to = %next, "following redirect");
                }
                Exchange::NotModified => return Ok(FetchResponse::NotModified),
                Exchange::Body { headers, bytes, .. } => {
                    let text_header = |name| {
                        headers
                            .get(name)
                            .and_then(|v: &HeaderValue| v.to_str().ok())
                            .map(String::from)
                    };
                    let content_type = text_header(header::CONTENT_TYPE);
                    let (text, encoding) = charset::decode_owned(bytes, content_type.as_deref());
                    return Ok(FetchResponse::Fetched {
                        etag: text_header(header::ETAG),
                        last_modified: text_header(header::LAST_MODIFIED),
                        doc: RawDocument {
                            url,
                            content_type,
                            text,
                            charset: encoding.name(),
                            fetched_at: jiff::Timestamp::now(),
                        },
                    });
                }
            }
        }
    }

    /// robots.txt's say on `url`: its crawl delay, or why we may not go.
    async fn robots_verdict(
        &self,
        url: &url::Url,
        allow_private: bool,
    ) -> Result<Option<Duration>, FetchError> {
        // A refusal by the address guard is the fetch's answer, not a fact
        // about the host's robots.txt, so it is passed out, not cached.
        let refused = std::sync::Mutex::new(None);
        let load = |robots_url| async {
            match self.load_robots(robots_url, allow_private).await {
                Ok(fetched) => fetched,
                Err(err) => {
                    *refused.lock().unwrap_or_else(|e| e.into_inner()) = Some(err);
                    RobotsFetch::Refused
                }
            }
        };
        let verdict = self.inner.robots.verdict(url, load).await;
        match verdict {
            Verdict::Refused => Err(refused
                .into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| FetchError::RobotsUnavailable {
                    url: url.to_string(),
                })),
            Verdict::Allowed { crawl_delay } => Ok(crawl_delay),
            Verdict::Disallowed => Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
            }),
            Verdict::Unavailable => Err(FetchError::RobotsUnavailable {
                url: url.to_string(),
            }),
        }
    }

    /// GETs a robots.txt through the same guard, pacing and deadlines,
    /// following up to five redirects (RFC 9309 §2.3.1.2). Fails only when
    /// the address guard refuses a hop.
    async fn load_robots(
        &self,
        robots_url: url::Url,
        allow_private: bool,
    ) -> Result<RobotsFetch, FetchError> {
        let config = &self.inner.config;
        let bounds = Bounds {
            first_byte: Duration::from_secs(config.first_byte_timeout_secs),
            total: Duration::from_secs(config.timeout_secs),
            max_body: robots::MAX_ROBOTS_BYTES,
            overflow: Overflow::Truncate,
        };
        let mut hops = redirect::Hops::new(robots_url, 5);
        loop {
            let url = hops.current().clone();
            let exchange = self
                .exchange(&url, &HeaderMap::new(), bounds, allow_private, None, true)
                .await;
            let location = match exchange {
                Ok(Exchange::Body { status, bytes, .. }) => {
                    return Ok(RobotsFetch::Answered {
                        status,
                        body: bytes,
                    });
                }
                Ok(Exchange::Redirect(location)) => location,
                // We sent no validators, so a 304 is nonsense: no rules.
                Ok(Exchange::NotModified) => {
                    return Ok(RobotsFetch::Answered {
                        status: 404,
                        body: Vec::new(),
                    });
                }
                // A host we cannot reach at all: the cause (refused, DNS,
                // TLS, connect timeout) is the fetch's answer, not a fact
                // about its robots.txt, and the page would fail the same way.
                Err(err) if err.is_unreachable_host() => return Err(err),
                Err(err) => return Ok(RobotsFetch::Unreachable { why: err.reason() }),
            };
            if let Err(err) = hops.follow(&location) {
                // More than five redirects: RFC 9309 lets us treat the file as
                // unavailable (allow-all); a loop or a bad target likewise.
                tracing::info!(%url, reason = err.reason(), "robots.txt redirects lead nowhere");
                return Ok(RobotsFetch::Answered {
                    status: 404,
                    body: Vec::new(),
                });
            }
        }
    }

    /// One hop: guard, gate, GET, retried on transient failures.
    async fn exchange(
        &self,
        url: &url::Url,
        headers: &HeaderMap,
        bounds: Bounds,
        allow_private: bool,
        crawl_delay: Option<Duration>,
        any_status: bool,
    ) -> Result<Exchange, FetchError> {
        let inner = &self.inner;
        let config = &inner.config;
        let client = match allow_private {
            true => &inner.open,
            false => {
                guard::check_url(url, inner.rule).map_err(|source| FetchError::PrivateAddress {
                    url: url.to_string(),
                    source,
                })?;
                &inner.guarded
            }
        };
        let host = url.authority().to_string();
        let delay =
            Duration::from_millis(config.per_host_delay_ms).max(crawl_delay.unwrap_or_default());
        let max_wait = Duration::from_secs(config.max_retry_after_secs);
        let mut retry = 0;
        loop {
            let result = {
                let _pass = inner.gate.enter(&host, delay).await;
                client::get(client, url, headers.clone(), bounds, any_status).await
            };
            let err = match result {
                Ok(exchange) => return Ok(exchange),
                Err(err) if err.is_transient() && retry < config.retries => err,
                Err(err) => return Err(err),
            };
            let wait = match err.retry_after() {
                Some(wait) if wait > max_wait => {
                    tracing::info!(%url, ?wait, "Retry-After beyond our cap; giving up for now");
                    return Err(err);
                }
                Some(wait) => wait,
                None => retry::backoff(Duration::from_millis(config.retry_base_ms), retry),
            };
            tracing::debug!(%url, reason = err.reason(), ?wait, retry, "retrying");
            tokio::time::sleep(wait).await;
            retry += 1;
        }
    }
}

/// The product token robots.txt groups are matched against: the
/// User-Agent up to its first `/` or space (`polywire/0.1 (+...)` → `polywire`).
fn agent_token(user_agent: &str) -> &str {
    let token = user_agent
        .split(['/', ' '])
        .next()
        .unwrap_or_default()
        .trim();
    if token.is_empty() { "polywire" } else { token }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_token_is_the_product_name() {
        assert_eq!(agent_token("polywire/0.1.0 (+https://x)"), "polywire");
        assert_eq!(agent_token("newsbot"), "newsbot");
        assert_eq!(agent_token(""), "polywire");
    }
}
