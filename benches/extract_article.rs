//! Criterion micro benchmark: one article page through the extractor, and
//! the html5ever parse alone, to see which share of the time is ours.
//!
//! ```text
//! cargo bench --bench extract_article
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use polywire::extract::article;
use std::hint::black_box;

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

fn bench(c: &mut Criterion) {
    let url = url::Url::parse("https://news.example.cn/a/2025/1223/1.html").unwrap();
    for name in ["boilerplate.html", "metadata.html"] {
        let page = fixture(name);
        c.bench_function(&format!("extract {name}"), |b| {
            b.iter(|| article::extract(black_box(&page), &url, None, "Asia/Shanghai"))
        });
        c.bench_function(&format!("parse only {name}"), |b| {
            b.iter(|| scraper::Html::parse_document(black_box(&page)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
