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

/// CPU time this thread has used, from `/proc/thread-self/schedstat`
/// (Linux): on a shared machine wall time measures the neighbours too.
pub fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .expect("/proc/thread-self/schedstat (Linux) is needed")
}
