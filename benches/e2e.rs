//! End-to-end benchmark: ingest, HTTP load, cold start, and the same work
//! as the Python peers, printed as one table.
//!
//! ```text
//! scripts/bench.sh                                   # with peers (installs them in a venv)
//! cargo build --release --bin polywire && cargo bench --bench e2e   # without peers
//! POLYWIRE_BENCH_PAGES=3000 POLYWIRE_PEERS=target/peers.json cargo bench --bench e2e
//! ```
//!
//! Ingest: a local wire on 127.0.0.1 serves an RSS index of N story pages
//! (corpus articles, original bytes and charsets) and `polywire fetch` takes
//! them all in with pacing off; its peak resident memory is read from
//! /proc while it runs. HTTP: `polywire run` serves that store and this
//! process loads it over loopback with keep-alive clients.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The `polywire` binary under test: the release build, or
/// `POLYWIRE_BENCH_BIN` (to compare two builds in alternating runs).
fn binary() -> PathBuf {
    let path = std::env::var_os("POLYWIRE_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/polywire"));
    assert!(
        path.exists(),
        "build it first: cargo build --release --bin polywire"
    );
    path
}

fn hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Where a page gets its canonical link: right after its `<head …>` tag
/// (0 when it has none).
///
/// The wire serves each corpus page under many URLs; most pages declare
/// their own canonical URL, which is what the store keys stories by, so
/// without a link of its own every copy of a page would collapse into one
/// story. The link goes right after the `<head …>` tag (the extractor takes
/// the first `rel=canonical` in document order, before `og:url`), which
/// keeps the page's own charset declaration well inside the 4 KiB prescan
/// window. Found once per page: the wire shares the two cores with the
/// fetch it serves, and a real wire's work is not the ingest's.
fn canonical_slot(page: &[u8]) -> usize {
    let lower = page.to_ascii_lowercase();
    lower
        .windows(5)
        .position(|w| w == b"<head")
        .filter(|&p| matches!(lower.get(p + 5), Some(b'>' | b' ' | b'\t' | b'\r' | b'\n')))
        .and_then(|p| {
            lower[p..]
                .iter()
                .position(|&b| b == b'>')
                .map(|e| p + e + 1)
        })
        .unwrap_or(0)
}

/// A copy of a page whose first `rel=canonical` link is `canonical`, put
/// at `slot` ([`canonical_slot`]).
fn with_canonical(page: &[u8], slot: usize, canonical: &str) -> Vec<u8> {
    let link = format!("<link rel=\"canonical\" href=\"{canonical}\">");
    let mut out = Vec::with_capacity(page.len() + link.len());
    out.extend_from_slice(&page[..slot]);
    out.extend_from_slice(link.as_bytes());
    out.extend_from_slice(&page[slot..]);
    out
}

/// User + system CPU seconds of this process's waited-for children
/// (`cutime` + `cstime`).
fn children_cpu_secs() -> f64 {
    stat_cpu_secs("/proc/self/stat", [13, 14])
}

/// The sum of two tick counts of a /proc stat file, in seconds; `fields`
/// count from the one after the parenthesised command name (so 11 and 12
/// are `utime` and `stime`, fields 14 and 15 of the whole line).
fn stat_cpu_secs(path: &str, fields: [usize; 2]) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let values: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields
        .iter()
        .filter_map(|&i| values.get(i)?.parse::<f64>().ok())
        .sum();
    ticks / clock_ticks_per_sec()
}

fn clock_ticks_per_sec() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok()?.trim().parse().ok())
        .unwrap_or(100.0)
}

/// Serves the index and the pages from memory; copy `i` of a page is
/// served at `/p/{i}.html` and names that URL as its canonical one.
async fn start_wire(pages: Arc<Vec<Vec<u8>>>, count: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let page_base = base.clone();
    let mut rss = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>bench</title><link>http://bench/</link><description>d</description>",
    );
    for i in 0..count {
        rss.push_str(&format!(
            "<item><title>Story {i}</title><link>{base}/p/{i}.html</link></item>"
        ));
    }
    rss.push_str("</channel></rss>");
    let rss = Arc::new(rss);
    let slots: Arc<Vec<usize>> = Arc::new(pages.iter().map(|p| canonical_slot(p)).collect());
    let app = axum::Router::new()
        .route(
            "/rss.xml",
            axum::routing::get(move || {
                let rss = rss.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/rss+xml")],
                        rss.as_str().to_owned(),
                    )
                }
            }),
        )
        .route(
            "/p/{file}",
            axum::routing::get(
                move |axum::extract::Path(file): axum::extract::Path<String>| {
                    let (pages, slots) = (pages.clone(), slots.clone());
                    let i: usize = file.trim_end_matches(".html").parse().unwrap_or(0);
                    let canonical = format!("{page_base}/p/{i}.html");
                    let page = i % pages.len();
                    async move {
                        (
                            [(axum::http::header::CONTENT_TYPE, "text/html")],
                            with_canonical(&pages[page], slots[page], &canonical),
                        )
                    }
                },
            ),
        );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

fn write_config(dir: &Path, base: &str, listen: &str, count: usize) -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let config = dir.join("polywire.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"{listen}\"\n[store]\npath = \"{db}\"\n[fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nper_host_concurrency = 16\nconcurrency = 16\nretries = 0\n[limits]\nmax_items_per_index = {count}\nmax_stories_per_run = {count}\n[paths]\nsources = \"sources\"\ntaxonomy = \"{tax}\"\nfeeds = \"{feeds}\"\n[log]\nlevel = \"warn\"\n",
            db = dir.join("bench.db").display(),
            tax = repo.join("config/taxonomy").display(),
            feeds = repo.join("feeds").display(),
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("sources/bench.toml"),
        format!("id = \"bench\"\nname = \"Bench\"\nlanguage = \"en\"\ntimezone = \"UTC\"\nschedule = \"0 0 0 1 1 *\"\n[index]\nkind = \"rss\"\nurl = \"{base}/rss.xml\"\n[article]\n"),
    )
    .unwrap();
    config
}

struct Row(String, String, String);

/// A load run: its name, the request headers and the status expected.
type LoadCase = (
    &'static str,
    &'static [(&'static str, &'static str)],
    reqwest::StatusCode,
);

/// What a load run saw.
struct Load {
    /// Answers with the expected status per second.
    per_sec: f64,
    /// Other answers and failures.
    errors: u64,
    /// Mean body bytes per answer, as sent on the wire.
    mean_bytes: f64,
    /// CPU the server process used per answer.
    server_cpu_per_request: Duration,
}

/// `clients` keep-alive clients for `secs`, each sending `headers` and
/// reading whole bodies without decoding them (decompressing a megabyte
/// per answer would make the client the bottleneck, not the server).
async fn load(
    url_for: Arc<dyn Fn(u64) -> String + Send + Sync>,
    headers: &'static [(&'static str, &'static str)],
    expect: reqwest::StatusCode,
    server: u32,
    clients: usize,
    secs: u64,
) -> Load {
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let bytes = Arc::new(AtomicU64::new(0));
    let counter = Arc::new(AtomicU64::new(0));
    let cpu_before = process_cpu_secs(server);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (done, errors, bytes, counter, url_for) = (
            done.clone(),
            errors.clone(),
            bytes.clone(),
            counter.clone(),
            url_for.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .no_gzip()
                .no_brotli()
                .no_deflate()
                .build()
                .unwrap();
            while Instant::now() < deadline {
                let url = url_for(counter.fetch_add(1, Ordering::Relaxed));
                let mut request = client.get(&url);
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                match request.send().await {
                    Ok(resp) if resp.status() == expect => {
                        let body = resp.bytes().await.map(|b| b.len()).unwrap_or(0);
                        bytes.fetch_add(body as u64, Ordering::Relaxed);
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let done = done.load(Ordering::Relaxed);
    let cpu = process_cpu_secs(server) - cpu_before;
    Load {
        per_sec: done as f64 / secs as f64,
        errors: errors.load(Ordering::Relaxed),
        mean_bytes: bytes.load(Ordering::Relaxed) as f64 / done.max(1) as f64,
        server_cpu_per_request: Duration::from_secs_f64(cpu.max(0.0) / done.max(1) as f64),
    }
}

/// User + system CPU seconds a running process has used so far.
fn process_cpu_secs(pid: u32) -> f64 {
    stat_cpu_secs(&format!("/proc/{pid}/stat"), [11, 12])
}

fn main() {
    polywire::fetch::install_crypto_provider();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let count: usize = std::env::var("POLYWIRE_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let pages = Arc::new(support::article_pages());
    // POLYWIRE_BENCH_KEEP=1 leaves the config and the ingested store behind
    // (for profiling `polywire run` or `polywire feed` on them).
    let mut dir = tempfile::tempdir().unwrap();
    if std::env::var("POLYWIRE_BENCH_KEEP").as_deref() == Ok("1") {
        dir.disable_cleanup(true);
        eprintln!("keeping {}", dir.path().display());
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let base = runtime.block_on(start_wire(pages.clone(), count));
    let config = write_config(dir.path(), &base, &listen, count);
    let mut rows = Vec::new();

    // Ingest, end to end through the binary.
    // POLYWIRE_BENCH_WRAP runs the fetch under a profiler, e.g.
    // "perf record -e cpu-clock -g -o target/ingest.perf --" (its memory
    // figure is then the profiler's).
    let wrap: Vec<String> = std::env::var("POLYWIRE_BENCH_WRAP")
        .map(|w| w.split_whitespace().map(String::from).collect())
        .unwrap_or_default();
    let mut fetch = match wrap.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(binary());
            c
        }
        None => Command::new(binary()),
    };
    let cpu_before = children_cpu_secs();
    let start = Instant::now();
    let mut child = fetch
        .args(["fetch", "--config"])
        .arg(&config)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut peak = 0;
    // POLYWIRE_BENCH_TIMELINE=1 prints the fetch's CPU use per 250 ms, to
    // see where a run leaves a core idle.
    let timeline = std::env::var("POLYWIRE_BENCH_TIMELINE").as_deref() == Ok("1");
    let (mut slice_start, mut slice_cpu) = (Instant::now(), 0.0);
    let status = loop {
        peak = peak.max(hwm_kib(child.id()).unwrap_or(0));
        if timeline && slice_start.elapsed() >= Duration::from_millis(250) {
            let cpu = process_cpu_secs(child.id());
            eprintln!(
                "{:6.2} s  {:4.0} % CPU",
                start.elapsed().as_secs_f64(),
                100.0 * (cpu - slice_cpu) / slice_start.elapsed().as_secs_f64()
            );
            (slice_start, slice_cpu) = (Instant::now(), cpu);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let wall = start.elapsed();
    assert!(status.success(), "fetch failed");
    let stored = polywire::store::Store::open(&dir.path().join("bench.db"))
        .unwrap()
        .count()
        .unwrap();
    rows.push(Row(
        "ingest, end to end (`polywire fetch`, pacing off)".into(),
        format!("{:.0} stories/s", stored as f64 / wall.as_secs_f64()),
        format!(
            "{stored} stories in {:.1} s; target ≥ 500/s",
            wall.as_secs_f64()
        ),
    ));
    // Wall time on a shared machine says little; the CPU time the fetch
    // process used says what two idle cores could do.
    let cpu = children_cpu_secs() - cpu_before;
    rows.push(Row(
        "ingest CPU per story (`polywire fetch`, all threads)".into(),
        format!("{:.2} ms", cpu * 1e3 / stored.max(1) as f64),
        format!(
            "{cpu:.1} CPU-s; two idle cores → {:.0} stories/s; target ≤ 4 ms",
            2.0 * stored as f64 / cpu.max(1e-9)
        ),
    ));
    rows.push(Row(
        "ingest peak resident memory".into(),
        format!("{:.1} MiB", peak as f64 / 1024.0),
        "VmHWM of the fetch process".into(),
    ));
    let db_bytes = std::fs::metadata(dir.path().join("bench.db"))
        .map(|m| m.len())
        .unwrap_or(0)
        + std::fs::metadata(dir.path().join("bench.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    rows.push(Row(
        "database size per story (real pages)".into(),
        format!("{:.1} KiB", db_bytes as f64 / stored.max(1) as f64 / 1024.0),
        format!("{stored} stories"),
    ));

    if std::env::var("POLYWIRE_BENCH_ONLY").as_deref() == Ok("ingest") {
        print_table(pages.len(), count, &rows);
        return;
    }

    // Cold start, then HTTP load from this process.
    let start = Instant::now();
    let mut server = Command::new(binary())
        .args(["run", "--config"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let health = format!("http://{listen}/healthz");
    let cold = runtime.block_on(async {
        let client = reqwest::Client::new();
        loop {
            if client.get(&health).send().await.is_ok() {
                return start.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    });
    rows.push(Row(
        "cold start to first /healthz answer".into(),
        format!("{:.0} ms", cold.as_secs_f64() * 1e3),
        "`polywire run` on the ingested store".into(),
    ));
    let server_pid = server.id();
    let cached_url = format!("http://{listen}/feed.rss?limit=50");
    let url = cached_url.clone();
    let etag = runtime.block_on(async {
        let resp = reqwest::get(&url).await.expect("first feed request");
        resp.headers()["etag"].to_str().unwrap().to_string()
    });
    let etag: &'static str = Box::leak(etag.into_boxed_str());
    let cases: [LoadCase; 3] = [
        (
            "cached feed requests, brotli",
            &[("accept-encoding", "gzip, br")],
            reqwest::StatusCode::OK,
        ),
        (
            "cached feed requests, identity",
            &[],
            reqwest::StatusCode::OK,
        ),
        (
            "cached feed requests, conditional (304)",
            Box::leak(Box::new([
                ("if-none-match", etag),
                ("accept-encoding", "gzip, br"),
            ])),
            reqwest::StatusCode::NOT_MODIFIED,
        ),
    ];
    for (name, headers, expect) in cases {
        let url = cached_url.clone();
        let run = runtime.block_on(load(
            Arc::new(move |_| url.clone()),
            headers,
            expect,
            server_pid,
            32,
            10,
        ));
        rows.push(load_row(
            name,
            &run,
            "`/feed.rss?limit=50`; target ≥ 5,000/s",
        ));
    }
    let listen2 = listen.clone();
    let uncached = runtime.block_on(load(
        // A distinct `since` per request: every request misses the render cache.
        Arc::new(move |n| {
            format!(
                "http://{listen2}/feed.atom?lang=en&limit=20&since=2000-01-01T{:02}:{:02}:{:02}Z",
                (n / 3600) % 24,
                (n / 60) % 60,
                n % 60
            )
        }),
        &[("accept-encoding", "gzip, br")],
        reqwest::StatusCode::OK,
        server_pid,
        32,
        10,
    ));
    rows.push(load_row(
        "uncached feed requests (distinct queries)",
        &uncached,
        "`/feed.atom?lang=en&limit=20&since=…`, rendered and compressed each time",
    ));
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();

    // The same work as the peers, in this process, on this thread's CPU
    // clock (scripts/peers.py times the peers on theirs).
    let url = url::Url::parse("https://corpus.example/page.html").unwrap();
    let ours_extract = cpu_secs_per(pages.len(), || {
        for page in pages.iter() {
            let (text, _) = polywire::fetch::charset::decode(page, None);
            std::hint::black_box(polywire::extract::extract_article(&text, &url, None, "UTC"));
        }
    });
    let feed_docs = support::feed_documents();
    let ours_parse = cpu_secs_per(5 * feed_docs.len(), || {
        for _ in 0..5 {
            for doc in &feed_docs {
                let (text, encoding) = polywire::fetch::charset::decode(doc, None);
                let raw = polywire::model::RawDocument {
                    url: url.clone(),
                    content_type: None,
                    text,
                    charset: encoding.name(),
                    fetched_at: jiff::Timestamp::now(),
                };
                let _ = std::hint::black_box(polywire::extract::parse_index(
                    &raw,
                    polywire::config::IndexKind::Rss,
                    None,
                    "UTC",
                ));
            }
        }
    });
    let feed = support::peer_feed();
    let rounds = 200;
    let ours_render = cpu_secs_per(2 * rounds, || {
        for _ in 0..rounds {
            for format in [
                polywire::config::FeedFormat::Rss,
                polywire::config::FeedFormat::Atom,
            ] {
                std::hint::black_box(polywire::emit::render(&feed, format));
            }
        }
    });
    let seed = std::fs::read_to_string(support::corpus().join("../seed/000_44b2adcac121026c.txt"))
        .unwrap();
    let text = seed.repeat((1_000_000 / seed.len()).max(1));
    // The peer's conversion (OpenCC `t2s`), and the one polywire runs on
    // every story (Taiwan phrases and variants first, then `t2s`).
    let mut t2s = opencc_fmmseg::OpenCC::new();
    t2s.set_parallel(false);
    std::hint::black_box(t2s.t2s("臺灣", false));
    let ours_t2s = text.len() as f64
        / cpu_secs_per(3, || {
            for _ in 0..3 {
                std::hint::black_box(t2s.t2s(&text, false));
            }
        })
        / 1e6;
    std::hint::black_box(polywire::normalize::script::to_simplified("臺灣"));
    let ours_tw2sp = text.len() as f64
        / cpu_secs_per(3, || {
            for _ in 0..3 {
                std::hint::black_box(polywire::normalize::script::to_simplified(&text));
            }
        })
        / 1e6;

    let peers: Option<serde_json::Value> = std::env::var("POLYWIRE_PEERS")
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_json::from_str(&t).ok());
    let ratio = |peer: Option<f64>, ours: f64, higher_is_better: bool| match peer {
        Some(p) if higher_is_better => format!("{:.1}×", ours / p),
        Some(p) => format!("{:.1}×", p / ours),
        None => "peer not run".into(),
    };
    let peer = |k: &str| peers.as_ref().and_then(|p| p[k].as_f64());
    rows.push(Row(
        "extraction (corpus pages, charset included)".into(),
        format!("{:.2} ms/page", ours_extract * 1e3),
        format!(
            "trafilatura (CPU time): {} → {} faster; target ≥ 20×",
            peer("trafilatura_cpu_s_per_page")
                .map(|s| format!("{:.1} ms", s * 1e3))
                .unwrap_or("-".into()),
            ratio(peer("trafilatura_cpu_s_per_page"), ours_extract, false)
        ),
    ));
    rows.push(Row(
        "feed parsing (corpus feeds)".into(),
        format!("{:.3} ms/feed", ours_parse * 1e3),
        format!(
            "feedparser: {} → {} faster",
            peer("feedparser_s_per_feed")
                .map(|s| format!("{:.2} ms", s * 1e3))
                .unwrap_or("-".into()),
            ratio(peer("feedparser_s_per_feed"), ours_parse, false)
        ),
    ));
    rows.push(Row(
        "feed rendering (50 items, RSS and Atom)".into(),
        format!("{:.3} ms/feed", ours_render * 1e3),
        format!(
            "feedgen: {} → {} faster (same items, `scripts/peers.py`)",
            peer("feedgen_s_per_feed_of_50")
                .map(|s| format!("{:.2} ms", s * 1e3))
                .unwrap_or("-".into()),
            ratio(peer("feedgen_s_per_feed_of_50"), ours_render, false)
        ),
    ));
    rows.push(Row(
        "script conversion t2s (1 MB prose)".into(),
        format!("{ours_t2s:.1} MB/s"),
        format!(
            "OpenCC (Python) t2s: {} → {}; opencc-fmmseg, as polywire links it",
            peer("opencc_t2s_mb_per_s")
                .map(|s| format!("{s:.1} MB/s"))
                .unwrap_or("-".into()),
            ratio(peer("opencc_t2s_mb_per_s"), ours_t2s, true)
        ),
    ));
    rows.push(Row(
        "script conversion as polywire folds (tw2sp, 1 MB prose)".into(),
        format!("{ours_tw2sp:.1} MB/s"),
        "Taiwan phrases and variants, then t2s: more work than the peer's t2s".into(),
    ));

    print_table(pages.len(), count, &rows);
}

/// CPU seconds of this thread per unit of `work` done `units` times.
fn cpu_secs_per(units: usize, work: impl FnOnce()) -> f64 {
    let start = support::thread_cpu();
    work();
    (support::thread_cpu() - start).as_secs_f64() / units.max(1) as f64
}

fn load_row(name: &str, run: &Load, what: &str) -> Row {
    let cpu_us = run.server_cpu_per_request.as_secs_f64() * 1e6;
    Row(
        name.into(),
        format!("{:.0} req/s", run.per_sec),
        format!(
            "{what}; 32 keep-alive clients, 10 s, {} errors, {:.1} KiB a response; server CPU {cpu_us:.0} µs a request (two idle cores → {:.0}/s)",
            run.errors,
            run.mean_bytes / 1024.0,
            2e6 / cpu_us.max(1e-3)
        ),
    )
}

fn print_table(pages: usize, count: usize, rows: &[Row]) {
    println!("\n## End to end ({pages} corpus pages served as {count} stories)\n");
    println!("| measure | result | notes |\n|---|---|---|");
    for Row(a, b, c) in rows {
        println!("| {a} | {b} | {c} |");
    }
}
