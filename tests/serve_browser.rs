//! The index page in a real browser: headless Chromium (Debian packages
//! `chromium` and `chromium-driver`) loads `/`, fills and submits the
//! filter form, and follows the Atom subscribe link it built.
//!
//! Without Chromium the test prints why and passes — unless `CI` is set,
//! where a missing browser fails it.

mod serve_support;
#[path = "browser/webdriver.rs"]
mod webdriver;

use std::path::PathBuf;
use std::time::Duration;

#[tokio::test]
async fn browser_submits_the_form_and_follows_a_subscribe_link() {
    let Some((chromium, chromedriver)) = webdriver::chromium_or_skip("browser test") else {
        return;
    };
    tokio::time::timeout(Duration::from_secs(120), run(chromium, chromedriver))
        .await
        .expect("browser test finished within two minutes");
}

async fn run(chromium: PathBuf, chromedriver: PathBuf) {
    polywire::fetch::install_crypto_provider();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (mut config, taxonomy) = serve_support::config();
    config.daemon.server.base_url = Some(format!("http://{addr}"));
    let (store, _) = serve_support::filled_store(jiff::Timestamp::now());
    let state = polywire::serve::AppState::new(config, taxonomy, store);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(polywire::serve::serve(listener, state, async {
        let _ = stop_rx.await;
    }));

    let profile = tempfile::tempdir().unwrap();
    let driver = webdriver::Driver::start(&chromedriver).await;
    let browser = driver.session(&chromium, profile.path()).await;

    browser.goto(&format!("http://{addr}/")).await;
    let source = browser.source().await;
    assert!(source.contains("Build your own feed"), "{source}");
    assert!(source.contains("Shenzhen robotics makers"));

    // Fill the form the way a person would, then submit it.
    let option = browser.find("#f-region option[value='cn-yrd']").await;
    browser.click(&option).await;
    let option = browser
        .find("#f-industry option[value='biomedicine']")
        .await;
    browser.click(&option).await;
    let q = browser.find("#f-q").await;
    browser.type_text(&q, "醫藥").await;
    let submit = browser.find("#f-submit").await;
    browser.click(&submit).await;

    // A click does not wait for the navigation it starts.
    let url = browser
        .wait_for_url(|u| u.starts_with(&format!("http://{addr}/?")))
        .await;
    assert!(url.starts_with(&format!("http://{addr}/?")), "{url}");
    assert!(
        url.contains("region=cn-yrd") && url.contains("industry=biomedicine"),
        "{url}"
    );
    let page = browser.source().await;
    assert!(
        page.contains("杭州生醫新創獲融資"),
        "filtered stories shown"
    );
    assert!(!page.contains("Hong Kong FinTech Week"));

    assert!(page.contains("built-atom"), "{page}");
    let link = browser.find("a.built-atom").await;
    let href = browser.property(&link, "href").await;
    assert!(
        href.starts_with(&format!("http://{addr}/feed.atom?")),
        "{href}"
    );
    browser.click(&link).await;
    let feed_url = browser.wait_for_url(|u| u == href).await;
    assert_eq!(feed_url, href);
    let feed = browser.source().await;
    assert!(feed.contains("杭州生醫新創獲融資 醫藥研發提速"), "{feed}");
    assert!(feed.contains("長三角生物醫藥產業集群加速發展"));
    assert!(
        !feed.contains("Shenzhen robotics"),
        "the feed holds only the selection"
    );

    // The same URL fetched directly is a valid Atom feed with those stories.
    let body = reqwest::get(&href).await.unwrap().text().await.unwrap();
    let parsed = feed_rs::parser::parse(body.as_bytes()).unwrap();
    assert_eq!(parsed.entries.len(), 3);

    browser.quit().await;
    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}
