//! Article pages of the development corpus (`shared/corpus/articles`),
//! extracted from their raw bytes and scored with the corpus metric.
//!
//! Each page states the precision and recall floor it must keep, a little
//! under what the extractor measured when the test was written
//! (docs/extraction.md has the whole table). The corpus is found through
//! `POLYWIRE_CORPUS`, else `../shared/corpus` beside the crate.

use polywire::extract::article::{extract, quality};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    let dir = std::env::var_os("POLYWIRE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.join("articles/index.jsonl").is_file(),
        "corpus not found at {} (set POLYWIRE_CORPUS)",
        dir.display()
    );
    dir
}

/// The page's extracted body and its ground truth.
fn extract_page(lang: &str, id: &str) -> (String, Value) {
    let dir = corpus().join("articles").join(lang);
    let bytes = std::fs::read(dir.join(format!("{id}.html"))).expect("page bytes");
    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap())
            .unwrap();
    let url = truth["url"]
        .as_str()
        .and_then(|u| url::Url::parse(u).ok())
        .unwrap_or_else(|| url::Url::parse("https://example.invalid/article").unwrap());
    let (html, _) = polywire::fetch::charset::decode(&bytes, None);
    let article = extract(&html, &url, None, "UTC");
    (article.body.join("\n"), truth)
}

/// Asserts the bag-of-tokens precision and recall of full-body pages.
fn assert_full(lang: &str, pages: &[(&str, f64, f64)]) {
    for &(id, min_precision, min_recall) in pages {
        let (body, truth) = extract_page(lang, id);
        let score = quality::bag_score(&body, truth["body"].as_str().expect("full body"));
        assert!(
            score.precision >= min_precision && score.recall >= min_recall,
            "{lang}/{id}: P {:.3} (floor {min_precision}) R {:.3} (floor {min_recall})\n{body}",
            score.precision,
            score.recall
        );
    }
}

#[test]
fn simplified_chinese_pages_from_gb_and_utf8_sites() {
    assert_full(
        "zh-Hans",
        &[
            ("cwce-0ef8393b", 0.97, 0.97),
            ("cwce-274a65d9", 0.97, 0.93),
            ("cwce-3832838a", 0.93, 0.94),
            ("cwce-c268c1b4", 0.97, 0.97),
            ("np-chinese_article_001", 0.97, 0.97),
            ("rd-qq", 0.93, 0.89),
        ],
    );
}

#[test]
fn english_pages() {
    assert_full(
        "en",
        &[
            // Story paragraphs marked `class="paywall"`, split over ad breaks.
            ("np-wired_001", 0.95, 0.95),
            ("rd-aclu", 0.97, 0.97),
            ("rd-yahoo-2", 0.97, 0.97),
            ("sh-0d46122928b6", 0.97, 0.97),
            ("sh-291a8bf33ee4", 0.97, 0.97),
            ("rd-firefox-nightly-blog", 0.97, 0.68),
        ],
    );
}

#[test]
fn japanese_pages() {
    assert_full(
        "ja",
        &[
            ("rd-yahoo-4", 0.97, 0.97),
            ("sh-85439e26c41c", 0.95, 0.97),
            ("np-japanese_article", 0.70, 0.97),
        ],
    );
}

#[test]
fn korean_page() {
    assert_full("ko", &[("sh-9da36ae4714b", 0.97, 0.97)]);
}

#[test]
fn traditional_chinese_pages_keep_their_snippets() {
    let mut total = quality::SnippetCounts::default();
    for id in ["tw-cna", "tw-ltn", "tw-setn", "tw-udn"] {
        let (body, truth) = extract_page("zh-Hant", id);
        let with: Vec<String> = serde_json::from_value(truth["with"].clone()).unwrap();
        let without: Vec<String> = serde_json::from_value(truth["without"].clone()).unwrap();
        let counts = quality::snippet_counts(&body, &with, &without);
        assert_eq!(
            counts.false_negatives, 0,
            "zh-Hant/{id}: snippet missing from\n{body}"
        );
        assert_eq!(
            counts.false_positives, 0,
            "zh-Hant/{id}: boilerplate kept in\n{body}"
        );
        // The body is the story, not the whole page.
        let score = quality::bag_score(&body, &with.join("\n"));
        assert!(
            score.recall == 1.0 && body.chars().count() < 4000,
            "zh-Hant/{id}: {body}"
        );
        total.add(counts);
    }
    assert_eq!(total.true_positives, 4);
}
