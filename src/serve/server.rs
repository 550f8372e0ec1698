//! The accept loop and the layers every reply passes through.
//!
//! `axum::serve` installs no timer, so hyper's header-read timeout never
//! fires there and a client trickling one header line a second holds its
//! connection (and a file descriptor) for ever. Here each connection is
//! served by hyper's HTTP/1 builder with a Tokio timer:
//!
//! * the header-read clock starts whenever hyper waits for a request head,
//!   so it bounds both a slow head and a keep-alive connection left idle
//!   between requests (one setting, `header_timeout_secs`);
//! * a request head over `max_header_bytes` (or with more than 100 header
//!   fields) is answered 431 by hyper, a request line over 64 KiB 414.
//!
//! [`harden`] adds what is per request: a whole-request timeout (503), an
//! access log (tower-http's trace layer; cache hits at debug level),
//! `X-Content-Type-Options: nosniff` on every reply, errors included.
//! CORS is added to the feed and OPML routes only (see `routes.rs`).

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::header::X_CONTENT_TYPE_OPTIONS;
use axum::http::{HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::Span;

use crate::config::ServerConfig;

/// hyper refuses a read buffer smaller than this.
const MIN_HEADER_BUFFER: usize = 8192;
/// How long a shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// Pause after a failed accept (e.g. out of file descriptors), so the loop
/// does not spin while the condition lasts.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Marks a response answered from the render cache, so the access log
/// writes it at debug level (hits are most requests and say little).
#[derive(Debug, Clone, Copy)]
pub struct CacheHit;

/// Connection limits taken from `[server]`.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Time allowed to send a request head, and to sit idle between
    /// keep-alive requests.
    pub header_timeout: Duration,
    /// Largest request head accepted.
    pub max_header_bytes: usize,
}

impl ConnectionLimits {
    /// The limits a server configuration sets.
    pub fn of(config: &ServerConfig) -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(config.header_timeout_secs.max(1)),
            max_header_bytes: config.max_header_bytes.max(MIN_HEADER_BUFFER),
        }
    }
}

/// Per-request layers over the whole router: timeout, access log, nosniff.
pub fn harden(router: Router, config: &ServerConfig) -> Router {
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(config.request_timeout_secs.max(1)),
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(RequestSpan)
                .on_request(())
                .on_response(AccessLog),
        )
        // Outermost, so timeouts and 404s carry it too.
        .layer(nosniff())
}

/// `X-Content-Type-Options: nosniff` on every response: error replies
/// echo parameter values, and no browser may read them as HTML.
pub fn nosniff() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"))
}

/// The span of one request: method, path and query, client address.
#[derive(Debug, Clone, Copy)]
struct RequestSpan;

impl<B> MakeSpan<B> for RequestSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let client = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.to_string())
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            uri = %request.uri(),
            client = %client,
        )
    }
}

/// One access-log line per response: status and latency; cache hits at
/// debug, everything else at info.
#[derive(Debug, Clone, Copy)]
struct AccessLog;

impl<B> OnResponse<B> for AccessLog {
    fn on_response(self, response: &Response<B>, latency: Duration, _span: &Span) {
        let status = response.status().as_u16();
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        if response.extensions().get::<CacheHit>().is_some() {
            tracing::debug!(status, micros, cached = true, "Served.");
        } else {
            tracing::info!(status, micros, cached = false, "Served.");
        }
    }
}

/// Accepts connections on `listener` and serves `app` on each until
/// `shutdown` resolves; then waits up to [`SHUTDOWN_GRACE`] for requests
/// in flight.
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "Cannot accept a connection.");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Feeds are written whole; Nagle would only delay the last packet.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(client));
            app.clone().oneshot(request)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(limits.max_header_bytes)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Timeouts and resets are the client's doing: not worth a warning.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %client, "Connection ended.");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("Requests still in flight at shutdown were cut.");
    }
    Ok(())
}
