//! The extraction-quality metric itself (`extract_quality/mod.rs`, shared
//! by the corpus tests and the bench): tokens, bag scores, snippet counts.

#[path = "extract_quality/mod.rs"]
mod quality;

use quality::*;

#[test]
fn cjk_characters_are_tokens_and_latin_runs_are_words() {
    let text = normalise("Ｈｅｌｌｏ World 2025年，東京タワー 서울!");
    assert_eq!(
        tokens(&text),
        [
            "hello", "world", "2025", "年", "東", "京", "タ", "ワ", "ー", "서", "울"
        ]
    );
}

#[test]
fn bag_score_counts_shared_tokens_once_each() {
    let score = bag_score("a a b c", "a b b");
    // shared: a, b → 2 of 4 extracted, 2 of 3 expected
    assert!((score.precision - 0.5).abs() < 1e-9);
    assert!((score.recall - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(bag_score("", "x").f1, 0.0);
}

#[test]
fn snippets_are_micro_averaged() {
    let mut total = SnippetCounts::default();
    total.add(snippet_counts(
        "The  quick\nbrown fox. Share this!",
        &["quick brown", "lazy dog"],
        &["share this"],
    ));
    assert_eq!(
        total,
        SnippetCounts {
            true_positives: 1,
            false_negatives: 1,
            false_positives: 1
        }
    );
    assert!((total.score().f1 - 0.5).abs() < 1e-9);
}
