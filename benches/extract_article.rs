//! Criterion micro benchmark: one article page through the extractor, the
//! built-in parser alone (tokenize + tree + cleaning), and html5ever (what
//! sources with CSS selectors pay) for comparison.
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
        c.bench_function(&format!("parse + clean {name}"), |b| {
            b.iter(|| {
                let mut dom = article::parse::parse(black_box(&page));
                article::clean::clean(&mut dom);
                dom.nodes.len()
            })
        });
        c.bench_function(&format!("html5ever parse {name}"), |b| {
            b.iter(|| scraper::Html::parse_document(black_box(&page)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
