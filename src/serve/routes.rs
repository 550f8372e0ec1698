//! HTTP handlers: look in the cache, else parse and render on a blocking
//! thread; answer with validators (or 304), compressed as accepted.

use super::cache::{CachedDoc, canonical_key, canonical_query, http_date, not_modified};
use super::encoding::{self, Coding};
use super::params::FeedParams;
use super::render::{FeedRequest, RenderError, render_feed};
use super::{AppState, health, page, ui};
use crate::config::FeedFormat;
use crate::emit::html;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, LAST_MODIFIED,
    RETRY_AFTER, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jiff::Timestamp;
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};

const HTML: &str = "text/html; charset=utf-8";
/// The index page needs no script at all; should anything slip through the
/// sanitizer, the browser still refuses to run it.
const HTML_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; \
                        form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const OPML: &str = "text/x-opml; charset=utf-8";

pub(super) fn router(state: AppState) -> Router {
    let origins = state.snapshot().config.daemon.server.cors_origins.clone();
    let mut readable = Router::new()
        .route("/feed", get(adhoc_rss))
        .route("/feed.rss", get(adhoc_rss))
        .route("/feed.atom", get(adhoc_atom))
        .route("/feed.json", get(adhoc_json))
        .route("/feed.ninjs", get(adhoc_ninjs))
        .route("/feeds/{file}", get(named))
        .route("/opml", get(opml))
        .route("/opml.xml", get(opml));
    if let Some(cors) = cors(&origins) {
        readable = readable.layer(cors);
    }
    Router::new()
        .route("/", get(index))
        .route("/sources", get(sources))
        .merge(readable)
        .route("/healthz", get(healthz))
        .route("/livez", get(livez))
        .fallback(not_found)
        .with_state(state)
}

/// CORS for feeds and OPML, so web readers can fetch them from scripts:
/// simple GETs from the configured origins (`*`: any), with the
/// validators readable. `None` when no origin is configured.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let list: Vec<HeaderValue> = origins
            .iter()
            .filter_map(|o| match HeaderValue::from_str(o) {
                Ok(v) => Some(v),
                Err(_) => {
                    tracing::warn!(origin = %o, "Ignoring a CORS origin that is not a header value.");
                    None
                }
            })
            .collect();
        if list.is_empty() {
            return None;
        }
        AllowOrigin::list(list)
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::HEAD])
            .expose_headers([ETAG, LAST_MODIFIED]),
    )
}

/// 503 with `Retry-After`: the render slots are all taken.
fn overloaded(state: &AppState) -> Response {
    let retry = state
        .snapshot()
        .config
        .daemon
        .server
        .retry_after_secs
        .max(1);
    let mut response = text_error(
        StatusCode::SERVICE_UNAVAILABLE,
        "too many feeds being rendered; retry shortly",
    );
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(retry));
    response
}

/// Liveness: the process answers HTTP. Readiness (is news flowing?) is
/// `/healthz`; an orchestrator restarting on that would restart a daemon
/// that cannot fix a remote wire's outage.
async fn livez() -> Response {
    (
        StatusCode::OK,
        [
            (CONTENT_TYPE, "text/plain; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        "alive\n",
    )
        .into_response()
}

async fn not_found() -> Response {
    text_error(StatusCode::NOT_FOUND, "no such page; see / for the feeds")
}

fn text_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "{} {}: {message}\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        ),
    )
        .into_response()
}

fn render_error(e: &RenderError) -> Response {
    match e {
        RenderError::UnknownFeed(_) | RenderError::FormatNotOffered { .. } => {
            text_error(StatusCode::NOT_FOUND, &e.to_string())
        }
        RenderError::Param(p) => text_error(StatusCode::BAD_REQUEST, &p.to_string()),
        _ => {
            tracing::error!(error = %e, "Cannot render feed.");
            text_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the store failed; see the logs",
            )
        }
    }
}

/// 200 with the document (compressed as the client accepts) and its
/// validators, or 304. A cached document is compressed once per coding.
async fn respond(state: &AppState, headers: &HeaderMap, doc: &Arc<CachedDoc>) -> Response {
    let snapshot = state.snapshot();
    let cache_control = HeaderValue::from_str(&snapshot.config.daemon.server.cache_control)
        .unwrap_or_else(|_| HeaderValue::from_static("public, max-age=300"));
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&doc.etag) {
        h.insert(ETAG, v);
    }
    if let Some(v) = doc
        .last_modified
        .and_then(|t| HeaderValue::from_str(&http_date(t)).ok())
    {
        h.insert(LAST_MODIFIED, v);
    }
    h.insert(CACHE_CONTROL, cache_control);
    // The body depends on Accept-Encoding, a 304 included (RFC 9110 §12.5.5).
    h.insert(VARY, HeaderValue::from_static("accept-encoding"));
    if not_modified(headers, doc) {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    let wanted = doc.coding_for(encoding::negotiate(headers));
    let (coding, body) = match doc.ready(wanted) {
        Some(ready) => ready,
        None => {
            let doc = doc.clone();
            let fallback = doc.body.clone();
            tokio::task::spawn_blocking(move || doc.encode(wanted))
                .await
                .unwrap_or((Coding::Identity, fallback))
        }
    };
    if let Some(name) = coding.header() {
        h.insert(CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    h.insert(CONTENT_TYPE, HeaderValue::from_static(doc.content_type));
    if doc.content_type == HTML {
        h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(HTML_CSP));
    }
    (StatusCode::OK, h, Body::from(body)).into_response()
}

/// The cache key of a request: its path and canonical query.
fn cache_key(uri: &Uri) -> String {
    canonical_key(uri.path(), uri.query())
}

/// The cached document for this request, answered without parsing,
/// querying or rendering anything: only successful renders are cached,
/// so a hit stands for a request that was already checked.
async fn from_cache(state: &AppState, uri: &Uri, headers: &HeaderMap) -> Option<Response> {
    let hit = state.cache().get(&cache_key(uri))?;
    let mut response = respond(state, headers, &hit).await;
    response.extensions_mut().insert(super::server::CacheHit);
    Some(response)
}

/// Cache lookup, else `make` on a blocking thread (it may query the
/// store), cached unless the answer depends on the clock.
/// What renders a document on a blocking thread, given the configuration
/// in force and the store.
trait MakeDoc:
    FnOnce(&super::Snapshot, &crate::store::Store) -> Result<CachedDoc, RenderError> + Send + 'static
{
}

impl<F> MakeDoc for F where
    F: FnOnce(&super::Snapshot, &crate::store::Store) -> Result<CachedDoc, RenderError>
        + Send
        + 'static
{
}

async fn cached(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    cacheable: bool,
    make: impl MakeDoc,
) -> Response {
    if let Some(response) = from_cache(state, uri, headers).await {
        return response;
    }
    let Some(permit) = render_permit(state) else {
        return overloaded(state);
    };
    render_and_respond(state, uri, headers, cacheable, permit, make).await
}

/// A render slot, if one is free; without one the request is shed
/// ([`overloaded`]) rather than queued: a waiting render holds a
/// connection and, by the time it runs, its client may be gone. Cache hits
/// never ask for one.
fn render_permit(state: &AppState) -> Option<tokio::sync::OwnedSemaphorePermit> {
    state.shared.renders.clone().try_acquire_owned().ok()
}

/// Runs `make` on a blocking thread under `permit` (it may query the
/// store), caches the document unless the answer depends on the clock,
/// and answers with it.
async fn render_and_respond(
    state: &AppState,
    uri: &Uri,
    headers: &HeaderMap,
    cacheable: bool,
    permit: tokio::sync::OwnedSemaphorePermit,
    make: impl MakeDoc,
) -> Response {
    let generation = state.generation();
    let snapshot = state.snapshot();
    let store = state.store();
    // Compressed while the permit is held, so the CPU all renders take is
    // bounded by the permits, not by how many clients ask at once.
    let wanted = encoding::negotiate(headers);
    let made = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let doc = {
            let store = store.lock().unwrap_or_else(|e| e.into_inner());
            make(&snapshot, &store)?
        };
        doc.encode(doc.coding_for(wanted));
        Ok::<_, RenderError>(doc)
    })
    .await;
    let doc = match made {
        Ok(Ok(doc)) => Arc::new(doc),
        Ok(Err(e)) => return render_error(&e),
        Err(e) => {
            tracing::error!(error = %e, "Render task failed.");
            return text_error(StatusCode::INTERNAL_SERVER_ERROR, "rendering failed");
        }
    };
    if cacheable {
        // A render that raced with an invalidation must not be kept.
        if state.generation() == generation {
            state.cache().insert(cache_key(uri), doc.clone());
        }
    }
    respond(state, headers, &doc).await
}

async fn feed(
    state: AppState,
    uri: Uri,
    headers: HeaderMap,
    name: Option<String>,
    format: FeedFormat,
) -> Response {
    if let Some(response) = from_cache(&state, &uri, &headers).await {
        return response;
    }
    // Before the parameters are even parsed: under overload, shedding is
    // the cheapest answer.
    let Some(permit) = render_permit(&state) else {
        return overloaded(&state);
    };
    let snapshot = state.snapshot();
    // Checked as sent, so an error names what the client wrote first;
    // rendered from the canonical spelling, which is the cache key, the
    // self link and the feed id whatever the parameters' order.
    let raw = uri.query().unwrap_or("");
    if let Err(e) = FeedParams::parse(raw, &snapshot.config, &snapshot.taxonomy) {
        return text_error(StatusCode::BAD_REQUEST, &e.to_string());
    }
    let query = canonical_query(raw);
    let params = match FeedParams::parse(&query, &snapshot.config, &snapshot.taxonomy) {
        Ok(p) => p,
        Err(e) => return text_error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let self_url = format!(
        "{}{}",
        snapshot.config.daemon.server.public_base_url(),
        canonical_key(uri.path(), Some(&query))
    );
    let cacheable = params.filter_time.is_none();
    render_and_respond(
        &state,
        &uri,
        &headers,
        cacheable,
        permit,
        move |snap, store| {
            let rendered = render_feed(
                &snap.config,
                &snap.taxonomy,
                store,
                FeedRequest {
                    name: name.as_deref(),
                    format,
                    params: &params,
                    self_url: &self_url,
                    now: Timestamp::now(),
                },
            )?;
            Ok(CachedDoc::new(
                rendered.body,
                rendered.format.content_type(),
                rendered.last_modified,
            ))
        },
    )
    .await
}

async fn adhoc_rss(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    feed(state, uri, headers, None, FeedFormat::Rss).await
}

async fn adhoc_atom(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    feed(state, uri, headers, None, FeedFormat::Atom).await
}

async fn adhoc_json(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    feed(state, uri, headers, None, FeedFormat::Json).await
}

async fn adhoc_ninjs(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    feed(state, uri, headers, None, FeedFormat::Ninjs).await
}

async fn named(
    State(state): State<AppState>,
    Path(file): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(name) = file.strip_suffix(".html") {
        return preview(state, name.to_string(), uri, headers).await;
    }
    let Some((name, format)) = file
        .rsplit_once('.')
        .and_then(|(name, ext)| Some((name.to_string(), FeedFormat::parse(ext)?)))
    else {
        return text_error(
            StatusCode::NOT_FOUND,
            "named feeds are served as /feeds/<name>.rss, .atom, .json or .ninjs",
        );
    };
    feed(state, uri, headers, Some(name), format).await
}

async fn index(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let query = uri.query().unwrap_or("").to_string();
    let snapshot = state.snapshot();
    let parsed = FeedParams::parse(&query, &snapshot.config, &snapshot.taxonomy);
    let bad = parsed.is_err();
    let response = cached(&state, &uri, &headers, !bad, move |snap, store| {
        let page = page::index_page(
            &snap.config,
            &snap.taxonomy,
            store,
            Some((&query, parsed)),
            Timestamp::now(),
        )?;
        Ok(CachedDoc::new(
            html::write(&page),
            HTML,
            store.last_change()?,
        ))
    })
    .await;
    if bad {
        // The page explains the problem next to the form; the status says it too.
        let (mut parts, body) = response.into_parts();
        parts.status = StatusCode::BAD_REQUEST;
        return Response::from_parts(parts, body);
    }
    response
}

async fn opml(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let started = state.shared.started;
    cached(&state, &uri, &headers, true, move |snap, _store| {
        Ok(CachedDoc::new(
            page::opml(&snap.config, started),
            OPML,
            Some(started),
        ))
    })
    .await
}

/// The readiness report. It reads the store, which renders hold while
/// they query: when the store is busy the last report is answered (it is
/// at most as old as the last idle moment), so health checks never queue
/// behind a flood of renders.
async fn healthz(State(state): State<AppState>) -> Response {
    let snapshot = state.snapshot();
    let store = state.store();
    let last = state.shared.last_health.clone();
    let report = tokio::task::spawn_blocking(move || {
        let fresh = |store: &crate::store::Store| {
            let report = health::check(&snapshot.config, store);
            *last.lock().unwrap_or_else(|e| e.into_inner()) = Some(report.clone());
            report
        };
        if let Ok(store) = store.try_lock() {
            return fresh(&store);
        }
        if let Some(report) = last.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return report;
        }
        let store = store.lock().unwrap_or_else(|e| e.into_inner());
        fresh(&store)
    })
    .await;
    match report {
        Ok(report) => {
            let status = if report.is_ready() {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            (status, [(CACHE_CONTROL, "no-store")], axum::Json(report)).into_response()
        }
        Err(_) => text_error(StatusCode::INTERNAL_SERVER_ERROR, "health check failed"),
    }
}

/// A named feed's preview page; an unknown name gets a 404 page listing
/// the feeds there are.
async fn preview(state: AppState, name: String, uri: Uri, headers: HeaderMap) -> Response {
    let snapshot = state.snapshot();
    if snapshot.config.feed(&name).is_none() {
        let body = ui::preview::missing_feed_page(&snapshot.config, &name);
        return (
            StatusCode::NOT_FOUND,
            [(CONTENT_TYPE, HTML), (CONTENT_SECURITY_POLICY, HTML_CSP)],
            body,
        )
            .into_response();
    }
    // The page takes no parameters: one cached copy, whatever a shared
    // link appends (`?utm_source=…`).
    if uri.query().is_some() {
        return axum::response::Redirect::permanent(&format!("{name}.html")).into_response();
    }
    cached(&state, &uri, &headers, true, move |snap, store| {
        let body = ui::preview::preview_page(
            &snap.config,
            &snap.taxonomy,
            store,
            &name,
            Timestamp::now(),
        )?;
        Ok(CachedDoc::new(body, HTML, store.last_change()?))
    })
    .await
}

/// The sources page. Not cached, here or by browsers: a failed run
/// changes it without storing a story, which is what empties the cache.
async fn sources(State(state): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let mut response = cached(&state, &uri, &headers, false, move |snap, store| {
        let body = ui::sources::sources_page(&snap.config, store, Timestamp::now());
        Ok(CachedDoc::new(body, HTML, None))
    })
    .await;
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
