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
//! POLYWIRE_BENCH_BATCH=16 cargo bench --bench stages  # 16 stories a transaction
//! ```
//!
//! On two cores the pipeline runs every stage but the store write on both
//! while one thread writes the store, so the ceiling printed last is
//! `2 / (CPU per story)` when the write's share is below half, else
//! `1 / (write CPU per story)`.

mod support;

use polywire::classify::Taxonomy;
use polywire::store::{Store, StoryRow};
use std::path::Path;
use std::time::Duration;
use support::thread_cpu;

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
    // Stories per store transaction, as the pipeline's group commit makes
    // them when stories wait for the store.
    let batch: usize = std::env::var("POLYWIRE_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).expect("taxonomy");
    let pages = support::article_pages();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("stages.db")).unwrap();
    let ctx = polywire::normalize::NormalizeContext {
        source: "bench".into(),
        language: "en".into(),
        ..polywire::story::context(None, jiff::Timestamp::now())
    };
    // The converter dictionaries and the like load once per process: not
    // a per-story cost.
    let warm = polywire::normalize::script::to_simplified("臺灣");
    std::hint::black_box(warm);

    let stages = [
        "charset",
        "extract",
        "normalize + classify (story::process)",
        "store row (JSON, full-text text)",
        "store write",
    ];
    let mut spent = [Duration::ZERO; 5];
    let mut stored = 0usize;
    let mut waiting: Vec<StoryRow> = Vec::with_capacity(batch);
    for i in 0..count {
        let bytes = &pages[i % pages.len()];
        let url = url::Url::parse(&format!("http://127.0.0.1/p/{i}.html")).unwrap();
        // The fetcher owns the body it read and hands it over, as here.
        let body = bytes.clone();
        let (text, _) = timed(&mut spent[0], || {
            polywire::fetch::charset::decode_owned(body, Some("text/html"))
        });
        let mut page = timed(&mut spent[1], || {
            polywire::extract::extract_article(&text, &url, None, "UTC")
        });
        // Distinct stories, as the bench wire's canonical links make them.
        page.url = url.to_string();
        let (normalized, tags) = timed(&mut spent[2], || {
            polywire::story::process(page, &ctx, &taxonomy)
        });
        // As the pipeline does: the full-text index reuses normalization's
        // folded text instead of converting the story to Simplified again.
        let row = timed(&mut spent[3], || {
            StoryRow::from_normalized(normalized, tags)
        })
        .unwrap();
        waiting.push(row);
        if waiting.len() == batch || i + 1 == count {
            let rows: Vec<_> = waiting.iter().map(|row| (row, None)).collect();
            let outcomes = timed(&mut spent[4], || store.upsert_rows(&rows)).unwrap();
            stored += outcomes
                .iter()
                .filter(|o| matches!(o, polywire::store::Upsert::New(_)))
                .count();
            waiting.clear();
        }
    }
    let total: Duration = spent.iter().sum();
    let per = |d: Duration| d.as_secs_f64() * 1e3 / count as f64;
    println!(
        "\n## CPU per story by stage ({} corpus pages as {count} stories, {stored} stored, \
         {batch} a transaction)\n",
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
