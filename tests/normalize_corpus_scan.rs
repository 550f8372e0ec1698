//! Scan (ignored): what normalization takes out of real corpus stories, for
//! eyeballing false positives. `POLYWIRE_SHARED=../shared cargo test
//! --test normalize_corpus_scan -- --ignored --nocapture`.

use jiff::Timestamp;
use polywire::model::ExtractedArticle;
use polywire::normalize::{NormalizeContext, normalize};
use std::path::PathBuf;

#[test]
#[ignore = "prints what normalization removes from the shared corpus"]
fn scan_corpus() {
    let root = std::env::var_os("POLYWIRE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    let index =
        std::fs::read_to_string(root.join("corpus/articles/index.jsonl")).expect("corpus index");
    for line in index.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = root.join("corpus").join(entry["json"].as_str().unwrap());
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let Some(body) = json["body"].as_str() else {
            continue;
        };
        let lang = entry["lang"].as_str().unwrap_or("und");
        let ctx = NormalizeContext {
            source: "scan".into(),
            language: lang.into(),
            timezone: "UTC".into(),
            fetched_at: "2025-06-01T00:00:00Z".parse::<Timestamp>().unwrap(),
        };
        let paragraphs: Vec<String> = body.lines().map(str::to_string).collect();
        let raw_chars: usize = paragraphs
            .iter()
            .map(|p| p.split_whitespace().collect::<String>().chars().count())
            .sum();
        let a = normalize(
            ExtractedArticle {
                body: paragraphs,
                ..ExtractedArticle::default()
            },
            &ctx,
        );
        let kept: usize = a
            .body
            .iter()
            .map(|p| p.split_whitespace().collect::<String>().chars().count())
            .sum();
        let lost = raw_chars.saturating_sub(kept);
        if a.dateline.is_some()
            || !a.captions.is_empty()
            || !a.editors.is_empty()
            || !a.authors.is_empty()
            || lost > 20
            || a.lang != lang.split('-').next().unwrap()
        {
            println!(
                "{} [{lang}->{}] lost {lost}/{raw_chars} dateline {:?} authors {:?} photographers {:?} captions {:?} editors {:?}",
                entry["id"], a.lang, a.dateline, a.authors, a.photographers, a.captions, a.editors
            );
        }
    }
}
