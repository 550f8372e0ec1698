//! Criterion micro benchmark of classification: one story through the
//! taxonomy matcher and scoring, in Chinese, English and Japanese, taken
//! from the hand-labeled evaluation set (`classify_eval` measures quality
//! and MB/s over the whole set).
//!
//! ```text
//! cargo bench --bench classify
//! ```

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use polywire::classify::eval::load_labeled;
use polywire::classify::{Taxonomy, classify};
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).expect("taxonomy");
    let stories =
        load_labeled(&root.join("tests/fixtures/classify/eval.jsonl")).expect("labeled set");
    let mut group = c.benchmark_group("classify");
    for lang in ["zh", "en", "ja"] {
        // The longest story of the language: the most text to match.
        let Some(story) = stories
            .iter()
            .filter(|s| s.to_article().lang == lang)
            .max_by_key(|s| s.body.iter().map(String::len).sum::<usize>())
        else {
            continue;
        };
        let article = story.to_article();
        let bytes = article.title.len() + article.body.iter().map(String::len).sum::<usize>();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{lang} story ({bytes} bytes)"), |b| {
            b.iter(|| classify(black_box(&article), &taxonomy))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
