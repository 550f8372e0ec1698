//! Near-duplicate fingerprints: one story in both scripts, or from two
//! wires, lands in one cluster; different stories land in two.

use jiff::Timestamp;
use polywire::model::{Article, ExtractedArticle};
use polywire::normalize::fingerprint::{SAME_STORY_MAX_DISTANCE, fingerprint};
use polywire::normalize::script::{to_simplified, to_traditional};
use polywire::normalize::{
    NormalizeContext, normalize, normalize_story, plain_text_story, same_story,
};
use polywire::store::search::{index_folded, index_text};
use std::path::PathBuf;

fn seed() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/normalize/000_44b2adcac121026c.txt");
    std::fs::read_to_string(path).expect("seed fixture")
}

fn ctx(language: &str) -> NormalizeContext {
    NormalizeContext {
        source: "test".into(),
        language: language.into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: "2025-12-23T18:00:00+08:00".parse::<Timestamp>().unwrap(),
    }
}

fn story(text: &str, language: &str) -> Article {
    normalize(plain_text_story(text), &ctx(language))
}

fn distance(a: &Article, b: &Article) -> u32 {
    (a.fingerprint ^ b.fingerprint).count_ones()
}

/// A different story on a neighbouring subject, in the same wire style.
const OTHER_STORY: &str = "中新网上海12月22日电 (记者 陈静)22日,2025长三角数字经济发展论坛在上海市浦东新区举行。来自沪苏浙皖的专家学者围绕数据要素市场化配置、算力基础设施建设等议题展开讨论。
论坛发布的报告显示,2024年长三角地区数字经济核心产业增加值占地区生产总值比重持续提升,上海、杭州、南京、合肥等城市在集成电路、人工智能等领域形成了较强的产业集群。
上海市经济和信息化委员会相关负责人表示,下一步将加快建设国际数据港,推动公共数据开放共享,支持企业开展数字化转型。
与会专家认为,长三角应进一步打破行政壁垒,推动数据跨区域流通,在标准制定、场景开放和人才培养方面加强协同。(完)";

#[test]
fn one_story_in_both_scripts_is_one_cluster() {
    let original = story(&seed(), "zh-Hant");
    let simplified_text = to_simplified(&seed());
    let simplified = story(&simplified_text, "zh-Hans");
    let traditional = story(&to_traditional(&simplified_text), "zh-Hant");
    assert_eq!(simplified.script, Some(polywire::model::Script::Hans));
    assert_eq!(traditional.script, Some(polywire::model::Script::Hant));
    assert!(
        same_story(simplified.fingerprint, traditional.fingerprint),
        "{}",
        distance(&simplified, &traditional)
    );
    assert!(
        same_story(original.fingerprint, simplified.fingerprint),
        "{}",
        distance(&original, &simplified)
    );
}

#[test]
fn one_story_from_two_wires_is_one_cluster() {
    // A second wire runs the story with its own dateline, no photos, and
    // without the last paragraph.
    let original = story(&seed(), "zh-Hant");
    let mut paragraphs: Vec<String> = original.body.clone();
    paragraphs.pop();
    paragraphs[0] = format!("新華社杭州12月23日電(記者 張三){}", paragraphs[0]);
    let other_wire = normalize(
        ExtractedArticle {
            body: paragraphs,
            ..ExtractedArticle::default()
        },
        &ctx("zh-Hant"),
    );
    assert_eq!(
        other_wire.dateline.as_ref().map(|d| d.agency.as_str()),
        Some("新華社")
    );
    assert!(
        same_story(original.fingerprint, other_wire.fingerprint),
        "{}",
        distance(&original, &other_wire)
    );
}

#[test]
fn different_stories_are_two_clusters() {
    let a = story(&seed(), "zh-Hant");
    let b = story(OTHER_STORY, "zh-Hans");
    assert!(
        !same_story(a.fingerprint, b.fingerprint),
        "{}",
        distance(&a, &b)
    );
    let en1 = fingerprint(&[
        "The Ministry of Civil Affairs said on Monday it would expand elderly care services across the country, adding new subsidies for home care.",
    ]);
    let en2 = fingerprint(&[
        "Shares and bonds in China rallied on Monday after trade tensions between Beijing and Washington eased over the weekend.",
    ]);
    assert!(!same_story(en1, en2), "{}", (en1 ^ en2).count_ones());
}

#[test]
fn threshold_is_the_documented_one() {
    assert!(same_story(0, (1u64 << SAME_STORY_MAX_DISTANCE) - 1));
    assert!(!same_story(0, (1u64 << (SAME_STORY_MAX_DISTANCE + 1)) - 1));
}

/// The story's text is folded once and reused: the fingerprint and the
/// full-text row come out as if each had folded the text itself.
#[test]
fn folded_once_gives_what_folding_each_time_gives() {
    let mut seed_story = plain_text_story(&seed());
    seed_story.title = "長三角產業創新發展大會在滬舉行".into();
    for extracted in [
        seed_story,
        plain_text_story(OTHER_STORY),
        plain_text_story("Chips and 臺灣半導體 news.\nSecond paragraph here."),
    ] {
        let normalized = normalize_story(extracted, &ctx("zh"));
        let article = &normalized.article;
        assert!(!article.body.is_empty());
        assert_ne!(article.fingerprint, 0);
        assert_eq!(article.fingerprint, fingerprint(&article.body));
        assert_eq!(
            index_folded(&normalized.folded_text),
            index_text(&article.title, &article.body)
        );
    }
}

/// Simplified text rewritten as a Taiwan outlet would (Traditional
/// characters and Taiwan vocabulary: 软件 → 軟體).
fn taiwan_phrasing(text: &str) -> String {
    static CONVERTER: std::sync::LazyLock<opencc_fmmseg::OpenCC> =
        std::sync::LazyLock::new(opencc_fmmseg::OpenCC::new);
    CONVERTER.s2twp(text, false)
}

/// Measurement behind `SAME_STORY_MAX_DISTANCE` (run with
/// `POLYWIRE_SHARED=../shared cargo test --test normalize_fingerprint -- --ignored --nocapture`):
/// distances between different corpus stories, and between each story and
/// its variants (other script, a paragraph dropped, the lead dropped).
#[test]
#[ignore = "measurement over the shared corpus"]
fn measure_distances() {
    let root = std::env::var_os("POLYWIRE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared"));
    let index =
        std::fs::read_to_string(root.join("corpus/articles/index.jsonl")).expect("corpus index");
    let mut bodies: Vec<(String, Vec<String>)> = Vec::new();
    for line in index.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        if entry["gt_kind"] != "full" {
            continue;
        }
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root.join("corpus").join(entry["json"].as_str().unwrap()))
                .unwrap(),
        )
        .unwrap();
        let Some(body) = json["body"].as_str() else {
            continue;
        };
        let paragraphs: Vec<String> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        if paragraphs.len() >= 3 {
            bodies.push((entry["lang"].as_str().unwrap().to_string(), paragraphs));
        }
    }
    let prints: Vec<u64> = bodies.iter().map(|(_, p)| fingerprint(p)).collect();
    let mut different: Vec<u32> = Vec::new();
    for i in 0..prints.len() {
        for j in i + 1..prints.len() {
            different.push((prints[i] ^ prints[j]).count_ones());
        }
    }
    different.sort_unstable();
    let mut variants: Vec<(&str, u32)> = Vec::new();
    for ((lang, p), fp) in bodies.iter().zip(&prints) {
        if lang.starts_with("zh") {
            let other: Vec<String> = p.iter().map(|s| to_traditional(s)).collect();
            variants.push(("other script", (fp ^ fingerprint(&other)).count_ones()));
            let taiwan: Vec<String> = p.iter().map(|s| taiwan_phrasing(s)).collect();
            variants.push(("Taiwan phrasing", (fp ^ fingerprint(&taiwan)).count_ones()));
        }
        let mut dropped = p.clone();
        dropped.pop();
        variants.push((
            "last paragraph dropped",
            (fp ^ fingerprint(&dropped)).count_ones(),
        ));
        let lead_dropped = &p[1..];
        variants.push((
            "lead dropped",
            (fp ^ fingerprint(lead_dropped)).count_ones(),
        ));
    }
    println!("stories: {}, pairs: {}", bodies.len(), different.len());
    println!(
        "different stories: min {} p1 {} p5 {} median {}",
        different[0],
        different[different.len() / 100],
        different[different.len() / 20],
        different[different.len() / 2]
    );
    for kind in [
        "other script",
        "Taiwan phrasing",
        "last paragraph dropped",
        "lead dropped",
    ] {
        let mut d: Vec<u32> = variants
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        d.sort_unstable();
        println!(
            "{kind}: n {} median {} p90 {} max {}",
            d.len(),
            d[d.len() / 2],
            d[d.len() * 9 / 10],
            d[d.len() - 1]
        );
    }
}
