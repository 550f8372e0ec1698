//! Classification quality and speed: precision, recall and F1 per tag kind
//! and language on the hand-labeled set, then throughput in MB of text per
//! second on one core.
//!
//! `cargo bench --bench classify_eval` (add `-- --misses` to list every
//! disagreement, `-- --set tests/fixtures/classify/test.jsonl` to score the
//! frozen test set instead of the tuning set `eval.jsonl`).

use polywire::classify::eval::{evaluate, load_labeled};
use polywire::classify::{Taxonomy, classify};
use std::path::Path;
use std::time::{Duration, Instant};

/// CPU time this thread has used, from `/proc/thread-self/schedstat` (Linux):
/// on a shared machine wall time measures the neighbours, not the code.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).unwrap_or_else(|e| {
        eprintln!("taxonomy does not load:\n{e}");
        std::process::exit(1);
    });
    let load_time = started.elapsed();
    let args: Vec<String> = std::env::args().collect();
    let set = args
        .iter()
        .position(|a| a == "--set")
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || root.join("tests/fixtures/classify/eval.jsonl"),
            |p| root.join(p),
        );
    let stories = load_labeled(&set).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1);
    });
    let report = evaluate(&stories, &taxonomy);
    println!(
        "classification quality: {} stories, {} labeled-set bytes\n",
        report.stories, report.bytes
    );
    print!("{}", report.table());
    if args.iter().any(|a| a == "--misses") {
        println!();
        print!("{}", report.misses_text());
    }

    // Throughput: classify the whole set repeatedly for at least 3 s.
    let articles: Vec<_> = stories.iter().map(|s| s.to_article()).collect();
    let mut rounds = 0u32;
    let mut tags = 0usize;
    let t0 = Instant::now();
    let cpu0 = thread_cpu();
    while t0.elapsed() < Duration::from_secs(3) || rounds < 3 {
        for article in &articles {
            let c = classify(article, &taxonomy);
            tags += c.regions.len() + c.industries.len();
        }
        rounds += 1;
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = cpu0.zip(thread_cpu()).map(|(a, b)| (b - a).as_secs_f64());
    let secs = cpu.unwrap_or(wall);
    // The script converter alone, for comparison.
    let texts: Vec<String> = stories
        .iter()
        .map(|s| format!("{}\n{}", s.title, s.body.join("\n")))
        .collect();
    let t1 = Instant::now();
    let cpu1 = thread_cpu();
    let mut converted = 0usize;
    for _ in 0..10 {
        for t in &texts {
            converted += polywire::normalize::script::to_simplified(t).len();
        }
    }
    println!(
        "to_simplified alone: {:.1} MB/s ({} bytes out)",
        (report.bytes as f64 * 10.0)
            / 1e6
            / cpu1
                .zip(thread_cpu())
                .map_or(t1.elapsed().as_secs_f64(), |(a, b)| (b - a).as_secs_f64()),
        converted
    );
    let mb = (report.bytes as f64 * f64::from(rounds)) / 1e6;
    println!(
        "\nthroughput: {:.1} MB/s per core ({} rounds of {} stories, {:.1} MB in {:.2} s of CPU time, {:.2} s wall, {} tags); taxonomy load + matcher build {:.0} ms, matchers {:.1} MB",
        mb / secs,
        rounds,
        articles.len(),
        mb,
        secs,
        wall,
        tags,
        load_time.as_secs_f64() * 1e3,
        taxonomy.matcher_memory() as f64 / 1e6
    );
}
