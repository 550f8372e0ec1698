//! robots.txt as a wire server would publish it, served from 127.0.0.1.

mod fetch_support;

use fetch_support::{Reply, TestServer};
use polywire::config::FetchConfig;
use polywire::fetch::{FetchRequest, FetchResponse, Fetcher};
use std::time::Duration;

const ROBOTS: &str = "\
# Wire archive is for subscribers only.
User-agent: *
Disallow: /

User-agent: polywire
Disallow: /archive/
Allow: /archive/today/
Disallow: /*.pdf$
";

fn config() -> FetchConfig {
    FetchConfig {
        per_host_delay_ms: 0,
        retries: 0,
        first_byte_timeout_secs: 2,
        ..FetchConfig::default()
    }
}

fn local(url: String) -> FetchRequest {
    FetchRequest {
        url,
        allow_private: true,
        ..FetchRequest::default()
    }
}

async fn outcome(fetcher: &Fetcher, req: FetchRequest) -> String {
    match fetcher.fetch(&req).await {
        Ok(FetchResponse::Fetched { .. }) => "fetched".into(),
        Ok(FetchResponse::NotModified) => "not_modified".into(),
        Err(err) => err.reason(),
    }
}

#[tokio::test]
async fn disallow_is_obeyed_allow_overrides_and_the_file_is_read_once() {
    let server = TestServer::start().await;
    server.route(
        "/robots.txt",
        vec![Reply::ok(ROBOTS).header("Content-Type", "text/plain")],
    );
    for path in [
        "/news/1.html",
        "/archive/2019/5.html",
        "/archive/today/1.html",
        "/report.pdf",
    ] {
        server.route(path, vec![Reply::ok("<p>story</p>")]);
    }
    let fetcher = Fetcher::new(&config()).unwrap();
    let cases = [
        ("/news/1.html", "fetched"),
        ("/archive/2019/5.html", "robots_disallowed"),
        ("/archive/today/1.html", "fetched"),
        ("/report.pdf", "robots_disallowed"),
    ];
    for (path, expected) in cases {
        assert_eq!(
            outcome(&fetcher, local(server.url(path))).await,
            expected,
            "{path}"
        );
    }
    assert_eq!(server.hits("/archive/2019/5.html"), 0);
    assert_eq!(server.hits("/report.pdf"), 0);
    assert_eq!(server.hits("/robots.txt"), 1, "robots.txt is cached");

    // An explicit opt-out skips robots.txt for that request only.
    let ignoring = FetchRequest {
        ignore_robots: true,
        ..local(server.url("/archive/2019/5.html"))
    };
    assert_eq!(outcome(&fetcher, ignoring).await, "fetched");
    let ua = &server.seen("/news/1.html")[0].headers["user-agent"];
    assert!(ua.starts_with("polywire/"), "{ua}");
}

#[tokio::test]
async fn a_missing_robots_txt_allows_and_a_failing_one_disallows() {
    let missing = TestServer::start().await;
    missing.route("/feed", vec![Reply::ok("<rss/>")]);
    let failing = TestServer::start().await;
    failing.route("/robots.txt", vec![Reply::status(503)]);
    failing.route("/feed", vec![Reply::ok("<rss/>")]);
    let moved = TestServer::start().await;
    moved.route(
        "/robots.txt",
        vec![Reply::redirect(301, "/static/robots.txt")],
    );
    moved.route(
        "/static/robots.txt",
        vec![Reply::ok("User-agent: *\nDisallow: /feed\n")],
    );
    moved.route("/feed", vec![Reply::ok("<rss/>")]);

    let fetcher = Fetcher::new(&config()).unwrap();
    assert_eq!(
        outcome(&fetcher, local(missing.url("/feed"))).await,
        "fetched"
    );
    assert_eq!(
        outcome(&fetcher, local(failing.url("/feed"))).await,
        "robots_unavailable"
    );
    assert_eq!(failing.hits("/feed"), 0);
    assert_eq!(
        outcome(&fetcher, local(moved.url("/feed"))).await,
        "robots_disallowed"
    );
    assert_eq!(moved.hits("/static/robots.txt"), 1);
}

#[tokio::test]
async fn crawl_delay_paces_requests_to_the_host() {
    let server = TestServer::start().await;
    server.route(
        "/robots.txt",
        vec![Reply::ok("User-agent: polywire\nCrawl-delay: 1\n")],
    );
    for n in 0..3 {
        server.route(&format!("/story/{n}"), vec![Reply::ok("<p>story</p>")]);
    }
    // Pacing is off in the config and four requests may run at once: only
    // Crawl-delay can space them.
    let fetcher = Fetcher::new(&FetchConfig {
        per_host_concurrency: 4,
        ..config()
    })
    .unwrap();
    let fetches = (0..3).map(|n| {
        let fetcher = fetcher.clone();
        let req = local(server.url(&format!("/story/{n}")));
        async move { outcome(&fetcher, req).await }
    });
    let results = futures_util::future::join_all(fetches).await;
    assert!(results.iter().all(|r| r == "fetched"), "{results:?}");
    let mut starts: Vec<_> = (0..3)
        .map(|n| server.seen(&format!("/story/{n}"))[0].at)
        .collect();
    starts.sort();
    for pair in starts.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(gap >= Duration::from_millis(950), "requests {gap:?} apart");
    }
}
