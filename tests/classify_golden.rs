//! The golden seed story (CNS, Traditional script with leaked pinyin) gets
//! the regions and industries a reader expects, in both scripts.

use polywire::classify::{Taxonomy, classify};
use polywire::model::{Article, Classification, Dateline, Field};
use polywire::normalize::script::to_simplified;
use std::path::Path;

fn taxonomy() -> Taxonomy {
    Taxonomy::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy"))
        .unwrap_or_else(|e| panic!("taxonomy does not load:\n{e}"))
}

/// The seed as the wire sent it: first line carries the dateline, the rest
/// are paragraphs. The matcher is fed the raw text, pinyin leaks included.
fn seed_article(fold: impl Fn(&str) -> String) -> Article {
    // A copy of shared/seed/000_44b2adcac121026c.txt, raw.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify/seed_000.txt");
    let raw = std::fs::read_to_string(path).expect("seed story");
    let mut lines: Vec<String> = raw
        .lines()
        .map(&fold)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let first = lines.remove(0);
    // Drop the dateline and byline prefix, as normalization does.
    let lead = first
        .split_once(')')
        .map(|(_, rest)| rest.to_string())
        .unwrap_or(first);
    lines.insert(0, lead);
    Article {
        title: fold("2025長三角產業創新發展大會在杭州舉行"),
        lang: "zh".into(),
        body: lines,
        dateline: Some(Dateline {
            agency: fold("中新網"),
            place: Some(fold("杭州")),
            ..Dateline::default()
        }),
        ..Article::default()
    }
}

fn ids(tags: &[polywire::model::Tag]) -> Vec<&str> {
    tags.iter().map(|t| t.id.as_str()).collect()
}

fn check_seed(c: &Classification) {
    let regions = ids(&c.regions);
    for want in ["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"] {
        assert!(
            regions.contains(&want),
            "region {want} missing from {regions:?}"
        );
    }
    assert!(
        !regions.contains(&"cn-hk"),
        "醫藥港 is a pharma park, not Hong Kong: {regions:?}"
    );
    let industries = ids(&c.industries);
    assert_eq!(industries.first(), Some(&"biomedicine"), "{industries:?}");
    assert!(c.industries[0].primary);
    for want in ["ai", "esg", "culture-tourism", "healthcare"] {
        assert!(
            industries.contains(&want),
            "industry {want} missing from {industries:?}"
        );
    }
    assert_eq!(c.dateline_region.as_deref(), Some("cn-zj-hangzhou"));
    for tag in c.regions.iter().chain(&c.industries) {
        assert!(
            (0.0..=1.0).contains(&tag.score),
            "{} score {}",
            tag.id,
            tag.score
        );
        assert!(!tag.evidence.is_empty(), "{} has no evidence", tag.id);
    }
}

#[test]
fn seed_story_gets_expected_regions_and_industries() {
    let tax = taxonomy();
    let c = classify(&seed_article(|s| s.to_string()), &tax);
    eprintln!(
        "{:#?}",
        c.regions
            .iter()
            .map(|t| (&t.id, t.score, t.primary))
            .collect::<Vec<_>>()
    );
    eprintln!(
        "{:#?}",
        c.industries
            .iter()
            .map(|t| (&t.id, t.score, t.primary))
            .collect::<Vec<_>>()
    );
    check_seed(&c);
    let hz = c.regions.iter().find(|t| t.id == "cn-zj-hangzhou").unwrap();
    assert!(hz.evidence.iter().any(|e| e.field == Field::Dateline));
    assert!(
        hz.evidence
            .iter()
            .any(|e| e.field == Field::Lead && e.alias == "杭州")
    );
    let cn = c.regions.iter().find(|t| t.id == "cn").unwrap();
    assert!(
        cn.evidence
            .iter()
            .any(|e| e.field == Field::Child && e.alias == "cn-zj")
    );
}

#[test]
fn seed_story_in_simplified_script_gets_the_same_tags() {
    let tax = taxonomy();
    let hant = classify(&seed_article(|s| s.to_string()), &tax);
    let hans = classify(&seed_article(to_simplified), &tax);
    check_seed(&hans);
    assert_eq!(ids(&hant.regions), ids(&hans.regions));
    assert_eq!(ids(&hant.industries), ids(&hans.industries));
}
