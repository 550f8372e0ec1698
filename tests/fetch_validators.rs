//! Index validators (`ETag`) belong to the source and its extraction rules,
//! are not kept from a run that stored nothing, and `fetch --force`
//! ignores them (issue 19, item 1).

mod support;

use polywire::pipeline::RunReport;
use polywire::store::Store;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use support::{TestConfig, fixture, wire_sources};
use tokio_util::sync::CancellationToken;

/// A listing page that answers `304` to its own `ETag`, and story pages
/// that can be taken down.
struct EtagWire {
    base: String,
    pages_up: Arc<AtomicBool>,
    listing_full_answers: Arc<AtomicUsize>,
    page_answers: Arc<AtomicUsize>,
}

impl EtagWire {
    async fn start() -> EtagWire {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let pages_up = Arc::new(AtomicBool::new(true));
        let listing_full_answers = Arc::new(AtomicUsize::new(0));
        let page_answers = Arc::new(AtomicUsize::new(0));
        let state = (
            pages_up.clone(),
            listing_full_answers.clone(),
            page_answers.clone(),
        );
        let app = axum::Router::new().fallback(
            move |uri: axum::http::Uri, headers: axum::http::HeaderMap| {
                let (pages_up, listing_full, pages) = state.clone();
                async move {
                    use axum::http::{StatusCode, header};
                    let path = uri.path().trim_start_matches('/').to_string();
                    let html = |text: String| {
                        (
                            StatusCode::OK,
                            [
                                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                                (header::ETAG, "\"v1\""),
                            ],
                            text,
                        )
                    };
                    let missing = (
                        StatusCode::NOT_FOUND,
                        [
                            (header::CONTENT_TYPE, "text/plain"),
                            (header::ETAG, "\"none\""),
                        ],
                        String::from("not found"),
                    );
                    match path.as_str() {
                        "robots.txt" => missing,
                        "listing.html" => {
                            let sent = headers
                                .get(header::IF_NONE_MATCH)
                                .and_then(|v| v.to_str().ok());
                            if sent == Some("\"v1\"") {
                                return (
                                    StatusCode::NOT_MODIFIED,
                                    [
                                        (header::CONTENT_TYPE, "text/html"),
                                        (header::ETAG, "\"v1\""),
                                    ],
                                    String::new(),
                                );
                            }
                            listing_full.fetch_add(1, Ordering::SeqCst);
                            html(std::fs::read_to_string(fixture("wire/listing.html")).unwrap())
                        }
                        "news/n1.html" | "news/n2.html" if pages_up.load(Ordering::SeqCst) => {
                            pages.fetch_add(1, Ordering::SeqCst);
                            html(std::fs::read_to_string(fixture(&format!("wire/{path}"))).unwrap())
                        }
                        _ => missing,
                    }
                }
            },
        );
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        EtagWire {
            base,
            pages_up,
            listing_full_answers,
            page_answers,
        }
    }
}

/// The `yna` listing source of the shared wire fixture, with `links`.
fn listing_source(base: &str, links: &str) -> String {
    let (_, body) = wire_sources(base)
        .into_iter()
        .find(|(id, _)| *id == "yna")
        .unwrap();
    body.replace(r#"links = "ul.list li""#, &format!("links = \"{links}\""))
}

async fn run(config: &TestConfig, force: bool) -> RunReport {
    let loaded = polywire::app::load(&config.path).unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(&config.db()).unwrap();
    let mut pipeline = polywire::app::pipeline(&loaded, Arc::new(Mutex::new(store))).unwrap();
    pipeline.force = force;
    pipeline
        .run_source(&loaded.config.sources[0], &CancellationToken::new())
        .await
}

fn rewrite_source(config: &TestConfig, body: &str) {
    let file = config.path.parent().unwrap().join("sources/yna.toml");
    std::fs::write(file, body).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_links_selector_reads_the_index_again() {
    let wire = EtagWire::start().await;
    let config = TestConfig::new(&[("yna", listing_source(&wire.base, "ul.wrong a"))]);
    let first = run(&config, false).await;
    assert_eq!(first.entries, 0, "{first:?}");
    // A rule that matched nothing says so (issue 19, item 2), in the run
    // and in the state `sources` and /healthz show.
    assert_eq!(first.status, "degraded", "{first:?}");
    assert!(first.warnings[0].contains("`ul.wrong a`"), "{first:?}");
    let state = Store::open(&config.db())
        .unwrap()
        .source_state("yna")
        .unwrap()
        .unwrap();
    assert_eq!(state.last_status.as_deref(), Some("degraded"));
    assert!(
        state
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("selected no link"),
        "{state:?}"
    );
    assert_eq!(state.failures, 0);

    rewrite_source(&config, &listing_source(&wire.base, "ul.list li"));
    let fixed = run(&config, false).await;
    assert_eq!(fixed.status, "ok", "{fixed:?}");
    assert_eq!(fixed.new, 2, "{fixed:?}");
    assert_eq!(wire.listing_full_answers.load(Ordering::SeqCst), 2);

    // Unchanged rules: the validators of the good run are used.
    let again = run(&config, false).await;
    assert_eq!(again.status, "not_modified", "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_that_stored_nothing_keeps_no_validators() {
    let wire = EtagWire::start().await;
    let config = TestConfig::new(&[("yna", listing_source(&wire.base, "ul.list li"))]);
    wire.pages_up.store(false, Ordering::SeqCst);
    let broken = run(&config, false).await;
    assert_eq!(broken.entries, 2, "{broken:?}");
    assert_eq!(broken.new, 0, "{broken:?}");

    wire.pages_up.store(true, Ordering::SeqCst);
    let recovered = run(&config, false).await;
    assert_eq!(recovered.new, 2, "{recovered:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn force_ignores_validators_and_stored_pages() {
    let wire = EtagWire::start().await;
    let config = TestConfig::new(&[("yna", listing_source(&wire.base, "ul.list li"))]);
    assert_eq!(run(&config, false).await.new, 2);
    assert_eq!(run(&config, false).await.status, "not_modified");
    let pages_before = wire.page_answers.load(Ordering::SeqCst);

    let forced = run(&config, true).await;
    assert_eq!(forced.status, "ok", "{forced:?}");
    assert_eq!(forced.entries, 2, "{forced:?}");
    assert_eq!(
        wire.page_answers.load(Ordering::SeqCst),
        pages_before + 2,
        "every page fetched again"
    );
}
