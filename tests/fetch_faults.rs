//! Faults a wire server can throw at the fetcher, each against a scripted
//! server on 127.0.0.1: slow headers, slow bodies, 5xx runs, resets, 429
//! with Retry-After, 304, oversized bodies, redirect loops and private
//! addresses. After each, the same fetcher must still fetch a good page.

mod fetch_support;

use fetch_support::{Reply, TestServer};
use polywire::config::FetchConfig;
use polywire::fetch::{FetchError, FetchRequest, FetchResponse, Fetcher, TimeoutPhase};
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

const PAGE: &str = "<html><head><title>Wire</title></head><body><p>台北3日電 Export orders rose for the eighth month.</p></body></html>";

/// Short deadlines, quick retries, no pacing.
fn config() -> FetchConfig {
    FetchConfig {
        timeout_secs: 2,
        connect_timeout_secs: 1,
        first_byte_timeout_secs: 1,
        per_host_delay_ms: 0,
        retries: 2,
        retry_base_ms: 10,
        max_retry_after_secs: 5,
        max_body_bytes: 64 * 1024,
        ..FetchConfig::default()
    }
}

/// A request our 127.0.0.1 server may answer.
fn local(url: String) -> FetchRequest {
    FetchRequest {
        url,
        allow_private: true,
        ..FetchRequest::default()
    }
}

async fn fetch_err(fetcher: &Fetcher, req: FetchRequest) -> FetchError {
    match fetcher.fetch(&req).await {
        Ok(resp) => panic!("{} should fail, got {resp:?}", req.url),
        Err(err) => err,
    }
}

async fn fetch_text(fetcher: &Fetcher, req: FetchRequest) -> (String, String) {
    match fetcher.fetch(&req).await {
        Ok(FetchResponse::Fetched { doc, .. }) => (doc.text, doc.url.to_string()),
        other => panic!("{} should give a body, got {other:?}", req.url),
    }
}

#[tokio::test]
async fn slow_headers_time_out() {
    let server = TestServer::start().await;
    server.route(
        "/slow",
        vec![Reply::ok(PAGE).delay_headers(Duration::from_secs(5))],
    );
    let fetcher = Fetcher::new(&FetchConfig {
        retries: 0,
        ..config()
    })
    .unwrap();
    let started = Instant::now();
    let err = fetch_err(&fetcher, local(server.url("/slow"))).await;
    assert!(
        matches!(
            err,
            FetchError::Timeout {
                phase: TimeoutPhase::FirstByte,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.reason(), "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "waited for the slow server"
    );
}

#[tokio::test]
async fn slow_body_times_out() {
    let server = TestServer::start().await;
    // 20 chunks, 300 ms apart: 6 s in all, far past the 2 s whole-request limit,
    // while every single chunk arrives well within the first-byte limit.
    let body = PAGE.repeat(20);
    let chunk = body.len() / 20;
    server.route(
        "/drip",
        vec![Reply::ok(body).slow_body(chunk, Duration::from_millis(300))],
    );
    let fetcher = Fetcher::new(&FetchConfig {
        retries: 0,
        ..config()
    })
    .unwrap();
    let started = Instant::now();
    let err = fetch_err(&fetcher, local(server.url("/drip"))).await;
    assert!(
        matches!(
            err,
            FetchError::Timeout {
                phase: TimeoutPhase::Body,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[tokio::test]
async fn two_server_errors_then_success_is_retried() {
    let server = TestServer::start().await;
    let script = vec![Reply::status(500), Reply::status(502), Reply::ok(PAGE)];
    server.route("/flaky", script.clone());
    server.route("/flakier", script);
    let fetcher = Fetcher::new(&config()).unwrap();
    let (text, _) = fetch_text(&fetcher, local(server.url("/flaky"))).await;
    assert!(text.contains("Export orders rose"));
    assert_eq!(server.hits("/flaky"), 3);

    // With one retry the second 5xx is final and reported.
    let fetcher = Fetcher::new(&FetchConfig {
        retries: 1,
        ..config()
    })
    .unwrap();
    let err = fetch_err(&fetcher, local(server.url("/flakier"))).await;
    assert_eq!(err.reason(), "http_502");
    assert_eq!(server.hits("/flakier"), 2);
}

#[tokio::test]
async fn client_errors_are_not_retried_but_resets_are() {
    let server = TestServer::start().await;
    server.route("/gone", vec![Reply::status(404), Reply::ok(PAGE)]);
    server.route("/reset", vec![Reply::reset(), Reply::ok(PAGE)]);
    let fetcher = Fetcher::new(&config()).unwrap();
    assert_eq!(
        fetch_err(&fetcher, local(server.url("/gone")))
            .await
            .reason(),
        "http_404"
    );
    assert_eq!(server.hits("/gone"), 1);
    let (text, _) = fetch_text(&fetcher, local(server.url("/reset"))).await;
    assert!(text.contains("Export orders rose"));
    assert_eq!(server.hits("/reset"), 2);
}

#[tokio::test]
async fn too_many_requests_honours_retry_after() {
    let server = TestServer::start().await;
    server.route(
        "/busy",
        vec![
            Reply::status(429).header("Retry-After", "1"),
            Reply::ok(PAGE),
        ],
    );
    let fetcher = Fetcher::new(&config()).unwrap();
    let (text, _) = fetch_text(&fetcher, local(server.url("/busy"))).await;
    assert!(text.contains("Export orders rose"));
    let seen = server.seen("/busy");
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at - seen[0].at;
    // The backoff alone would have retried after ~10 ms.
    assert!(gap >= Duration::from_millis(950), "retried after {gap:?}");
}

#[tokio::test]
async fn retry_after_beyond_the_cap_fails_at_once_and_says_when() {
    let server = TestServer::start().await;
    server.route(
        "/maintenance",
        vec![
            Reply::status(503).header("Retry-After", "3600"),
            Reply::ok(PAGE),
        ],
    );
    let fetcher = Fetcher::new(&config()).unwrap();
    let started = Instant::now();
    let err = fetch_err(&fetcher, local(server.url("/maintenance"))).await;
    assert_eq!(err.reason(), "http_503");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(server.hits("/maintenance"), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn validators_are_sent_back_and_304_means_not_modified() {
    let server = TestServer::start().await;
    let modified = "Sun, 29 Nov 2026 08:00:00 GMT";
    server.route(
        "/feed.xml",
        vec![
            Reply::ok(PAGE)
                .header("ETag", "\"v1\"")
                .header("Last-Modified", modified),
            Reply::status(304).header("ETag", "\"v1\""),
        ],
    );
    let fetcher = Fetcher::new(&config()).unwrap();
    let (etag, last_modified) = match fetcher.fetch(&local(server.url("/feed.xml"))).await {
        Ok(FetchResponse::Fetched {
            etag,
            last_modified,
            ..
        }) => (etag, last_modified),
        other => panic!("{other:?}"),
    };
    assert_eq!(etag.as_deref(), Some("\"v1\""));
    assert_eq!(last_modified.as_deref(), Some(modified));
    let again = FetchRequest {
        etag,
        last_modified,
        ..local(server.url("/feed.xml"))
    };
    let resp = fetcher.fetch(&again).await.unwrap();
    assert!(matches!(resp, FetchResponse::NotModified), "{resp:?}");
    let seen = server.seen("/feed.xml");
    assert!(!seen[0].headers.contains_key("if-none-match"));
    assert_eq!(
        seen[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        seen[1].headers.get("if-modified-since").map(String::as_str),
        Some(modified)
    );
}

#[tokio::test]
async fn oversized_bodies_are_cut_while_streaming() {
    let server = TestServer::start().await;
    let big = vec![b'x'; 1024 * 1024];
    // Declared length: refused before reading.
    server.route("/declared", vec![Reply::ok(big.clone())]);
    // No length, sent in 16 KiB pieces 20 ms apart (~1.3 s for all of it):
    // the fetcher must stop after the first few pieces.
    server.route(
        "/streamed",
        vec![
            Reply::ok(big)
                .without_length()
                .slow_body(16 * 1024, Duration::from_millis(20)),
        ],
    );
    let fetcher = Fetcher::new(&config()).unwrap();
    let err = fetch_err(&fetcher, local(server.url("/declared"))).await;
    assert!(
        matches!(err, FetchError::TooLarge { limit: 65536, .. }),
        "{err:?}"
    );
    let started = Instant::now();
    let err = fetch_err(&fetcher, local(server.url("/streamed"))).await;
    assert_eq!(err.reason(), "too_large");
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "read on after the cap"
    );
    assert_eq!(server.hits("/streamed"), 1, "too_large is not retried");
}

#[tokio::test]
async fn redirects_are_followed_to_the_final_url_and_loops_stop() {
    let server = TestServer::start().await;
    server.route("/old", vec![Reply::redirect(301, "/middle")]);
    server.route(
        "/middle",
        vec![Reply::redirect(302, &server.url("/final?id=7"))],
    );
    server.route("/final?id=7", vec![Reply::ok(PAGE)]);
    server.route("/a", vec![Reply::redirect(302, "/b")]);
    server.route("/b", vec![Reply::redirect(307, "/a")]);
    for n in 0..10 {
        server.route(
            &format!("/hop{n}"),
            vec![Reply::redirect(302, &format!("/hop{}", n + 1))],
        );
    }
    server.route("/ftp", vec![Reply::redirect(302, "ftp://127.0.0.1/file")]);
    let fetcher = Fetcher::new(&config()).unwrap();

    let (_, url) = fetch_text(&fetcher, local(server.url("/old"))).await;
    assert_eq!(url, server.url("/final?id=7"));

    let err = fetch_err(&fetcher, local(server.url("/a"))).await;
    assert_eq!(err.reason(), "redirect_loop");
    assert_eq!((server.hits("/a"), server.hits("/b")), (1, 1));

    let err = fetch_err(&fetcher, local(server.url("/hop0"))).await;
    assert_eq!(err.reason(), "too_many_redirects");
    assert_eq!(server.hits("/hop6"), 0, "at most 5 redirects followed");

    assert_eq!(
        fetch_err(&fetcher, local(server.url("/ftp")))
            .await
            .reason(),
        "bad_redirect"
    );
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let server = TestServer::start().await;
    server.route("/", vec![Reply::ok(PAGE)]);
    let fetcher = Fetcher::new(&config()).unwrap();
    let public_only = |url: String| FetchRequest {
        url,
        ..FetchRequest::default()
    };
    // An IP literal, and a name that resolves to loopback.
    let err = fetch_err(&fetcher, public_only(server.url("/"))).await;
    assert_eq!(err.reason(), "private_address");
    let by_name = format!("http://localhost:{}/", server.port());
    let err = fetch_err(&fetcher, public_only(by_name.clone())).await;
    assert_eq!(err.reason(), "private_address", "{err}");
    assert_eq!(server.hits("/"), 0);
    // Allowed per request, or for the whole daemon.
    fetch_text(&fetcher, local(by_name)).await;
    let open = Fetcher::new(&FetchConfig {
        allow_private_addresses: true,
        ..config()
    })
    .unwrap();
    fetch_text(&open, public_only(server.url("/"))).await;
}

/// Production rule, except that our own server at 127.0.0.1 counts as a
/// public wire: that lets a redirect *from* it be tested.
fn trust_test_server(ip: IpAddr) -> bool {
    ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || polywire::fetch::guard::is_public(ip)
}

#[tokio::test]
async fn a_redirect_to_a_private_address_is_refused() {
    // The "internal service": another loopback address, same port trick.
    let internal = tokio::net::TcpListener::bind("127.0.0.2:0").await;
    let Ok(internal) = internal else {
        panic!("127.0.0.2 must be bindable on Linux loopback");
    };
    let internal_port = internal.local_addr().unwrap().port();
    drop(internal);
    let wire = TestServer::start().await;
    let secret = format!("http://127.0.0.2:{internal_port}/admin");
    wire.route("/story", vec![Reply::redirect(302, &secret)]);
    wire.route(
        "/mapped",
        vec![Reply::redirect(
            302,
            "http://[::ffff:169.254.169.254]/latest/meta-data",
        )],
    );
    wire.route(
        "/to-loopback",
        vec![Reply::redirect(
            302,
            &wire.url("/").replace("127.0.0.1", "127.1.2.3"),
        )],
    );
    let fetcher = Fetcher::with_address_rule(&config(), trust_test_server).unwrap();
    let public_only = |url: String| FetchRequest {
        url,
        ..FetchRequest::default()
    };
    for path in ["/story", "/mapped", "/to-loopback"] {
        let err = fetch_err(&fetcher, public_only(wire.url(path))).await;
        assert!(
            matches!(err, FetchError::PrivateAddress { .. }),
            "{path}: {err:?}"
        );
        assert_eq!(wire.hits(path), 1, "{path}: the first hop was fetched");
    }
}

#[tokio::test]
async fn the_same_fetcher_keeps_working_after_every_fault() {
    let server = TestServer::start().await;
    server.route("/good", vec![Reply::ok(PAGE)]);
    server.route(
        "/slow",
        vec![Reply::ok(PAGE).delay_headers(Duration::from_secs(5))],
    );
    server.route(
        "/drip",
        vec![Reply::ok(PAGE.repeat(20)).slow_body(64, Duration::from_millis(200))],
    );
    server.route("/500", vec![Reply::status(500)]);
    server.route("/reset", vec![Reply::reset()]);
    server.route(
        "/big",
        vec![Reply::ok(vec![b'x'; 1 << 20]).without_length()],
    );
    server.route("/loop", vec![Reply::redirect(302, "/loop")]);
    server.route("/nolocation", vec![Reply::status(302)]);
    server.route(
        "/garbage",
        vec![
            Reply::ok(vec![0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0])
                .header("Content-Type", "text/html; charset=nonsense"),
        ],
    );
    server.route(
        "/badgzip",
        vec![
            Reply::ok(b"\x1f\x8b\x08\x00not gzip at all".to_vec())
                .header("Content-Encoding", "gzip"),
        ],
    );
    let fetcher = Fetcher::new(&FetchConfig {
        retries: 1,
        ..config()
    })
    .unwrap();
    let faults = [
        "/slow",
        "/drip",
        "/500",
        "/reset",
        "/big",
        "/loop",
        "/nolocation",
        "/badgzip",
    ];
    for fault in faults {
        let err = fetch_err(&fetcher, local(server.url(fault))).await;
        assert!(!err.reason().is_empty());
        let (text, _) = fetch_text(&fetcher, local(server.url("/good"))).await;
        assert!(text.contains("Export orders rose"), "after {fault}");
    }
    // Undecodable bytes under a bogus charset are replaced, not an error.
    let (text, _) = fetch_text(&fetcher, local(server.url("/garbage"))).await;
    assert!(!text.is_empty());
    assert_eq!(server.hits("/good"), faults.len());
}

#[tokio::test]
async fn a_closed_port_is_reported_as_refused_not_as_robots() {
    // Bind, note the port, close: nothing listens there any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let fetcher = Fetcher::new(&config()).unwrap();
    let err = fetch_err(&fetcher, local(format!("http://127.0.0.1:{port}/rss.xml"))).await;
    assert_eq!(err.reason(), "connect_refused", "{err}");
    assert!(err.to_string().contains("connection refused"), "{err}");
}

#[tokio::test]
async fn refusing_a_private_address_names_the_setting_that_allows_it() {
    let fetcher = Fetcher::new(&config()).unwrap();
    let err = fetch_err(
        &fetcher,
        FetchRequest {
            url: "http://127.0.0.1:9/".into(),
            ..FetchRequest::default()
        },
    )
    .await;
    assert_eq!(err.reason(), "private_address");
    assert!(err.to_string().contains("allow_private_addresses"), "{err}");
}

#[tokio::test]
async fn an_unresolvable_host_is_reported_as_dns() {
    // `.invalid` never resolves (RFC 2606); without any DNS server the
    // lookup fails as well, so this needs no network.
    let fetcher = Fetcher::new(&config()).unwrap();
    let err = fetch_err(
        &fetcher,
        FetchRequest {
            url: "http://polywire-test.invalid/rss.xml".into(),
            ..FetchRequest::default()
        },
    )
    .await;
    // A resolver that hangs hits the connect deadline instead.
    assert!(matches!(err.reason().as_str(), "dns" | "timeout"), "{err}");
    assert_ne!(err.reason(), "robots_unavailable");
}
