//! The frozen test set (tests/fixtures/classify/test.jsonl): stories nobody
//! tunes on, scored with floors a little under the measured figures (see
//! docs/classification.md), so a regression fails CI. Print the table with
//! `cargo test --test classify_testset -- --nocapture`.

use polywire::classify::Taxonomy;
use polywire::classify::eval::{evaluate, load_labeled};
use polywire::model::TagKind;
use std::collections::BTreeSet;
use std::path::Path;

/// Languages the set covers; each has its own floor.
const LANGS: [&str; 8] = ["de", "en", "es", "fr", "ja", "ko", "zh-Hans", "zh-Hant"];

/// Floors: micro-F1 overall, the lowest language, and the primary-industry
/// accuracy (docs/classification.md gives the measured figures).
const REGION_F1_FLOOR: f64 = 0.83;
const INDUSTRY_F1_FLOOR: f64 = 0.77;
const LANG_F1_FLOOR: f64 = 0.70;
const PRIMARY_FLOOR: f64 = 0.76;

#[test]
fn frozen_test_set_scores_above_the_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::load(&root.join("config/taxonomy")).unwrap();
    let stories = load_labeled(&root.join("tests/fixtures/classify/test.jsonl")).unwrap();
    assert!(stories.len() >= 400, "{} stories", stories.len());
    let real = stories
        .iter()
        .filter(|s| s.classes.iter().any(|c| c == "real"))
        .count();
    assert!(real >= 150, "{real} real stories");
    let langs: BTreeSet<_> = stories.iter().map(|s| s.lang.as_str()).collect();
    assert_eq!(langs.into_iter().collect::<Vec<_>>(), LANGS);
    let report = evaluate(&stories, &taxonomy);
    println!("{}", report.table());
    print!("{}", report.misses_text());
    let regions = report.total(TagKind::Region).f1();
    let industries = report.total(TagKind::Industry).f1();
    assert!(regions >= REGION_F1_FLOOR, "region micro-F1 {regions:.3}");
    assert!(
        industries >= INDUSTRY_F1_FLOOR,
        "industry micro-F1 {industries:.3}"
    );
    for lang in LANGS {
        for kind in [TagKind::Region, TagKind::Industry] {
            let f1 = report.lang_f1(kind, lang);
            assert!(f1 >= LANG_F1_FLOOR, "{lang} {} F1 {f1:.3}", kind.as_str());
        }
    }
    let primary = report.primary_accuracy();
    assert!(primary >= PRIMARY_FLOOR, "primary industry {primary:.3}");
}
