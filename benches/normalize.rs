//! Micro benchmark of normalization on the CNS seed story (leaks, glued
//! captions, dateline, end marker): the whole call, and its two costliest
//! parts, ruby stripping and the fingerprint (OpenCC folding + SimHash).
//!
//! `cargo bench --bench normalize`

use criterion::{Criterion, criterion_group, criterion_main};
use polywire::normalize::fingerprint::fingerprint;
use polywire::normalize::ruby::strip_all;
use polywire::normalize::{NormalizeContext, normalize, plain_text_story};
use std::hint::black_box;

const SEED: &str = include_str!("../tests/fixtures/normalize/000_44b2adcac121026c.txt");

fn bench(c: &mut Criterion) {
    let ctx = NormalizeContext {
        source: "chinanews".into(),
        language: "zh-Hant".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: "2025-12-23T18:00:00+08:00".parse().expect("timestamp"),
    };
    let story = plain_text_story(SEED);
    // Load the OpenCC dictionaries outside the measurement.
    let clean = normalize(story.clone(), &ctx);

    c.bench_function("normalize seed (7.7 KB zh-Hant)", |b| {
        b.iter(|| normalize(black_box(story.clone()), &ctx))
    });
    c.bench_function("ruby strip_all seed", |b| {
        b.iter(|| {
            let mut texts = story.body.clone();
            strip_all(black_box(&mut texts))
        })
    });
    c.bench_function("fingerprint clean seed body", |b| {
        b.iter(|| fingerprint(black_box(&clean.body)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
