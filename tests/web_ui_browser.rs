//! The web UI in headless Chromium: axe-core checks the index, a feed
//! preview, the sources page, the unknown-feed page and the index with a
//! refused filter, in light and dark colour schemes, and fails on any
//! `serious` or `critical` violation. At a phone's 375 px width no page
//! may scroll sideways.
//!
//! axe-core comes from the npm registry: `npm ci --prefix tests/browser`
//! (what .ci/run does) puts it in `tests/browser/node_modules`; or point
//! `AXE_CORE_JS` at an `axe.min.js`. Without Chromium or axe-core the test
//! prints why and passes — unless `CI` is set, where it fails.

mod serve_support;
#[path = "browser/webdriver.rs"]
mod webdriver;

use jiff::{SignedDuration, Timestamp};
use polywire::store::SourceState;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The pages checked: each kind the UI has, including its error pages.
const PAGES: &[&str] = &[
    "/",
    "/feeds/yrd-biomedicine.html",
    "/sources",
    "/feeds/no-such-feed.html",
    "/?region=atlantis",
];

/// axe-core's script, if installed.
fn axe_source() -> Option<String> {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).ok()
}

#[tokio::test]
async fn pages_pass_axe_and_fit_a_phone_screen() {
    let Some((chromium, chromedriver)) = webdriver::chromium_or_skip("accessibility test") else {
        return;
    };
    let Some(axe) = axe_source() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but axe-core is missing: npm ci --prefix tests/browser"
        );
        eprintln!(
            "SKIPPED accessibility test: axe-core not found \
             (npm ci --prefix tests/browser, or AXE_CORE_JS=…/axe.min.js)"
        );
        return;
    };
    tokio::time::timeout(Duration::from_secs(300), run(chromium, chromedriver, axe))
        .await
        .expect("accessibility test finished within five minutes");
}

/// Runs axe on the page loaded; the serious and critical violations as
/// `rule (impact): help — selectors` lines.
async fn axe_violations(browser: &webdriver::Session<'_>, axe: &str) -> Vec<String> {
    // The script itself, not an `eval` of it: the pages' content security
    // policy forbids eval, while a WebDriver script runs regardless.
    browser
        .execute(&format!("{axe}\nreturn typeof axe;"), json!([]))
        .await;
    let found = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']})
               .then(r => done(r.violations))
               .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));",
            json!([]),
            Duration::from_secs(60),
        )
        .await;
    found
        .as_array()
        .expect("axe answers a list")
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .map(|v: &Value| {
            let targets: Vec<String> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .take(3)
                .map(|n| n["target"].to_string())
                .collect();
            format!(
                "{} ({}): {} — {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                targets.join(", ")
            )
        })
        .collect()
}

async fn run(chromium: PathBuf, chromedriver: PathBuf, axe: String) {
    polywire::fetch::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (mut config, taxonomy) = serve_support::config();
    config.daemon.server.base_url = Some(format!("http://{addr}"));
    // Every state the sources page draws: ok, failing, waiting, disabled.
    if let Some(nikkei) = config.sources.iter_mut().find(|s| s.id == "nikkei") {
        nikkei.enabled = false;
    }
    let now = Timestamp::now();
    let (store, _) = serve_support::filled_store(now);
    let mins = SignedDuration::from_mins;
    for state in [
        SourceState {
            id: "chinanews".into(),
            last_run: Some(now - mins(4)),
            last_status: Some("ok".into()),
            stories_new: 7,
            stories_updated: 2,
            next_run: Some(now + mins(11)),
            ..SourceState::default()
        },
        SourceState {
            id: "cna".into(),
            last_run: Some(now - mins(30)),
            last_status: Some("http_5xx".into()),
            last_error: Some(
                "HTTP 503 from https://www.cna.example/rss/aall.xml?with=a-very-long-query-string-that-does-not-break"
                    .into(),
            ),
            failures: 5,
            next_run: Some(now + mins(90)),
            ..SourceState::default()
        },
    ] {
        store.record_run(&state).unwrap();
    }
    let state = polywire::serve::AppState::new(config, taxonomy, store);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(polywire::serve::serve(listener, state, async {
        let _ = stop_rx.await;
    }));
    let driver = webdriver::Driver::start(&chromedriver).await;

    let mut failures = Vec::new();
    for (scheme, extra) in [
        ("light", &["--window-size=1280,900"][..]),
        ("dark", &["--window-size=1280,900", "--force-dark-mode"][..]),
    ] {
        let profile = tempfile::tempdir().unwrap();
        let browser = driver.session_with(&chromium, profile.path(), extra).await;
        for page in PAGES {
            browser.goto(&format!("http://{addr}{page}")).await;
            let dark = browser
                .execute(
                    "return matchMedia('(prefers-color-scheme: dark)').matches;",
                    json!([]),
                )
                .await;
            assert_eq!(dark, json!(scheme == "dark"), "{page}: colour scheme");
            for v in axe_violations(&browser, &axe).await {
                failures.push(format!("{page} [{scheme}]: {v}"));
            }
        }
        browser.quit().await;
    }

    // A phone: 375 CSS pixels wide, and nothing wider than the screen.
    let profile = tempfile::tempdir().unwrap();
    let browser = driver.session(&chromium, profile.path()).await;
    browser
        .cdp(
            "Emulation.setDeviceMetricsOverride",
            // Not `mobile`: a phone's browser widens the layout viewport
            // to fit content that overflows, hiding what this measures.
            json!({"width": 375, "height": 812, "deviceScaleFactor": 2, "mobile": false}),
        )
        .await;
    for page in PAGES {
        browser.goto(&format!("http://{addr}{page}")).await;
        let widths = browser
            .execute(
                "return [window.innerWidth, document.documentElement.scrollWidth, document.body.scrollWidth];",
                json!([]),
            )
            .await;
        let widths: Vec<u64> = widths
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_u64().unwrap())
            .collect();
        assert_eq!(widths[0], 375, "{page}: the window is a phone's width");
        if widths[1] > 375 || widths[2] > 375 {
            failures.push(format!(
                "{page} [375 px]: scrolls sideways (document {} px, body {} px)",
                widths[1], widths[2]
            ));
        }
    }
    browser.quit().await;

    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
