//! Fetch throughput against a local server, pacing off: pages/s and heap
//! held per in-flight page, for several concurrency levels.
//!
//! Run: `cargo bench --bench fetch` (optionally `-- PAGES`, default 3000).
//! Server and fetcher share this process and its 2-core budget, so the
//! numbers are a floor for the fetcher alone; the heap figure includes the
//! server's per-connection buffers.

#[path = "../tests/fetch_support/mod.rs"]
mod fetch_support;

use fetch_support::{Reply, TestServer};
use polywire::config::FetchConfig;
use polywire::fetch::{FetchRequest, FetchResponse, Fetcher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: fetch_support::heap::Counting = fetch_support::heap::Counting;

/// Distinct page paths served; pages are fetched round-robin over them.
const PATHS: usize = 200;

/// A ~30 KB article page in GBK, like a mainland wire's, so charset
/// detection and decoding are part of the cost.
fn page() -> Vec<u8> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fetch/text/zh-Hans.txt"
    ))
    .expect("fixture text");
    let paragraphs: String = text.lines().map(|l| format!("<p>{l}</p>\n")).collect();
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>wire</title></head><body><article>{}</article></body></html>",
        paragraphs.repeat(40)
    );
    encoding_rs::GBK.encode(&html).0.into_owned()
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn run(
    server: &TestServer,
    prefix: &str,
    pages: usize,
    concurrency: usize,
) -> (f64, usize, usize) {
    let config = FetchConfig {
        concurrency,
        per_host_concurrency: concurrency,
        per_host_delay_ms: 0,
        retries: 0,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(&config).expect("fetcher");
    // Warm robots.txt and the connection pool outside the measurement.
    let warm = FetchRequest {
        url: server.url(&format!("{prefix}/0")),
        allow_private: true,
        ..FetchRequest::default()
    };
    fetcher.fetch(&warm).await.expect("warm-up fetch");

    let mark = fetch_support::heap::mark();
    let started = Instant::now();
    let next = std::sync::Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let fetcher = fetcher.clone();
        let next = std::sync::Arc::clone(&next);
        let urls: Vec<String> = (0..PATHS)
            .map(|i| server.url(&format!("{prefix}/{i}")))
            .collect();
        workers.push(tokio::spawn(async move {
            let mut bytes = 0usize;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= pages {
                    return bytes;
                }
                let req = FetchRequest {
                    url: urls[n % PATHS].clone(),
                    allow_private: true,
                    ..FetchRequest::default()
                };
                match fetcher.fetch(&req).await {
                    Ok(FetchResponse::Fetched { doc, .. }) => bytes += doc.text.len(),
                    other => panic!("bench fetch failed: {other:?}"),
                }
            }
        }));
    }
    let mut text_bytes = 0;
    for worker in workers {
        text_bytes += worker.await.expect("worker");
    }
    let secs = started.elapsed().as_secs_f64();
    let peak = fetch_support::heap::peak_since(mark);
    (secs, peak, text_bytes)
}

fn main() {
    let pages: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(3000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let body = page();
        let server = TestServer::start().await;
        // The same bytes, once with the charset in the header and once
        // undeclared (chardetng runs).
        let modes = [("declared", "/d", "text/html; charset=gbk"), ("undeclared", "/u", "text/html")];
        for (_, prefix, content_type) in modes {
            for i in 0..PATHS {
                let reply = Reply::ok(body.clone()).header("Content-Type", content_type);
                server.route(&format!("{prefix}/{i}"), vec![reply]);
            }
        }
        println!(
            "fetch bench: {pages} pages of {} KiB GBK HTML per row, pacing off",
            body.len() / 1024
        );
        println!(
            "| charset | in flight | pages/s | MB/s (decoded) | peak heap Δ | heap per in-flight page | VmHWM |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|");
        // Where the undeclared rows' time goes: charset work alone.
        for (mode, content_type) in [("declared", Some("text/html; charset=gbk")), ("undeclared", None)] {
            let started = Instant::now();
            let rounds = 200;
            for _ in 0..rounds {
                std::hint::black_box(polywire::fetch::charset::decode(&body, content_type));
            }
            let per_page = started.elapsed() / rounds;
            println!("charset::decode alone, {mode}: {per_page:?} per page");
        }
        for (mode, prefix, _) in modes {
            for concurrency in [1, 8, 32, 64] {
                let (secs, peak, text) = run(&server, prefix, pages, concurrency).await;
                println!(
                    "| {mode} | {concurrency} | {:.0} | {:.1} | {} KiB | {} KiB | {} MiB |",
                    pages as f64 / secs,
                    text as f64 / secs / 1e6,
                    peak / 1024,
                    peak / 1024 / concurrency,
                    vm_hwm_kib().unwrap_or(0) / 1024,
                );
            }
        }
    });
}
