//! `/metrics`, the request counters behind it, and the gauges read from
//! the server's state.

use super::AppState;
use crate::metrics;
use axum::extract::Request;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Instant;

/// Adds `GET /metrics` and counts every request by status and route kind.
pub fn with_metrics(router: axum::Router) -> axum::Router {
    router
        .route("/metrics", axum::routing::get(render))
        .layer(axum::middleware::from_fn(count_request))
}

/// OpenMetrics when the scraper asks for it, else Prometheus text 0.0.4.
async fn render(headers: HeaderMap) -> impl IntoResponse {
    let openmetrics = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/openmetrics-text"));
    let (content_type, body) = if openmetrics {
        (
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            metrics::render_openmetrics(),
        )
    } else {
        (
            "text/plain; version=0.0.4; charset=utf-8",
            metrics::render(),
        )
    };
    ([(axum::http::header::CONTENT_TYPE, content_type)], body)
}

/// Sets the gauges that mirror the state: render cache size, stories
/// stored, each source's last successful run. Store figures are skipped
/// while the store is busy (a render or write holds it), keeping the
/// previous values, so a scrape never waits.
pub fn refresh_gauges(state: &AppState) {
    let m = metrics::metrics();
    let stats = state.cache_stats();
    m.cache_entries
        .set(i64::try_from(stats.entries).unwrap_or(i64::MAX));
    m.cache_bytes
        .set(i64::try_from(stats.bytes).unwrap_or(i64::MAX));
    let store = state.store();
    let Ok(store) = store.try_lock() else {
        return;
    };
    if let Ok(count) = store.count() {
        m.stories_stored
            .set(i64::try_from(count).unwrap_or(i64::MAX));
    }
    if let Ok(states) = store.source_states() {
        for source in states {
            // A run that failed leaves the last success where it was.
            if let (Some(last_run), 0) = (source.last_run, source.failures) {
                m.last_success
                    .get_or_create(&vec![("source", source.id.clone())])
                    .set(last_run.as_second());
            }
        }
    }
}

/// How often [`refresh_gauges`] runs while serving.
pub const GAUGE_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

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
