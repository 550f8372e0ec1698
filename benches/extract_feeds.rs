//! Micro benchmarks of feed extraction: the largest corpus feed, every
//! fixture feed, and the lenient date parser.
//!
//! `cargo bench --bench extract_feeds` (reads `../shared/corpus` beside the
//! repository, or `POLYWIRE_CORPUS`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use polywire::config::IndexKind;
use polywire::model::RawDocument;
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    std::env::var_os("POLYWIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

fn doc(path: PathBuf) -> RawDocument {
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    RawDocument {
        url: url::Url::parse("http://127.0.0.1:8080/feed.xml").unwrap(),
        content_type: None,
        text: polywire::fetch::charset::decode(&bytes, None).0,
        charset: "UTF-8",
        fetched_at: jiff::Timestamp::UNIX_EPOCH,
    }
}

fn feeds(c: &mut Criterion) {
    let large = doc(corpus().join("feeds/wellformed/mf/parser/large_rss.xml"));
    let mut group = c.benchmark_group("parse_index");
    group.throughput(Throughput::Bytes(large.text.len() as u64));
    group.bench_function("large_rss (167 KB)", |b| {
        b.iter(|| polywire::extract::parse_index(black_box(&large), IndexKind::Rss, None, "UTC"))
    });
    group.finish();

    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/feeds");
    let docs: Vec<(RawDocument, IndexKind)> = ["formats", "breakage"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(fixtures.join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .map(|p| {
            let kind = if p.to_string_lossy().contains("sitemap") {
                IndexKind::Sitemap
            } else {
                IndexKind::Rss
            };
            (doc(p), kind)
        })
        .collect();
    c.bench_function("every fixture feed", |b| {
        b.iter(|| {
            for (d, kind) in &docs {
                let _ = polywire::extract::parse_index(black_box(d), *kind, None, "Asia/Shanghai");
            }
        })
    });
}

fn dates(c: &mut Criterion) {
    let zone = polywire::extract::dates::source_zone("Asia/Shanghai");
    for raw in [
        "2025-12-23T10:05:00+08:00",
        "Tue, 23 Dec 2025 10:05:00 +0800",
        "2025年12月23日 10:05",
        "mar, 23 dic 2025 03:05:00 CST",
    ] {
        c.bench_function(&format!("parse_date {raw}"), |b| {
            b.iter(|| polywire::extract::dates::parse_date(black_box(raw), &zone))
        });
    }
}

criterion_group!(benches, feeds, dates);
criterion_main!(benches);
