//! What several benches share: the corpus and a CPU clock.

#![allow(dead_code)] // each bench uses its own part

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The shared corpus (`POLYWIRE_CORPUS`, else `../shared/corpus`).
pub fn corpus() -> PathBuf {
    std::env::var("POLYWIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// Corpus article pages with ground truth (raw bytes).
pub fn article_pages() -> Vec<Vec<u8>> {
    let index =
        std::fs::read_to_string(corpus().join("articles/index.jsonl")).expect("corpus index");
    index
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| matches!(v["gt_kind"].as_str(), Some("full" | "snippets")))
        .filter_map(|v| std::fs::read(corpus().join(v["html"].as_str()?)).ok())
        .collect()
}

/// Corpus feed documents (raw bytes).
pub fn feed_documents() -> Vec<Vec<u8>> {
    let manifest =
        std::fs::read_to_string(corpus().join("feeds/manifest.jsonl")).expect("feed manifest");
    manifest
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| std::fs::read(corpus().join(v["path"].as_str()?)).ok())
        .collect()
}

/// CPU time this thread has used (`CLOCK_THREAD_CPUTIME_ID`): on a
/// shared machine wall time measures the neighbours too. Exact to the
/// nanosecond, unlike `/proc/thread-self/schedstat`, which only moves at
/// scheduler ticks (4 ms) and so cannot time one query.
pub fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The feed `scripts/peers.py` renders with feedgen, item for item: 50
/// stories with a title, link, summary, an HTML body of twenty sentences,
/// a publication time, an author and two categories.
pub fn peer_feed() -> polywire::emit::FeedDoc {
    use polywire::emit::{Category, CategoryKind, FeedDoc, FeedItem, FeedMeta};
    let body = format!(
        "<p>{}</p>",
        "长三角生物医药产业创新发展大会在杭州举行。".repeat(20)
    );
    let updated: jiff::Timestamp = "2025-12-23T02:59:00Z".parse().expect("timestamp");
    let items = (0..50)
        .map(|i| {
            let published: jiff::Timestamp = format!("2025-12-23T02:{:02}:00Z", i % 60)
                .parse()
                .expect("timestamp");
            let url = format!("https://wire.example/story/{i}");
            FeedItem {
                id: polywire::emit::story_tag_uri("polywire.example", &url),
                url,
                title: format!("Story {i} 长三角生物医药"),
                summary: "杭州医药港汇聚生物医药企业1800余家。".into(),
                content_html: body.clone(),
                published: Some(published),
                updated: published,
                authors: vec!["王逸飞".into()],
                lang: "zh-Hans".into(),
                categories: [
                    ("cn-yrd", CategoryKind::Region),
                    ("biomedicine", CategoryKind::Industry),
                ]
                .into_iter()
                .map(|(term, kind)| Category {
                    kind,
                    term: term.into(),
                    label: term.into(),
                    primary: true,
                })
                .collect(),
                image: None,
                source: "wire".into(),
                also_from: Vec::new(),
            }
        })
        .collect();
    FeedDoc {
        meta: FeedMeta {
            title: "YRD biomedicine".into(),
            description: "Biomedicine in the Yangtze River Delta".into(),
            language: "zh".into(),
            self_url: "https://polywire.example/feeds/yrd-biomedicine.atom".into(),
            home_url: "https://polywire.example/".into(),
            id: "https://polywire.example/feeds/yrd-biomedicine".into(),
            hub: None,
            updated,
            taxonomy_base: "https://polywire.example".into(),
        },
        items,
    }
}
