//! `/metrics` and the request counters behind it.

use crate::metrics;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Adds `GET /metrics` and counts every request by status and route kind.
pub fn with_metrics(router: axum::Router) -> axum::Router {
    router
        .route("/metrics", axum::routing::get(render))
        .layer(axum::middleware::from_fn(count_request))
}

async fn render() -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(),
    )
}

/// Route kinds, not raw paths: label values must stay few.
fn route_kind(path: &str) -> &'static str {
    match path {
        "/healthz" => "health",
        "/metrics" => "metrics",
        "/" => "index",
        "/opml" | "/opml.xml" => "opml",
        p if p.starts_with("/feeds/") => "named_feed",
        p if p.starts_with("/feed") => "adhoc_feed",
        _ => "other",
    }
}

async fn count_request(request: Request, next: Next) -> Response {
    let kind = route_kind(request.uri().path());
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    if kind.ends_with("feed") {
        metrics::count(
            "polywire_feed_requests_total",
            &[("kind", kind), ("status", &status)],
            1,
        );
    }
    metrics::observe(
        "polywire_request_duration_seconds",
        &[("route", kind)],
        started.elapsed(),
    );
    response
}
