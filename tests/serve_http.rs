//! HTTP behaviour: validators and 304s, HEAD, compression, headers, the
//! render cache and its invalidation, reload, health, the index page,
//! the static export and WebSub notifications (to a fake local hub).

mod serve_support;

use axum::http::StatusCode;
use jiff::Timestamp;
use polywire::model::{Article, Classification, Tag};
use polywire::serve::AppState;
use polywire::store::SourceState;
use serve_support::*;
use std::io::Read;

/// The status of a GET with these headers.
async fn status(state: &AppState, uri: &str, headers: &[(&str, &str)]) -> StatusCode {
    call(state, "GET", uri, headers).await.status
}

#[tokio::test]
async fn etag_and_if_none_match_give_304() {
    let (state, _) = state();
    let first = get(&state, "/feeds/yrd-biomedicine.rss").await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = call(
        &state,
        "GET",
        "/feeds/yrd-biomedicine.rss",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers["etag"], etag.as_str());
    assert_eq!(again.headers["cache-control"], "public, max-age=120");
    // A list holding the tag, the strong form, and `*` all match.
    let list = format!("\"nope\", {}", etag.trim_start_matches("W/"));
    assert_eq!(
        status(
            &state,
            "/feeds/yrd-biomedicine.rss",
            &[("if-none-match", &list)]
        )
        .await,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        status(
            &state,
            "/feeds/yrd-biomedicine.rss",
            &[("if-none-match", "*")]
        )
        .await,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        status(
            &state,
            "/feeds/yrd-biomedicine.rss",
            &[("if-none-match", "W/\"other\"")]
        )
        .await,
        StatusCode::OK
    );
    // Another format is another document.
    let atom = get(&state, "/feeds/yrd-biomedicine.atom").await;
    assert_ne!(atom.headers["etag"], etag.as_str());
}

#[tokio::test]
async fn if_modified_since_gives_304_unless_stories_changed_since() {
    let (state, _) = state();
    let first = get(&state, "/feed.atom").await;
    let last_modified = first.headers["last-modified"].to_str().unwrap().to_string();
    assert_eq!(
        status(
            &state,
            "/feed.atom",
            &[("if-modified-since", &last_modified)]
        )
        .await,
        StatusCode::NOT_MODIFIED
    );
    assert_eq!(
        status(
            &state,
            "/feed.atom",
            &[("if-modified-since", "Thu, 01 Jan 2026 00:00:00 GMT")]
        )
        .await,
        StatusCode::OK
    );
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3).
    assert_eq!(
        status(
            &state,
            "/feed.atom",
            &[
                ("if-modified-since", &last_modified),
                ("if-none-match", "W/\"stale\""),
            ]
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        status(&state, "/feed.atom", &[("if-modified-since", "garbage")]).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn head_has_headers_and_no_body() {
    let (state, _) = state();
    let head = call(&state, "HEAD", "/feeds/china-esg.json", &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
    assert_eq!(
        head.headers["content-type"],
        "application/feed+json; charset=utf-8"
    );
    let get_reply = get(&state, "/feeds/china-esg.json").await;
    assert_eq!(head.headers["etag"], get_reply.headers["etag"]);
    assert_eq!(get_reply.headers["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn gzip_and_brotli_by_accept_encoding() {
    let (state, _) = state();
    let plain = get(&state, "/feed.rss").await;
    let gz = call(&state, "GET", "/feed.rss", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers["content-encoding"], "gzip");
    assert!(
        gz.headers["vary"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-encoding")
    );
    let br = call(&state, "GET", "/feed.rss", &[("accept-encoding", "br")]).await;
    assert_eq!(br.headers["content-encoding"], "br");
    assert!(plain.headers.get("content-encoding").is_none());

    // Decompress the gzip body for real (raw bytes, not the lossy string).
    let resp = {
        use tower::ServiceExt;
        let req = axum::http::Request::builder()
            .uri("/feed.rss")
            .header("accept-encoding", "gzip")
            .body(axum::body::Body::empty())
            .unwrap();
        polywire::serve::router(state.clone())
            .oneshot(req)
            .await
            .unwrap()
    };
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26)
        .await
        .unwrap();
    assert!(bytes.len() < plain.body.len());
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, plain.body);
}

/// Status, headers and raw body bytes of a GET with `accept-encoding`.
async fn get_encoded(
    state: &AppState,
    uri: &str,
    accept: &str,
) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
    use tower::ServiceExt;
    let req = axum::http::Request::builder()
        .uri(uri)
        .header("accept-encoding", accept)
        .body(axum::body::Body::empty())
        .unwrap();
    let resp = polywire::serve::router(state.clone())
        .oneshot(req)
        .await
        .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 26)
        .await
        .unwrap();
    (status, headers, bytes)
}

#[tokio::test]
async fn a_cached_feed_is_answered_in_every_coding_without_the_store() {
    let (state, store) = state();
    let uri = "/feeds/yrd-biomedicine.rss";
    let plain = get(&state, uri).await;
    assert_eq!(plain.status, StatusCode::OK);
    // Another thread holds the store from here on: a request that needs
    // it waits, one answered from the cache does not.
    let (locked_tx, locked) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = {
        let store = store.clone();
        std::thread::spawn(move || {
            let _guard = store.lock().unwrap();
            locked_tx.send(()).unwrap();
            let _ = released.recv();
        })
    };
    locked.recv().unwrap();
    let patience = std::time::Duration::from_secs(20);
    for round in 0..2 {
        let (status, headers, br) =
            tokio::time::timeout(patience, get_encoded(&state, uri, "gzip, br"))
                .await
                .expect("a cache hit must not wait for the store");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-encoding"], "br", "round {round}");
        assert_eq!(headers["vary"], "accept-encoding");
        assert_eq!(headers["etag"], plain.headers["etag"]);
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), plain.body);

        let (_, headers, gz) = tokio::time::timeout(patience, get_encoded(&state, uri, "gzip"))
            .await
            .expect("a cache hit must not wait for the store");
        assert_eq!(headers["content-encoding"], "gzip");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, plain.body);
    }
    // Conditional requests are answered from the cache too, with Vary.
    let etag = plain.headers["etag"].to_str().unwrap();
    let not_modified = tokio::time::timeout(
        patience,
        call(
            &state,
            "GET",
            uri,
            &[("if-none-match", etag), ("accept-encoding", "br")],
        ),
    )
    .await
    .expect("a cache hit must not wait for the store");
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(not_modified.headers["vary"], "accept-encoding");
    assert!(not_modified.headers.get("content-encoding").is_none());
    // The lock is real: a feed not rendered yet has to wait for it.
    let miss = tokio::time::timeout(
        std::time::Duration::from_millis(300),
        get(&state, "/feeds/yrd-biomedicine.json"),
    )
    .await;
    assert!(miss.is_err(), "rendering a new feed needs the store");
    release.send(()).unwrap();
    holder.join().unwrap();
}

fn new_story() -> (Article, Classification) {
    (
        Article {
            url: "https://www.chinanews.example/cj/2026/11-29/20001.shtml".into(),
            source: "chinanews".into(),
            title: "苏州生物医药产业园新增创新药项目".into(),
            lang: "zh".into(),
            published: Some(Timestamp::now()),
            body: vec!["苏州工业园区新增一批创新药项目。".into()],
            summary: "苏州工业园区新增一批创新药项目。".into(),
            ..Article::default()
        },
        Classification {
            regions: vec![Tag {
                id: "cn-yrd".into(),
                score: 0.8,
                primary: true,
                evidence: vec![],
            }],
            industries: vec![Tag {
                id: "biomedicine".into(),
                score: 0.9,
                primary: true,
                evidence: vec![],
            }],
            dateline_region: None,
        },
    )
}

#[tokio::test]
async fn cached_until_invalidated_after_stories_are_stored() {
    let (state, store) = state();
    let before = get(&state, "/feeds/yrd-biomedicine.json").await;
    assert_eq!(state.cached_documents(), 1);
    let (article, tags) = new_story();
    store.lock().unwrap().upsert(&article, &tags, None).unwrap();
    // Still the cached rendering: the pipeline has not said so yet.
    let cached = get(&state, "/feeds/yrd-biomedicine.json").await;
    assert_eq!(cached.body, before.body);
    state.invalidate();
    assert_eq!(state.cached_documents(), 0);
    let after = get(&state, "/feeds/yrd-biomedicine.json").await;
    assert_ne!(after.headers["etag"], before.headers["etag"]);
    assert_eq!(
        json_titles(&after.body)[0],
        "苏州生物医药产业园新增创新药项目"
    );
    assert_eq!(
        status(
            &state,
            "/feeds/yrd-biomedicine.json",
            &[("if-none-match", before.headers["etag"].to_str().unwrap())]
        )
        .await,
        StatusCode::OK,
        "old validators no longer match"
    );
}

#[tokio::test]
async fn reload_swaps_config_and_taxonomy() {
    let (state, _) = state();
    assert_eq!(
        get(&state, "/feeds/china-esg.rss").await.status,
        StatusCode::OK
    );
    let (mut config, taxonomy) = config();
    config.feeds.retain(|f| f.name != "china-esg");
    config.daemon.server.cache_control = "no-cache".into();
    state.reload(config, taxonomy);
    assert_eq!(
        get(&state, "/feeds/china-esg.rss").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/feed.rss").await.headers["cache-control"],
        "no-cache"
    );
}

fn run(id: &str, failures: u32) -> SourceState {
    SourceState {
        id: id.into(),
        last_run: Some(Timestamp::now()),
        last_status: Some(if failures == 0 { "ok" } else { "http_503" }.into()),
        last_error: (failures > 0).then(|| format!("https://{id}.example/rss.xml: HTTP 503")),
        stories_new: 0,
        stories_updated: 0,
        failures,
        next_run: Some(Timestamp::now()),
    }
}

#[tokio::test]
async fn healthz_is_ready_until_every_source_that_ran_is_in_trouble() {
    let (state, store) = state();
    let r = get(&state, "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["status"], "ready");
    assert_eq!(v["stories"], 10);
    assert_eq!(
        v["sources"].as_array().unwrap().len(),
        4,
        "every configured source is listed"
    );
    assert_eq!(v["sources"][0]["last_run"], serde_json::Value::Null);

    store.lock().unwrap().record_run(&run("cna", 3)).unwrap();
    store.lock().unwrap().record_run(&run("nikkei", 0)).unwrap();
    let r = get(&state, "/healthz").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "one wire in trouble does not fail the daemon"
    );
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let cna = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "cna")
        .unwrap()
        .clone();
    assert_eq!(cna["failures"], 3);
    assert_eq!(cna["in_trouble"], true);
    assert_eq!(cna["last_status"], "http_503");
    assert_eq!(cna["last_error"], "https://cna.example/rss.xml: HTTP 503");

    store.lock().unwrap().record_run(&run("nikkei", 4)).unwrap();
    let r = get(&state, "/healthz").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["status"], "degraded");
}

#[tokio::test]
async fn index_page_lists_feeds_stories_and_builds_feed_urls() {
    let (state, _) = state();
    let page = get(&state, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    for name in [
        "yrd-biomedicine",
        "gba-technology",
        "china-esg",
        "japan-economy",
        "ai",
    ] {
        for ext in ["rss", "atom", "json"] {
            assert!(
                page.body.contains(&format!("href=\"feeds/{name}.{ext}\"")),
                "{name}.{ext}"
            );
        }
    }
    assert!(page.body.contains("<form id=\"filter\" method=\"get\""));
    assert!(
        page.body
            .contains("Shenzhen robotics makers expand AI chip partnerships")
    );
    assert!(
        page.body
            .contains("<span title=\"cn-gba\">Greater Bay Area</span>")
    );
    assert!(
        page.body.contains("type=\"application/rss+xml\""),
        "autodiscovery links"
    );

    let built = get(
        &state,
        "/?region=cn-yrd&industry=biomedicine&lang=&source=&script=&q=",
    )
    .await;
    assert_eq!(built.status, StatusCode::OK);
    assert!(
        built
            .body
            .contains("href=\"feed.rss?region=cn-yrd&#38;industry=biomedicine\""),
        "{}",
        built.body
    );
    assert!(
        built
            .body
            .contains("href=\"feed.atom?region=cn-yrd&#38;industry=biomedicine\"")
    );
    assert!(built.body.contains("<option value=\"cn-yrd\" selected>"));
    assert!(built.body.contains("杭州生醫新創獲融資"));
    assert!(
        !built.body.contains("Hong Kong FinTech Week"),
        "stories are filtered too"
    );

    let bad = get(&state, "/?region=atlantis").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("unknown region `atlantis`"));
}

#[tokio::test]
async fn export_writes_every_named_feed_opml_and_index() {
    let (state, _) = state();
    let (config, _) = config();
    let dir = tempfile::tempdir().unwrap();
    let files = state.export(dir.path()).unwrap();
    let expected_feeds: usize = config.feeds.iter().map(|f| f.formats.len()).sum();
    assert_eq!(files.len(), expected_feeds + 2);
    let rss = std::fs::read_to_string(dir.path().join("feeds/yrd-biomedicine.rss")).unwrap();
    assert!(rss.contains(&format!("href=\"{BASE}/feeds/yrd-biomedicine.rss\"")));
    // The exported file is the document the server serves.
    let served = get(&state, "/feeds/yrd-biomedicine.rss").await.body;
    assert_eq!(rss, served);
    let opml = std::fs::read_to_string(dir.path().join("opml.xml")).unwrap();
    assert!(opml.contains("xmlUrl=\"http://feeds.polywire.test/feeds/gba-technology.rss\""));
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(index.contains("href=\"feeds/japan-economy.atom\""));
    assert!(index.contains("href=\"opml.xml\""));
    assert!(
        !index.contains("<form"),
        "no server behind a static export to answer a form"
    );
    for f in &files {
        assert!(f.starts_with(dir.path()));
        assert!(std::fs::metadata(f).unwrap().len() > 0);
    }
}

#[tokio::test]
async fn render_to_string_matches_the_server() {
    let (state, store) = state();
    let (config, taxonomy) = config();
    let pairs = vec![("region".to_string(), "cn-gba".to_string())];
    let text = polywire::serve::render_to_string(
        &config,
        &taxonomy,
        &store.lock().unwrap(),
        None,
        polywire::config::FeedFormat::Atom,
        &pairs,
    )
    .unwrap();
    let served = get(&state, "/feed.atom?region=cn-gba").await.body;
    assert_eq!(text, served);
    let err = polywire::serve::render_to_string(
        &config,
        &taxonomy,
        &store.lock().unwrap(),
        Some("nope"),
        polywire::config::FeedFormat::Rss,
        &[],
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "no feed named `nope`");
}

async fn recv(pings: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(std::time::Duration::from_secs(10), pings.recv())
        .await
        .expect("hub pinged in time")
        .unwrap()
}

/// A fake WebSub hub: records every POST body it receives.
async fn fake_hub() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/hub",
        axum::routing::post(move |body: String| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(body);
                StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hub", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

#[tokio::test]
async fn websub_hub_is_announced_and_notified_of_changed_feeds() {
    polywire::fetch::install_crypto_provider();
    let (hub, mut pings) = fake_hub().await;
    let (mut config, taxonomy) = config();
    config.daemon.server.websub_hub = Some(hub.clone());
    config
        .feeds
        .retain(|f| ["yrd-biomedicine", "japan-economy"].contains(&f.name.as_str()));
    let (store, _) = filled_store(Timestamp::now());
    let store = std::sync::Arc::new(std::sync::Mutex::new(store));
    let state = AppState::with_shared_store(config, taxonomy, store.clone());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(polywire::serve::serve(listener, state.clone(), async {
        let _ = stop_rx.await;
    }));

    // Feeds announce the hub, over real HTTP.
    let body = reqwest::get(format!("http://{addr}/feeds/yrd-biomedicine.atom"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains(&format!("<link rel=\"hub\" href=\"{hub}\"/>")),
        "{body}"
    );
    let rss = get(&state, "/feeds/yrd-biomedicine.rss").await.body;
    assert!(
        rss.contains(&format!("<atom:link href=\"{hub}\" rel=\"hub\"/>")),
        "{rss}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&get(&state, "/feeds/yrd-biomedicine.json").await.body).unwrap();
    assert_eq!(json["hubs"][0]["type"], "WebSub");
    assert_eq!(json["hubs"][0]["url"], hub.as_str());

    // First change after start: every feed is announced once.
    state.invalidate();
    let mut first = Vec::new();
    for _ in 0..6 {
        first.push(recv(&mut pings).await);
    }
    first.sort();
    assert!(first.contains(&"hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.polywire.test%2Ffeeds%2Fyrd-biomedicine.rss".to_string()), "{first:?}");
    assert_eq!(
        first.iter().filter(|b| b.contains("japan-economy")).count(),
        3
    );

    // A biomedicine story changes only yrd-biomedicine.
    let (article, tags) = new_story();
    store.lock().unwrap().upsert(&article, &tags, None).unwrap();
    state.invalidate();
    let mut second = Vec::new();
    for _ in 0..3 {
        second.push(recv(&mut pings).await);
    }
    assert!(
        second.iter().all(|b| b.contains("yrd-biomedicine")),
        "{second:?}"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(
        pings.try_recv().is_err(),
        "unchanged feeds are not announced"
    );

    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[test]
fn shipped_named_feeds_name_known_tags_and_cover_every_industry() {
    let (config, taxonomy) = config();
    let errors = config.check_feed_tags(
        |r| taxonomy.has_region(r),
        |i| taxonomy.has_industry(i),
        |_, _| None,
    );
    assert!(errors.0.is_empty(), "{errors}");
    for name in [
        "yrd-biomedicine",
        "gba-technology",
        "china-esg",
        "japan-economy",
    ] {
        assert!(config.feed(name).is_some(), "{name}");
    }
    let gba = config.feed("gba-technology").unwrap();
    let industries: Vec<&str> = gba
        .filters
        .industry
        .iter()
        .map(|s| s.get_ref().as_str())
        .collect();
    assert_eq!(industries, ["ai", "semiconductors", "robotics"]);
    // One all-regions feed per industry of the taxonomy (22).
    let ids: Vec<&str> = taxonomy.industry_ids().collect();
    assert_eq!(ids.len(), 22);
    for id in ids {
        let feed = config
            .feed(id)
            .unwrap_or_else(|| panic!("no feed for industry {id}"));
        assert!(feed.filters.region.is_empty());
        assert_eq!(feed.filters.industry.len(), 1);
        assert_eq!(feed.filters.industry[0].get_ref(), id);
    }
}

#[tokio::test]
async fn named_feed_filters_for_script_lang_q_and_primary_apply() {
    let (state, _) = state();
    let (mut config, taxonomy) = config();
    let feed = config
        .feeds
        .iter_mut()
        .find(|f| f.name == "ai")
        .expect("the shipped `ai` feed");
    feed.filters.script = Some("hant".into());
    feed.filters.lang = vec!["zh".into()];
    state.reload(config.clone(), taxonomy.clone());
    // Only the Chinese AI story, converted to Traditional by the feed itself.
    let traditional = polywire::normalize::script::to_traditional("上海人工智能大会开幕");
    assert_eq!(traditional, "上海人工智能大會開幕");
    assert_eq!(
        json_titles(&get(&state, "/feeds/ai.json").await.body),
        [traditional]
    );
    // The URL's script wins over the feed's.
    assert_eq!(
        json_titles(&get(&state, "/feeds/ai.json?script=hans").await.body),
        ["上海人工智能大会开幕"]
    );

    let feed = config.feeds.iter_mut().find(|f| f.name == "ai").unwrap();
    feed.filters.script = None;
    feed.filters.lang = Vec::new();
    feed.filters.primary = true;
    feed.filters.q = Some("chip".into());
    state.reload(config, taxonomy);
    // `ai` is primary for the hostile story and the Shanghai one; only the
    // hostile one mentions "chip" (the Shenzhen story has `ai` as secondary).
    let titles = json_titles(&get(&state, "/feeds/ai.json").await.body);
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with("Chip "), "{titles:?}");
}
