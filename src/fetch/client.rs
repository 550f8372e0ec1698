//! The HTTP clients and one request/response exchange under the deadlines.
//!
//! Two reqwest clients are kept: a guarded one whose DNS resolver refuses
//! non-public addresses, and an open one for sources allowed to reach
//! private hosts. Neither follows redirects itself (the fetcher walks every
//! hop through robots, pacing and the guard), and neither uses a proxy from
//! the environment, because a proxy would resolve names where the guard
//! cannot see them.

use super::body::{self, BodyError, Overflow};
use super::error::{FetchError, TimeoutPhase};
use super::guard::{AddressRule, GuardedResolver};
use super::retry;
use crate::config::FetchConfig;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Builds a client with the configured agent and connect timeout; with a
/// rule, names are resolved through the guard.
pub fn build(
    config: &FetchConfig,
    guard: Option<AddressRule>,
) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .user_agent(config.user_agent.clone())
        .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    if let Some(rule) = guard {
        builder = builder.dns_resolver(Arc::new(GuardedResolver { rule }));
    }
    builder.build()
}

/// Deadlines and caps for one exchange.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Until the response headers arrive.
    pub first_byte: Duration,
    /// Until the whole body has arrived, from the start of the request.
    pub total: Duration,
    /// Body bytes accepted, after decompression.
    pub max_body: usize,
    /// What to do past `max_body`.
    pub overflow: Overflow,
}

/// What one request ended with, short of an error.
#[derive(Debug)]
pub enum Exchange {
    /// 301/302/303/307/308 with this `Location` (unresolved).
    Redirect(String),
    /// 304.
    NotModified,
    /// A 2xx body (or, for robots.txt, any status; see [`get`]).
    Body {
        /// Final status.
        status: u16,
        /// Response headers.
        headers: HeaderMap,
        /// The body, decompressed, within the cap.
        bytes: Vec<u8>,
    },
}

/// Sends one GET and reads the answer within `bounds`. Error statuses
/// become `FetchError::Status` unless `any_status` (robots.txt wants the
/// status itself).
pub async fn get(
    client: &reqwest::Client,
    url: &url::Url,
    headers: HeaderMap,
    bounds: Bounds,
    any_status: bool,
) -> Result<Exchange, FetchError> {
    let started = Instant::now();
    let deadline = started + bounds.total;
    let send = client.get(url.clone()).headers(headers).send();
    let resp = match tokio::time::timeout_at(deadline.min(started + bounds.first_byte), send).await
    {
        Err(_) => {
            return Err(FetchError::Timeout {
                url: url.to_string(),
                phase: TimeoutPhase::FirstByte,
            });
        }
        Ok(result) => result.map_err(|e| FetchError::from_reqwest(url.as_str(), e))?,
    };
    let status = resp.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Exchange::NotModified);
    }
    // 300 and 305/306 name no single target to follow; 304 is handled above.
    let target = match status.as_u16() {
        301 | 302 | 303 | 307 | 308 => resp.headers().get(header::LOCATION),
        _ => None,
    };
    if let Some(location) = target {
        let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
        return Ok(Exchange::Redirect(location));
    }
    if !status.is_success() && !any_status {
        return Err(FetchError::Status {
            status: status.as_u16(),
            url: url.to_string(),
            retry_after: retry::retry_after(resp.headers()),
        });
    }
    let headers = resp.headers().clone();
    let read = body::read_capped(resp, bounds.max_body, bounds.overflow);
    match tokio::time::timeout_at(deadline, read).await {
        Err(_) => Err(FetchError::Timeout {
            url: url.to_string(),
            phase: TimeoutPhase::Body,
        }),
        Ok(Err(BodyError::TooLarge)) => Err(FetchError::TooLarge {
            url: url.to_string(),
            limit: bounds.max_body,
        }),
        Ok(Err(BodyError::Read(e))) => Err(FetchError::from_reqwest(url.as_str(), e)),
        Ok(Ok(bytes)) => Ok(Exchange::Body {
            status: status.as_u16(),
            headers,
            bytes,
        }),
    }
}
