//! Store at scale: fill a database to N stories (default 1,000,000) through
//! the real upsert path (64 stories a transaction, as the pipeline writes),
//! then measure filtered feed queries at p50 / p99, resident memory and
//! database size per story. The newest 10,000 stories share one timestamp
//! (a day-precision wire's backlog), so every walk meets ten thousand ties.
//!
//! ```text
//! cargo bench --bench scale                       # 1,000,000 stories
//! POLYWIRE_BENCH_STORIES=100000 cargo bench --bench scale
//! POLYWIRE_BENCH_DB=/tmp/pw.db cargo bench --bench scale   # reuse a filled db
//! POLYWIRE_BENCH_QUERIES='q= +' cargo bench --bench scale  # only the queries named so, no server
//! ```

mod support;

use jiff::Timestamp;
use polywire::model::{Article, Classification, Tag};
use polywire::store::{FeedQuery, Store};
use std::time::{Duration, Instant};

/// Leaf regions with their rolled-up ancestors, as classification stores them.
const REGIONS: &[&[&str]] = &[
    &["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"],
    &["cn-js-suzhou", "cn-js", "cn-yrd", "cn"],
    &["cn-sh", "cn-yrd", "cn"],
    &["cn-ah-hefei", "cn-ah", "cn-yrd", "cn"],
    &["cn-gd-shenzhen", "cn-gd", "cn-gba", "cn"],
    &["cn-gd-guangzhou", "cn-gd", "cn-gba", "cn"],
    &["cn-hk", "cn-gba", "cn"],
    &["cn-bj", "cn-jjj", "cn"],
    &["cn-sc-chengdu", "cn-sc", "cn-chengyu", "cn"],
    &["jp-13", "jp"],
    &["jp-27", "jp"],
    &["kr-11", "kr"],
    &["us-ca", "us"],
    &["us-ny", "us"],
    &["gb"],
    &["de", "eu"],
    &["fr", "eu"],
    &["sg", "asean"],
    &["vn", "asean"],
    &["in"],
];

const INDUSTRIES: &[&str] = &[
    "biomedicine",
    "healthcare",
    "ai",
    "semiconductors",
    "robotics",
    "automotive",
    "batteries",
    "renewables",
    "energy",
    "digital-economy",
    "telecom",
    "finance",
    "esg",
    "culture-tourism",
    "manufacturing",
    "logistics",
    "agriculture",
    "real-estate",
    "aerospace",
    "education",
    "consumer",
    "materials",
];

const ZH_WORDS: &[&str] = &[
    "产业",
    "创新",
    "发展",
    "医药",
    "生物",
    "芯片",
    "半导体",
    "人工智能",
    "新能源",
    "汽车",
    "电池",
    "企业",
    "市场",
    "政策",
    "投资",
    "合作",
    "长三角",
    "大湾区",
    "数字经济",
    "制造业",
    "物流",
    "港口",
    "金融",
    "绿色",
    "低碳",
    "旅游",
    "文化",
    "科技",
    "研发",
    "平台",
    "项目",
    "会议",
    "协同",
    "区域",
    "增长",
    "规模",
    "突破",
    "亿元",
    "园区",
    "联盟",
];
const EN_WORDS: &[&str] = &[
    "market",
    "company",
    "growth",
    "chip",
    "semiconductor",
    "vaccine",
    "drug",
    "battery",
    "electric",
    "vehicle",
    "investment",
    "policy",
    "bank",
    "trade",
    "port",
    "shipping",
    "solar",
    "wind",
    "power",
    "grid",
    "robot",
    "factory",
    "tourism",
    "carbon",
    "emissions",
    "data",
    "cloud",
    "telecom",
    "satellite",
    "rocket",
    "housing",
];
const JA_WORDS: &[&str] = &[
    "半導体",
    "工場",
    "政府",
    "企業",
    "投資",
    "電池",
    "自動車",
    "観光",
    "銀行",
    "市場",
    "発表",
    "増加",
];
const KO_WORDS: &[&str] = &[
    "반도체",
    "공장",
    "정부",
    "기업",
    "투자",
    "배터리",
    "자동차",
    "관광",
    "은행",
    "시장",
    "발표",
    "증가",
];

fn story(i: u64, rng: &mut fastrand::Rng) -> (Article, Classification) {
    let lang = ["zh", "zh", "en", "ja", "ko"][rng.usize(..5)];
    let (words, sep): (&[&str], &str) = match lang {
        "zh" => (ZH_WORDS, ""),
        "en" => (EN_WORDS, " "),
        "ja" => (JA_WORDS, ""),
        _ => (KO_WORDS, " "),
    };
    let sentence = |rng: &mut fastrand::Rng, n: usize| {
        (0..n)
            .map(|_| words[rng.usize(..words.len())])
            .collect::<Vec<_>>()
            .join(sep)
    };
    let title = sentence(rng, 6);
    let body: Vec<String> = (0..6).map(|_| sentence(rng, 40)).collect();
    let region = REGIONS[rng.usize(..REGIONS.len())];
    let industries: Vec<&str> = (0..1 + rng.usize(..2))
        .map(|_| INDUSTRIES[rng.usize(..INDUSTRIES.len())])
        .collect();
    let tag = |id: &str, primary: bool| Tag {
        id: id.into(),
        score: 0.8,
        primary,
        evidence: Vec::new(),
    };
    // The newest TIES stories share one timestamp, as a day-precision wire
    // storing its backlog does: the walks must not sort them by id.
    let slot = (i as i64).min(tie_from() as i64);
    let published = Timestamp::from_second(1_700_000_000 + slot * 30).unwrap();
    let article = Article {
        url: format!("https://wire{}.example/story/{i}", i % 50),
        source: format!("wire{}", i % 50),
        title,
        lang: lang.into(),
        published: Some(published),
        zone: "Asia/Shanghai".into(),
        summary: body[0].chars().take(120).collect(),
        body,
        fingerprint: rng.u64(..),
        ..Article::default()
    };
    let mut seen = std::collections::HashSet::new();
    let tags = Classification {
        regions: region
            .iter()
            .enumerate()
            .map(|(n, r)| tag(r, n == 0))
            .collect(),
        industries: industries
            .iter()
            .filter(|i| seen.insert(**i))
            .enumerate()
            .map(|(n, i)| tag(i, n == 0))
            .collect(),
        dateline_region: None,
    };
    (article, tags)
}

/// Latencies of one kind of query.
struct Measured {
    name: String,
    p50: Duration,
    p99: Duration,
    cpu_p99: Duration,
    returned: f64,
}

/// A region and every region below it in [`REGIONS`], as the server
/// expands a `primary=true` filter.
/// Stories sharing the newest timestamp.
const TIES: u64 = 10_000;

/// The first story of the tied block, given the store's target size.
fn tie_from() -> u64 {
    std::env::var("POLYWIRE_BENCH_STORIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000u64)
        .saturating_sub(TIES)
}

fn descendants(region: &str) -> Vec<String> {
    let mut out = vec![region.to_string()];
    for group in REGIONS {
        if let Some(at) = group.iter().position(|r| *r == region) {
            for r in &group[..at] {
                if !out.iter().any(|o| o == r) {
                    out.push(r.to_string());
                }
            }
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

fn main() {
    let target: u64 = std::env::var("POLYWIRE_BENCH_STORIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().unwrap();
    let path = std::env::var("POLYWIRE_BENCH_DB")
        .map(Into::into)
        .unwrap_or_else(|_| tmp.path().join("scale.db"));
    let mut store = Store::open(&path).unwrap();
    let have = store.count().unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let fill_start = Instant::now();
    // In transactions of 64, as the pipeline's group commit writes them.
    let mut batch = Vec::with_capacity(64);
    for i in have..target {
        let (article, tags) = story(i, &mut rng);
        batch.push(polywire::store::StoryRow::new(article, tags).unwrap());
        if batch.len() == 64 || i + 1 == target {
            let rows: Vec<_> = batch.iter().map(|row| (row, None)).collect();
            store.upsert_rows(&rows).unwrap();
            batch.clear();
        }
        if i > 0 && i % 100_000 == 0 {
            eprintln!(
                "filled {i} stories ({:.0}/s)",
                (i - have) as f64 / fill_start.elapsed().as_secs_f64()
            );
        }
    }
    let filled = target.saturating_sub(have);
    let fill_rate = filled as f64 / fill_start.elapsed().as_secs_f64().max(1e-9);
    drop(store);

    // A fresh handle, as the server has: memory below is what serving costs.
    let rss_before = rss_kib("VmRSS:");
    let store = Store::open(&path).unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    // Wall time, and this thread's CPU time (what the query costs without
    // the neighbours on a shared machine). The first 20 of each kind warm
    // the page cache and are not counted.
    let only = std::env::var("POLYWIRE_BENCH_QUERIES").ok();
    let mut measure = |name: &str, make: &mut dyn FnMut(&mut fastrand::Rng) -> FeedQuery| {
        if only.as_deref().is_some_and(|only| !name.contains(only)) {
            return None;
        }
        let mut wall = Vec::new();
        let mut cpu = Vec::new();
        let mut returned = 0;
        for round in 0..420 {
            let q = make(&mut rng);
            let (start, cpu_start) = (Instant::now(), support::thread_cpu());
            let n = store.query(&q).unwrap().len();
            let (w, c) = (start.elapsed(), support::thread_cpu() - cpu_start);
            if round >= 20 {
                returned += n;
                wall.push(w);
                cpu.push(c);
            }
        }
        wall.sort();
        cpu.sort();
        Some(Measured {
            name: name.to_string(),
            p50: percentile(&wall, 0.5),
            p99: percentile(&wall, 0.99),
            cpu_p99: percentile(&cpu, 0.99),
            returned: returned as f64 / wall.len() as f64,
        })
    };
    let parents = ["cn-yrd", "cn-gba", "cn", "jp", "eu", "cn-zj", "us"];
    let langs = ["zh", "en", "ja", "ko"];
    let pick = |r: &mut fastrand::Rng, list: &[&str]| list[r.usize(..list.len())].to_string();
    let rows: Vec<Measured> = [
        measure("latest 50", &mut |_| FeedQuery::default()),
        measure("region + industry + lang", &mut |r| FeedQuery {
            regions: vec![pick(r, &parents)],
            industries: vec![pick(r, INDUSTRIES)],
            langs: vec![pick(r, &langs)],
            ..FeedQuery::default()
        }),
        measure("region + two industries + two langs", &mut |r| FeedQuery {
            regions: vec![pick(r, &parents)],
            industries: vec![pick(r, INDUSTRIES), pick(r, INDUSTRIES)],
            langs: vec![pick(r, &langs), pick(r, &langs)],
            ..FeedQuery::default()
        }),
        measure("region + industry, primary=true", &mut |r| {
            let region = pick(r, &parents);
            FeedQuery {
                primary_region_scope: descendants(&region),
                regions: vec![region],
                industries: vec![pick(r, INDUSTRIES)],
                primary_only: true,
                ..FeedQuery::default()
            }
        }),
        // One filter alone: each walks its own index (lang, source) or
        // the time index (since), through the tied newest stories.
        measure("lang only", &mut |r| FeedQuery {
            langs: vec![pick(r, &langs)],
            ..FeedQuery::default()
        }),
        measure("source only", &mut |r| FeedQuery {
            sources: vec![format!("wire{}", r.usize(..50))],
            ..FeedQuery::default()
        }),
        measure("since only", &mut |r| FeedQuery {
            // Anywhere in the stored span: from a few stories to all.
            since: Timestamp::from_second(1_700_000_000 + r.i64(0..=tie_from() as i64) * 30).ok(),
            ..FeedQuery::default()
        }),
        measure("ten thousand ties: lang + source", &mut |r| FeedQuery {
            langs: vec![pick(r, &langs)],
            sources: vec![format!("wire{}", r.usize(..50))],
            since: Timestamp::from_second(1_700_000_000 + tie_from() as i64 * 30).ok(),
            ..FeedQuery::default()
        }),
        measure("q= common CJK word", &mut |r| FeedQuery {
            q: Some(pick(r, ZH_WORDS)),
            ..FeedQuery::default()
        }),
        measure("q= rare CJK phrase (two words)", &mut |r| FeedQuery {
            q: Some(format!("{}{}", pick(r, ZH_WORDS), pick(r, ZH_WORDS))),
            ..FeedQuery::default()
        }),
        measure("q= common English word + lang=en", &mut |r| FeedQuery {
            q: Some(pick(r, EN_WORDS)),
            langs: vec!["en".into()],
            ..FeedQuery::default()
        }),
        measure("q= rare English (three words, all required)", &mut |r| {
            FeedQuery {
                q: Some(format!(
                    "{} {} {}",
                    pick(r, EN_WORDS),
                    pick(r, EN_WORDS),
                    pick(r, EN_WORDS)
                )),
                ..FeedQuery::default()
            }
        }),
        measure("q= + region + industry", &mut |r| FeedQuery {
            q: Some(pick(r, ZH_WORDS)),
            regions: vec![pick(r, &parents)],
            industries: vec![pick(r, INDUSTRIES)],
            ..FeedQuery::default()
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Every feed also reads the store's last change for Last-Modified.
    let mut last_change = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        std::hint::black_box(store.last_change().unwrap());
        last_change.push(start.elapsed());
    }
    last_change.sort();
    let rss_after = rss_kib("VmRSS:");
    let count = store.count().unwrap();
    let bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|m| m.len())
        .sum();

    println!("\n## Store at scale ({count} stories)\n");
    if filled > 0 {
        println!(
            "fill through Store::upsert_rows (64 a transaction): {filled} stories at {fill_rate:.0} stories/s\n"
        );
    }
    println!("| query | p50 | p99 | p99 CPU | stories returned (mean) |\n|---|---|---|---|---|");
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for m in &rows {
        println!(
            "| {} | {:.2} ms | {:.2} ms | {:.2} ms | {:.1} |",
            m.name,
            ms(m.p50),
            ms(m.p99),
            ms(m.cpu_p99),
            m.returned
        );
    }
    println!(
        "| last change (Last-Modified of every feed) | {:.3} ms | {:.3} ms | | |",
        ms(percentile(&last_change, 0.5)),
        ms(percentile(&last_change, 0.99))
    );
    println!("\n| measure | value |\n|---|---|");
    println!(
        "| database size | {:.1} MiB ({:.0} bytes/story) |",
        bytes as f64 / 1048576.0,
        bytes as f64 / count.max(1) as f64
    );
    println!(
        "| resident memory after opening + {} queries | {:.1} MiB (VmRSS; {:.1} MiB before opening) |",
        rows.len() * 420,
        rss_after as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    println!(
        "| peak resident memory of this process | {:.1} MiB (VmHWM, includes the fill) |",
        rss_kib("VmHWM:") as f64 / 1024.0
    );
    drop(store);
    if only.is_none() {
        serve_over(&path);
    }
}

/// `polywire run` over the filled store: its cold start, the latency of
/// whole feed requests (query, render, compression) and its resident
/// memory after serving every named feed and a spread of filtered ones.
fn serve_over(db: &std::path::Path) {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = repo.join("target/release/polywire");
    if !binary.exists() {
        println!("\n(server not measured: build it with `cargo build --release --bin polywire`)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = dir.path().join("polywire.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nlisten = \"127.0.0.1:{port}\"\n[store]\npath = \"{}\"\n[paths]\nsources = \"sources\"\ntaxonomy = \"{}\"\nfeeds = \"{}\"\n[log]\nlevel = \"warn\"\n",
            db.display(),
            repo.join("config/taxonomy").display(),
            repo.join("feeds").display()
        ),
    )
    .unwrap();
    let started = Instant::now();
    let mut server = std::process::Command::new(&binary)
        .args(["run", "--config"])
        .arg(&config)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // One HTTP/1.1 request on a fresh connection: status, body bytes, time.
    let get = |path: &str| -> Option<(u16, usize, Duration)> {
        use std::io::{Read, Write};
        let start = Instant::now();
        let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
        write!(
            conn,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut reply = Vec::new();
        conn.read_to_end(&mut reply).ok()?;
        let took = start.elapsed();
        let head_end = reply.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let status = std::str::from_utf8(&reply[..head_end])
            .ok()?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()?;
        Some((status, reply.len() - head_end, took))
    };
    let mut cold = None;
    while started.elapsed() < Duration::from_secs(120) {
        if get("/healthz").is_some() {
            cold = Some(started.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut paths: Vec<String> = std::fs::read_dir(repo.join("feeds"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".toml")?.to_string();
            Some(stem)
        })
        .flat_map(|name| ["rss", "atom", "json"].map(|ext| format!("/feeds/{name}.{ext}")))
        .collect();
    for region in ["cn-yrd", "cn-gba", "jp", "eu", "us"] {
        for industry in ["biomedicine", "ai", "semiconductors", "finance"] {
            for lang in ["zh", "en", "ja", "ko"] {
                paths.push(format!(
                    "/feed.rss?region={region}&industry={industry}&lang={lang}"
                ));
            }
        }
    }
    for word in ["产业", "芯片", "market", "battery"] {
        paths.push(format!("/feed.atom?q={word}"));
    }
    let mut first = Vec::new();
    let mut again = Vec::new();
    let mut failed = 0;
    for path in &paths {
        match get(path) {
            Some((200, _, took)) => first.push(took),
            _ => failed += 1,
        }
        if let Some((200, _, took)) = get(path) {
            again.push(took);
        }
    }
    first.sort();
    again.sort();
    let flood = distinct_query_flood(&get);
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    let (rss, hwm) = (field("VmRSS:"), field("VmHWM:"));
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("\n### `polywire run` over this store\n");
    println!("| measure | value |\n|---|---|");
    println!(
        "| cold start to first /healthz answer | {} |",
        cold.map_or("did not answer".to_string(), |c| format!("{:.0} ms", ms(c)))
    );
    if !first.is_empty() && !again.is_empty() {
        println!(
            "| whole feed request, rendered ({} feeds{}, brotli) | p50 {:.1} ms, p99 {:.1} ms |",
            first.len(),
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            },
            ms(percentile(&first, 0.5)),
            ms(percentile(&first, 0.99))
        );
        println!(
            "| the same request again, from the cache | p50 {:.1} ms, p99 {:.1} ms |",
            ms(percentile(&again, 0.5)),
            ms(percentile(&again, 0.99))
        );
    }
    println!(
        "| distinct-query renders ({FLOOD_CLIENTS} clients, {}s, 20-item Atom, brotli) | {:.0} rendered/s; {} shed with 503; {} failed |",
        FLOOD_TIME.as_secs(),
        flood.rendered as f64 / FLOOD_TIME.as_secs_f64(),
        flood.shed,
        flood.failed
    );
    println!(
        "| server resident memory after these requests | {rss:.1} MiB (VmRSS; peak {hwm:.1} MiB) |"
    );
}

/// Clients of the distinct-query flood: enough to keep every render
/// permit busy on a small machine.
const FLOOD_CLIENTS: usize = 4;
/// How long the flood lasts.
const FLOOD_TIME: Duration = Duration::from_secs(5);

/// One request's status, body bytes and time; `None` if it failed.
type Answer = Option<(u16, usize, Duration)>;

/// What the server answered during the flood.
struct Flood {
    rendered: u64,
    shed: u64,
    failed: u64,
}

/// Uncached renders a second: [`FLOOD_CLIENTS`] threads ask for 20-item
/// Atom feeds that no one asked for before (each a distinct `since`, as
/// issue 22's wrk run did), so every answer is a query, a render and a
/// brotli compression. Answers beyond the render permits are shed (503)
/// and counted apart.
fn distinct_query_flood(get: &(dyn Fn(&str) -> Answer + Sync)) -> Flood {
    let rendered = std::sync::atomic::AtomicU64::new(0);
    let shed = std::sync::atomic::AtomicU64::new(0);
    let failed = std::sync::atomic::AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for client in 0..FLOOD_CLIENTS {
            let (rendered, shed, failed) = (&rendered, &shed, &failed);
            scope.spawn(move || {
                let mut n: i64 = 0;
                while started.elapsed() < FLOOD_TIME {
                    n += 1;
                    // Distinct across clients and requests, older than the
                    // store's newest stories so every feed has 20 items.
                    let since = Timestamp::from_second(
                        1_600_000_000 + n * FLOOD_CLIENTS as i64 + client as i64,
                    )
                    .unwrap();
                    let path = format!("/feed.atom?lang=en&limit=20&since={since}");
                    let counter = match get(&path) {
                        Some((200, _, _)) => rendered,
                        Some((503, _, _)) => shed,
                        _ => failed,
                    };
                    counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    Flood {
        rendered: rendered.into_inner(),
        shed: shed.into_inner(),
        failed: failed.into_inner(),
    }
}
