//! Where an ingested story's CPU time goes: every corpus article page
//! through the same stages `polywire fetch` runs (charset decoding,
//! extraction, normalization, classification, the store upsert), one
//! thread, timed by the thread's own CPU clock so that neighbours on a
//! shared machine do not count. The page copies get distinct URLs, as in
//! the end-to-end bench, so every upsert stores a new story.
//!
//! ```text
//! cargo bench --bench stages                         # 2,000 stories
//! POLYWIRE_BENCH_PAGES=10000 cargo bench --bench stages
//! ```
//!
//! On two cores the pipeline runs extraction, normalization and
//! classification on both while one thread writes the store, so the
//! ceiling printed last is `2 / (CPU per story)` when the store's share is
//! below half, else `1 / (store CPU per story)`.

use polywire::classify::{Taxonomy, classify};
use polywire::normalize::{NormalizeContext, normalize};
use polywire::store::Store;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn corpus() -> PathBuf {
    std::env::var("POLYWIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// Corpus article pages with ground truth (raw bytes), as `e2e` serves them.
fn pages() -> Vec<Vec<u8>> {
    let index =
        std::fs::read_to_string(corpus().join("articles/index.jsonl")).expect("corpus index");
    index
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| matches!(v["gt_kind"].as_str(), Some("full" | "snippets")))
        .filter_map(|v| std::fs::read(corpus().join(v["html"].as_str()?)).ok())
        .collect()
}

/// CPU time this thread has used, from `/proc/thread-self/schedstat`.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .expect("/proc/thread-self/schedstat (Linux) is needed")
}

/// Runs `work`, adding the CPU time it took to `total`.
fn timed<T>(total: &mut Duration, work: impl FnOnce() -> T) -> T {
    let start = thread_cpu();
    let out = work();
    *total += thread_cpu() - start;
    out
}

fn main() {
    let count: usize = std::env::var("POLYWIRE_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).expect("taxonomy");
    let pages = pages();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("stages.db")).unwrap();
    let ctx = NormalizeContext {
        source: "bench".into(),
        language: "en".into(),
        timezone: "UTC".into(),
        fetched_at: jiff::Timestamp::now(),
    };
    // The converter dictionaries and the like load once per process: not
    // a per-story cost.
    let warm = polywire::normalize::script::to_simplified("臺灣");
    std::hint::black_box(warm);

    let stages = [
        "charset",
        "extract",
        "normalize",
        "classify",
        "store upsert",
    ];
    let mut spent = [Duration::ZERO; 5];
    let mut stored = 0usize;
    for i in 0..count {
        let bytes = &pages[i % pages.len()];
        let url = url::Url::parse(&format!("http://127.0.0.1/p/{i}.html")).unwrap();
        let (text, _) = timed(&mut spent[0], || {
            polywire::fetch::charset::decode(bytes, Some("text/html"))
        });
        let mut page = timed(&mut spent[1], || {
            polywire::extract::extract_article(&text, &url, None, "UTC")
        });
        // Distinct stories, as the bench wire's canonical links make them.
        page.url = url.to_string();
        let mut article = timed(&mut spent[2], || normalize(page, &ctx));
        let tags = timed(&mut spent[3], || classify(&article, &taxonomy));
        if let Some(dateline) = article.dateline.as_mut() {
            dateline.region = tags.dateline_region.clone();
        }
        let outcome = timed(&mut spent[4], || store.upsert(&article, &tags, None)).unwrap();
        stored += matches!(outcome, polywire::store::Upsert::New(_)) as usize;
    }
    let total: Duration = spent.iter().sum();
    let per = |d: Duration| d.as_secs_f64() * 1e3 / count as f64;
    println!(
        "\n## CPU per story by stage ({} corpus pages as {count} stories, {stored} stored)\n",
        pages.len()
    );
    println!("| stage | CPU per story | share |\n|---|---|---|");
    for (name, d) in stages.iter().zip(spent) {
        println!(
            "| {name} | {:.3} ms | {:.0} % |",
            per(d),
            100.0 * d.as_secs_f64() / total.as_secs_f64()
        );
    }
    println!("| **all stages** | **{:.3} ms** | 100 % |", per(total));
    let store_ms = per(spent[4]);
    let ceiling = (2000.0 / per(total)).min(1000.0 / store_ms);
    println!(
        "\nCeiling on two idle cores (stages on both, the store on one): {ceiling:.0} stories/s \
         (HTTP and the wire's own work not included)."
    );
}
