//! The server against hostile and greedy clients, over real sockets on
//! 127.0.0.1: slow heads and idle keep-alives are dropped, over-large
//! heads get 431, renders beyond the limit are shed with 503 while cached
//! feeds are still served, and every reply carries nosniff.

mod serve_support;

use polywire::serve::{self, AppState};
use serve_support::{config, filled_store, get};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A server on an ephemeral port with the given `[server]` tweaks.
async fn start(tweak: impl FnOnce(&mut polywire::config::ServerConfig)) -> (String, AppState) {
    let (mut config, taxonomy) = config();
    tweak(&mut config.daemon.server);
    let (store, _) = filled_store(jiff::Timestamp::now());
    let state = AppState::with_shared_store(config, taxonomy, Arc::new(Mutex::new(store)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let served = state.clone();
    tokio::spawn(async move { serve::serve(listener, served, std::future::pending()).await });
    (addr, state)
}

/// Reads until the server closes the connection (or `limit` passes);
/// returns what was read and how long it took.
async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => panic!("connection still open after {limit:?}"),
        }
    }
    (
        String::from_utf8_lossy(&out).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_client_trickling_its_head_is_dropped_at_the_header_timeout() {
    let (addr, _) = start(|s| s.header_timeout_secs = 1).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET /feed.rss HTTP/1.1\r\n")
        .await
        .unwrap();
    let trickle = async {
        for i in 0..20 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let line = format!("X-Slow-{i}: 1\r\n");
            if stream.write_all(line.as_bytes()).await.is_err() {
                break;
            }
        }
    };
    // Writing keeps going while the server has not closed; it must close
    // well before the 6 s the trickle would take.
    let started = Instant::now();
    trickle.await;
    let (_, _) = read_to_close(&mut stream, Duration::from_secs(3)).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "held for {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let (addr, _) = start(|s| s.header_timeout_secs = 1).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET /livez HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (reply, took) = read_to_close(&mut stream, Duration::from_secs(4)).await;
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(
        took >= Duration::from_millis(500),
        "closed too early: {took:?}"
    );
}

#[tokio::test]
async fn an_over_large_head_is_refused_with_431() {
    let (addr, _) = start(|s| s.max_header_bytes = 8192).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    let big = format!(
        "GET /feed.rss HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    // The server may close before it has read everything we send.
    let _ = stream.write_all(big.as_bytes()).await;
    let (reply, _) = read_to_close(&mut stream, Duration::from_secs(3)).await;
    assert!(reply.starts_with("HTTP/1.1 431"), "{reply}");
}

// The store is held across awaits on purpose: it stands for a slow render.
#[allow(clippy::await_holding_lock)]
#[tokio::test]
async fn renders_beyond_the_limit_are_shed_while_cached_feeds_are_served() {
    let (config, taxonomy) = config();
    let mut config = config;
    config.daemon.server.max_concurrent_renders = 1;
    config.daemon.server.retry_after_secs = 7;
    let (store, _) = filled_store(jiff::Timestamp::now());
    let store = Arc::new(Mutex::new(store));
    let state = AppState::with_shared_store(config, taxonomy, store.clone());
    // Warm one feed into the cache.
    assert_eq!(get(&state, "/feed.rss?lang=en").await.status, 200);
    // Hold the store so the next render waits on it with the only permit.
    let held = store.lock().unwrap();
    let waiting = {
        let state = state.clone();
        tokio::spawn(async move { get(&state, "/feed.rss?lang=zh").await.status })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let shed = get(&state, "/feed.atom?lang=ja").await;
    assert_eq!(shed.status, 503);
    assert_eq!(shed.headers["retry-after"], "7");
    assert_eq!(shed.headers["x-content-type-options"], "nosniff");
    let cached = get(&state, "/feed.rss?lang=en").await;
    assert_eq!(cached.status, 200, "a cached feed does not wait");
    drop(held);
    assert_eq!(waiting.await.unwrap(), 200);
    // The permit came back: renders run again.
    assert_eq!(get(&state, "/feed.atom?lang=ja").await.status, 200);
}

#[tokio::test]
async fn every_reply_says_nosniff_and_feeds_allow_cross_origin_reads() {
    let (state, _) = serve_support::state();
    for uri in [
        "/feed.rss",
        "/nope",
        "/feed.rss?limit=abc",
        "/healthz",
        "/livez",
    ] {
        let reply = get(&state, uri).await;
        assert_eq!(
            reply.headers["x-content-type-options"], "nosniff",
            "{uri}: {}",
            reply.status
        );
    }
    let origin = [("origin", "https://reader.example")];
    let feed = serve_support::call(&state, "GET", "/feed.atom", &origin).await;
    assert_eq!(feed.headers["access-control-allow-origin"], "*");
    let opml = serve_support::call(&state, "GET", "/opml", &origin).await;
    assert_eq!(opml.headers["access-control-allow-origin"], "*");
    let health = serve_support::call(&state, "GET", "/healthz", &origin).await;
    assert!(!health.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn cors_follows_the_configured_origins() {
    let (mut config, taxonomy) = config();
    config.daemon.server.cors_origins = vec!["https://reader.example".into()];
    let (store, _) = filled_store(jiff::Timestamp::now());
    let state = AppState::new(config, taxonomy, store);
    let allowed = serve_support::call(
        &state,
        "GET",
        "/feed.rss",
        &[("origin", "https://reader.example")],
    )
    .await;
    assert_eq!(
        allowed.headers["access-control-allow-origin"],
        "https://reader.example"
    );
    let other = serve_support::call(
        &state,
        "GET",
        "/feed.rss",
        &[("origin", "https://evil.example")],
    )
    .await;
    assert!(!other.headers.contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn livez_answers_while_healthz_reports_readiness() {
    let (state, _) = serve_support::state();
    let live = get(&state, "/livez").await;
    assert_eq!(live.status, 200);
    assert_eq!(live.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn reordered_parameters_are_one_cached_feed_with_one_self_link() {
    let (state, _) = serve_support::state();
    let a = get(&state, "/feed.atom?lang=en&region=cn&limit=50").await;
    let b = get(&state, "/feed.atom?region=cn&lang=en").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body, b.body);
    assert_eq!(state.cached_documents(), 1);
    assert!(
        a.body
            .contains("href=\"http://feeds.polywire.test/feed.atom?lang=en&amp;region=cn\""),
        "{}",
        a.body
    );
    let stats = state.cache_stats();
    assert_eq!((stats.hits, stats.entries), (1, 1));
}

#[tokio::test]
async fn metrics_show_the_cache_and_store_and_speak_openmetrics_when_asked() {
    let (state, _) = serve_support::state();
    assert_eq!(get(&state, "/feed.rss").await.status, 200);
    assert_eq!(get(&state, "/feed.rss").await.status, 200);
    polywire::serve::observe::refresh_gauges(&state);
    let app = polywire::serve::observe::with_metrics(polywire::serve::router(state.clone()));
    let ask = |accept: &'static str| {
        let app = app.clone();
        async move {
            use tower::ServiceExt;
            let request = axum::http::Request::get("/metrics")
                .header("accept", accept)
                .body(axum::body::Body::empty())
                .unwrap();
            let response = app.oneshot(request).await.unwrap();
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_string();
            let body = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .unwrap();
            (content_type, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let (ct, text) = ask("text/plain").await;
    assert!(ct.starts_with("text/plain; version=0.0.4"), "{ct}");
    assert!(!text.contains("# EOF"));
    assert!(text.contains("polywire_render_cache_entries 1"), "{text}");
    assert!(text.contains("polywire_stories_stored "), "{text}");
    assert!(!text.contains("polywire_stories_stored 0\n"), "{text}");
    assert!(text.contains("polywire_render_cache_lookups_total{result=\"hit\"}"));
    assert!(text.contains("polywire_build_info{version="));
    let (ct, open) = ask("application/openmetrics-text; version=1.0.0").await;
    assert!(ct.starts_with("application/openmetrics-text"), "{ct}");
    assert!(open.ends_with("# EOF\n"));
}

// The store is held across awaits on purpose: it stands for a long render.
#[allow(clippy::await_holding_lock)]
#[tokio::test]
async fn healthz_answers_while_the_store_is_busy() {
    let (state, store) = serve_support::state();
    assert_eq!(get(&state, "/healthz").await.status, 200);
    let held = store.lock().unwrap();
    let started = Instant::now();
    let reply = tokio::time::timeout(Duration::from_secs(2), get(&state, "/healthz"))
        .await
        .expect("healthz waited for the store");
    assert_eq!(reply.status, 200);
    assert!(
        reply.body.contains("\"status\":\"ready\""),
        "{}",
        reply.body
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    drop(held);
}
