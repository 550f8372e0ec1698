//! Hostile input: text shaped to make a careless rule quadratic or loop
//! forever still normalizes, keeping what the rules cannot vouch for.

use jiff::Timestamp;
use polywire::model::{Article, ExtractedArticle};
use polywire::normalize::{NormalizeContext, normalize};

fn run(body: Vec<String>) -> Article {
    let ctx = NormalizeContext {
        source: "test".into(),
        language: "zh-Hans".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: "2025-12-23T18:00:00+08:00".parse::<Timestamp>().unwrap(),
    };
    normalize(
        ExtractedArticle {
            body,
            ..ExtractedArticle::default()
        },
        &ctx,
    )
}

#[test]
fn thousands_of_glued_credits_in_one_paragraph() {
    let a = run(vec!["大会举行。王刚 摄".repeat(20_000)]);
    assert_eq!(a.photographers, ["王刚"]);
    assert_eq!(a.captions, ["大会举行。"]);
    // Only the first few dozen are taken; the rest is left, not lost.
    assert!(a.body.concat().len() > 50_000);
}

#[test]
fn thousands_of_end_markers() {
    let a = run(vec![format!("正文内容。{}", "(完)".repeat(20_000))]);
    assert!(a.body[0].starts_with("正文内容。"));
    assert!(a.body[0].len() < "(完)".len() * 20_000);
}

#[test]
fn a_wall_of_she_and_parentheses() {
    let a = run(vec![
        "摄".repeat(50_000),
        "字(".repeat(50_000),
        "(wǎng)".repeat(50_000),
    ]);
    assert_eq!(a.lang, "zh");
    assert!(a.photographers.is_empty());
    assert_eq!(a.body[0].chars().count(), 50_000);
}
