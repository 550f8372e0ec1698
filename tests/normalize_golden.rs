//! Golden test: the China News Service seed story (leaked pinyin, glued
//! captions and credits, `(完)`) through `plain_text_story` + `normalize`.

use jiff::Timestamp;
use jiff::civil::date;
use polywire::model::{Article, Precision, Script};
use polywire::normalize::{NormalizeContext, normalize, plain_text_story};
use std::path::PathBuf;

const SEED: &str = "000_44b2adcac121026c.txt";

fn fixture() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/normalize")
        .join(SEED);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The shared seed, when the shared folder is present (POLYWIRE_SHARED or ../shared).
fn shared_seed() -> Option<String> {
    let root = std::env::var_os("POLYWIRE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    std::fs::read_to_string(root.join("seed").join(SEED)).ok()
}

fn context() -> NormalizeContext {
    NormalizeContext {
        source: "chinanews".into(),
        language: "zh-Hant".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: "2025-12-23T18:00:00+08:00".parse::<Timestamp>().unwrap(),
    }
}

fn golden() -> Article {
    normalize(plain_text_story(&fixture()), &context())
}

/// Tone-marked vowels: any of them left means pinyin leaked through.
fn has_pinyin(text: &str) -> bool {
    text.chars().any(|c| "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c))
}

#[test]
fn fixture_is_the_shared_seed() {
    if let Some(shared) = shared_seed() {
        assert_eq!(
            shared,
            fixture(),
            "tests/fixtures/normalize/{SEED} drifted from shared/seed"
        );
    }
}

#[test]
fn language_and_script() {
    let a = golden();
    assert_eq!(a.lang, "zh");
    assert_eq!(a.script, Some(Script::Hant));
    assert_eq!(a.source, "chinanews");
    assert_eq!(a.zone, "Asia/Shanghai");
}

#[test]
fn dateline_and_byline() {
    let a = golden();
    let d = a.dateline.expect("dateline");
    assert_eq!(d.agency, "中新網");
    assert_eq!(d.place.as_deref(), Some("杭州"));
    assert_eq!(d.date, Some(date(2025, 12, 23)));
    assert_eq!(d.region, None, "classification fills the region");
    assert_eq!(a.authors, ["王逸飛"]);
    // No published time in a plain-text story: the dateline day, at midnight Beijing time.
    assert_eq!(a.precision, Precision::Day);
    assert_eq!(a.published, Some("2025-12-22T16:00:00Z".parse().unwrap()));
}

#[test]
fn photo_credits_and_captions() {
    let a = golden();
    assert_eq!(a.photographers, ["王剛"]);
    assert_eq!(
        a.captions,
        [
            "2025長三角產業創新發展大會在杭州市錢塘區舉行。",
            "大會現場揭牌成立“生物醫藥創新聯盟”。"
        ]
    );
    assert!(a.editors.is_empty(), "{:?}", a.editors);
}

#[test]
fn body_is_clean() {
    let a = golden();
    let all = a.body.join("\n");
    assert!(!has_pinyin(&all), "pinyin left in body");
    assert!(
        a.captions
            .iter()
            .chain([&a.title, &a.summary])
            .all(|t| !has_pinyin(t)),
        "pinyin left in metadata"
    );
    for gone in ["中新網杭州", "記者 王逸飛", "王剛", "攝", "(完)"] {
        assert!(!all.contains(gone), "{gone} still in body");
    }
    for kept in [
        "中新社(北京)國際傳播集團",
        "(WOYLC)",
        "ESG(環境、社會和治理)",
        "“AI時代生物醫藥的創新與發展”",
    ] {
        assert!(all.contains(kept), "{kept} lost");
    }
    // The lede keeps its own sentence even though a caption repeats it.
    assert!(
        a.body[0].starts_with("23日,2025長三角產業創新發展大會在杭州市錢塘區舉行。本次大會"),
        "{}",
        a.body[0]
    );
    assert_eq!(a.body.iter().filter(|p| p.starts_with("當前")).count(), 1);
    assert!(a.body.iter().any(|p| p.starts_with("為進一步賦能長三角")));
    assert!(
        a.body
            .iter()
            .all(|p| a.captions.iter().all(|c| !p.starts_with(c.as_str())))
    );
    assert_eq!(a.body.len(), 17);
    assert!(
        a.body
            .last()
            .unwrap()
            .ends_with("杭州醫藥港管理辦公室支持。")
    );
}

#[test]
fn summary_and_fingerprint() {
    let a = golden();
    assert!(a.summary.starts_with("23日,2025長三角"), "{}", a.summary);
    assert!(a.summary.chars().count() <= 200);
    assert!(a.summary.ends_with('。'));
    assert_ne!(a.fingerprint, 0);
    // Deterministic: the store compares fingerprints across runs.
    assert_eq!(a.fingerprint, golden().fingerprint);
}

#[test]
#[ignore = "prints the normalized seed for eyeballing"]
fn print_golden() {
    println!("{:#?}", golden());
}
