//! Criterion micro benchmark of feed rendering: the same 50 stories as
//! RSS 2.0, Atom 1.0 and JSON Feed 1.1 (the feed `scripts/peers.py` gives
//! feedgen), and the step before the writers, building feed items from
//! stored corpus stories (HTML sanitizing, taxonomy labels).
//!
//! ```text
//! cargo bench --bench emit
//! ```

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use polywire::classify::{Taxonomy, classify};
use polywire::config::FeedFormat;
use polywire::emit::{FeedItem, render};
use polywire::model::StoredStory;
use polywire::normalize::{NormalizeContext, normalize};
use std::hint::black_box;
use std::path::Path;

/// Fifty corpus articles as the store would hand them to the writers.
fn corpus_stories(taxonomy: &Taxonomy) -> Vec<StoredStory> {
    let ctx = NormalizeContext {
        source: "bench".into(),
        language: "en".into(),
        timezone: "UTC".into(),
        fetched_at: "2025-12-23T10:00:00Z".parse().expect("timestamp"),
    };
    let url = url::Url::parse("https://wire.example/a.html").expect("url");
    support::article_pages()
        .iter()
        .take(50)
        .enumerate()
        .map(|(i, bytes)| {
            let (text, _) = polywire::fetch::charset::decode(bytes, None);
            let article = normalize(
                polywire::extract::extract_article(&text, &url, None, "UTC"),
                &ctx,
            );
            let tags = classify(&article, taxonomy);
            let stored = |tags: &[polywire::model::Tag]| {
                tags.iter()
                    .map(|t| polywire::model::StoredTag {
                        id: t.id.clone(),
                        score: t.score,
                        primary: t.primary,
                    })
                    .collect()
            };
            StoredStory {
                id: i as i64,
                regions: stored(&tags.regions),
                industries: stored(&tags.industries),
                cluster: i as i64,
                first_seen: ctx.fetched_at,
                updated: ctx.fetched_at,
                item_updated: None,
                also_from: Vec::new(),
                article,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let doc = support::peer_feed();
    let mut group = c.benchmark_group("render 50 items (the feedgen feed)");
    for format in [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json] {
        group.bench_function(format.extension(), |b| {
            b.iter(|| render(black_box(&doc), format))
        });
    }
    group.finish();

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).expect("taxonomy");
    let stories = corpus_stories(&taxonomy);
    c.bench_function("feed items from 50 stored corpus stories", |b| {
        b.iter(|| {
            stories
                .iter()
                .map(|s| FeedItem::from_story(black_box(s), &taxonomy, "polywire.example", None))
                .collect::<Vec<_>>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
