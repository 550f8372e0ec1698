//! Each matcher guard as a case that fails without it: trap words and
//! blockers, one-character abbreviations, organization names, acronym case,
//! word boundaries (Latin, Hangul, katakana), context words, dateline places,
//! script folding.

use polywire::classify::eval::load_labeled;
use polywire::classify::{Taxonomy, classify};
use polywire::model::{Article, Classification, Dateline, Field};
use polywire::normalize::script::to_simplified;
use std::path::Path;
use std::sync::LazyLock;

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(|| {
    Taxonomy::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy"))
        .unwrap_or_else(|e| panic!("taxonomy does not load:\n{e}"))
});

fn story(lang: &str, title: &str, body: &[&str]) -> Classification {
    classify(
        &Article {
            title: title.into(),
            lang: lang.into(),
            body: body.iter().map(|s| s.to_string()).collect(),
            ..Article::default()
        },
        &TAXONOMY,
    )
}

fn regions(c: &Classification) -> Vec<&str> {
    c.regions.iter().map(|t| t.id.as_str()).collect()
}

fn industries(c: &Classification) -> Vec<&str> {
    c.industries.iter().map(|t| t.id.as_str()).collect()
}

#[test]
fn pharma_park_is_not_hong_kong() {
    let c = story(
        "zh",
        "杭州醫藥港新增三家創新藥企業",
        &["杭州醫藥港管理辦公室介紹，園區企業已超過一千八百家。"],
    );
    assert!(regions(&c).contains(&"cn-zj-hangzhou"), "{:?}", regions(&c));
    assert!(!regions(&c).contains(&"cn-hk"), "{:?}", regions(&c));
    assert!(!regions(&c).contains(&"hk"), "{:?}", regions(&c));
}

#[test]
fn nanjing_is_jiangsu_not_beijing_and_tokyo_is_japan() {
    let c = story("zh", "南京举办软件博览会", &["东京股市收高。"]);
    let r = regions(&c);
    assert!(
        r.contains(&"cn-js-nanjing") && r.contains(&"cn-js"),
        "{r:?}"
    );
    assert!(!r.contains(&"cn-bj"), "{r:?}");
    let c = story("zh", "东京股市收高", &[]);
    let r = regions(&c);
    assert!(r.contains(&"jp-13") && r.contains(&"jp"), "{r:?}");
    assert!(!r.contains(&"cn-bj"), "{r:?}");
}

#[test]
fn platform_and_typhoon_are_not_taiwan() {
    let c = story(
        "zh",
        "平台经济迎来新规 台风影响沿海",
        &["舞台上的演员在平台上直播。"],
    );
    assert!(!regions(&c).contains(&"tw"), "{:?}", regions(&c));
    assert!(regions(&c).is_empty(), "{:?}", regions(&c));
}

#[test]
fn blockers_stop_aliases_inside_longer_words() {
    // 中山 (a GBA city) inside 中山大学 (a university in Guangzhou).
    let c = story("zh", "中山大学发布新药研究成果", &[]);
    assert!(
        !regions(&c).contains(&"cn-gd-zhongshan"),
        "{:?}",
        regions(&c)
    );
    let c = story("zh", "中山市发布新药研究成果", &[]);
    assert!(
        regions(&c).contains(&"cn-gd-zhongshan"),
        "{:?}",
        regions(&c)
    );
    // The Paris Agreement is not about Paris.
    let c = story("en", "Nations renew Paris Agreement pledges", &[]);
    assert!(!regions(&c).contains(&"fr-paris"), "{:?}", regions(&c));
}

#[test]
fn one_character_abbreviations_count_only_in_compounds() {
    // 沪 alone (the Shanghai index, 沪指) is no evidence for Shanghai.
    let c = story("zh", "沪指收涨 浙企业绩向好 皖北降雨", &[]);
    let r = regions(&c);
    for id in ["cn-sh", "cn-zj", "cn-ah"] {
        assert!(!r.contains(&id), "{id} from a lone abbreviation: {r:?}");
    }
    // Inside a known compound they count.
    let c = story("zh", "沪苏浙皖共建科创走廊", &[]);
    let r = regions(&c);
    assert!(r.contains(&"cn-yrd"), "{r:?}");
    let yrd = c.regions.iter().find(|t| t.id == "cn-yrd").unwrap();
    assert!(
        yrd.evidence
            .iter()
            .any(|e| e.alias == "沪苏浙皖" && e.field == Field::Title)
    );
    // Each abbreviation credits its member at reduced weight: not enough
    // alone, but it adds to other evidence.
    assert!(!r.contains(&"cn-zj"), "{r:?}");
    let c = story("zh", "沪苏浙皖共建科创走廊", &["浙江将牵头建设创新平台。"]);
    let zj = c
        .regions
        .iter()
        .find(|t| t.id == "cn-zj")
        .expect("cn-zj tagged");
    let member = zj.evidence.iter().find(|e| e.alias == "沪苏浙皖").unwrap();
    assert!((member.weight - 0.4).abs() < 1e-5, "{member:?}");
    let c = story("zh", "京津冀协同发展再提速", &[]);
    assert!(regions(&c).contains(&"cn-jjj"), "{:?}", regions(&c));
    let c = story("zh-Hant", "粵港澳攜手推動金融互通", &[]);
    assert!(regions(&c).contains(&"cn-gba"), "{:?}", regions(&c));
}

#[test]
fn abbreviation_counts_as_dateline_place() {
    assert_eq!(TAXONOMY.place_region("沪"), Some("cn-sh"));
    assert_eq!(TAXONOMY.place_region("浙"), Some("cn-zj"));
    assert_eq!(TAXONOMY.place_region("杭州"), Some("cn-zj-hangzhou"));
    assert_eq!(TAXONOMY.place_region("BEIJING"), Some("cn-bj"));
    assert_eq!(
        TAXONOMY.place_region("HANGZHOU, China"),
        Some("cn-zj-hangzhou")
    );
    assert_eq!(TAXONOMY.place_region("서울"), Some("kr-11"));
    assert_eq!(TAXONOMY.place_region("ワシントン"), Some("us-dc"));
    assert_eq!(TAXONOMY.place_region("Atlantis"), None);
}

#[test]
fn dateline_place_is_evidence_and_dateline_region() {
    let article = Article {
        title: "New tariffs announced".into(),
        lang: "en".into(),
        body: vec!["Officials said on Monday the tariffs would start in March.".into()],
        dateline: Some(Dateline {
            agency: "Reuters".into(),
            place: Some("SEOUL".into()),
            ..Dateline::default()
        }),
        ..Article::default()
    };
    let c = classify(&article, &TAXONOMY);
    assert_eq!(c.dateline_region.as_deref(), Some("kr-11"));
    // A dateline alone is where the story was filed, not proof of its topic.
    assert!(!regions(&c).contains(&"kr-11"), "{:?}", regions(&c));
    let article = Article {
        body: vec!["Seoul officials said on Monday the tariffs would start in March.".into()],
        ..article
    };
    let c = classify(&article, &TAXONOMY);
    let seoul = c
        .regions
        .iter()
        .find(|t| t.id == "kr-11")
        .expect("Seoul tagged");
    assert!(seoul.evidence.iter().any(|e| e.field == Field::Dateline));
}

#[test]
fn place_inside_an_organization_name_counts_little() {
    let org = story("zh", "北京大学举办开放日", &[]);
    assert!(!regions(&org).contains(&"cn-bj"), "{:?}", regions(&org));
    let place = story("zh", "北京举办开放日", &[]);
    assert!(regions(&place).contains(&"cn-bj"), "{:?}", regions(&place));
    let org = story("en", "Bank of China reports higher profit", &[]);
    assert!(!regions(&org).contains(&"cn"), "{:?}", regions(&org));
    assert!(industries(&org).contains(&"finance"));
    let place = story("en", "China reports higher profit", &[]);
    assert!(regions(&place).contains(&"cn"), "{:?}", regions(&place));
    let org = story("zh", "中国银行发布三季度业绩", &[]);
    assert!(!regions(&org).contains(&"cn"), "{:?}", regions(&org));
}

#[test]
fn acronyms_match_only_upper_case_standalone() {
    let c = story("en", "Chipmakers bet on AI servers", &[]);
    assert!(industries(&c).contains(&"ai"), "{:?}", industries(&c));
    for title in [
        "Ai Weiwei opens a new exhibition",
        "The chairman said the deal was fair",
        "Let us know what you think",
    ] {
        let c = story("en", title, &[]);
        assert!(
            !industries(&c).contains(&"ai"),
            "{title}: {:?}",
            industries(&c)
        );
        assert!(!regions(&c).contains(&"us"), "{title}: {:?}", regions(&c));
    }
    let c = story("en", "US tariffs hit EV makers", &[]);
    assert!(regions(&c).contains(&"us"), "{:?}", regions(&c));
    assert!(
        industries(&c).contains(&"automotive"),
        "{:?}",
        industries(&c)
    );
    let c = story("en", "New ev charging rules", &[]);
    assert!(
        !industries(&c).contains(&"automotive"),
        "{:?}",
        industries(&c)
    );
    // Acronyms glued to CJK text are still standalone tokens.
    let c = story("zh", "AI赋能生物医药", &[]);
    assert!(industries(&c).contains(&"ai"), "{:?}", industries(&c));
}

#[test]
fn latin_aliases_match_whole_words() {
    let c = story("en", "Market turmoil deepens as Chipotle sales rise", &[]);
    assert!(
        !industries(&c).contains(&"energy"),
        "oil inside turmoil: {:?}",
        industries(&c)
    );
    assert!(
        !industries(&c).contains(&"semiconductors"),
        "chip inside Chipotle: {:?}",
        industries(&c)
    );
    let c = story("en", "Oil and chips lead gains", &[]);
    assert!(industries(&c).contains(&"energy"), "{:?}", industries(&c));
    assert!(
        industries(&c).contains(&"semiconductors"),
        "plural chips: {:?}",
        industries(&c)
    );
    // Lower-case `china` (porcelain) is not China.
    let c = story("en", "Collectors pay record sums for fine china", &[]);
    assert!(!regions(&c).contains(&"cn"), "{:?}", regions(&c));
}

#[test]
fn korean_aliases_start_a_word_and_respect_context() {
    // `이란` after a noun is a particle ("X is ..."), not Iran.
    let c = story("ko", "인생이란 무엇인가", &[]);
    assert!(!regions(&c).contains(&"ir"), "{:?}", regions(&c));
    let c = story("ko", "이란 대통령, 핵 협상 재개 시사", &[]);
    assert!(regions(&c).contains(&"ir"), "{:?}", regions(&c));
    // `수단` is also "means"; Sudan needs African context nearby.
    let c = story("ko", "대중교통 수단 확충 계획 발표", &[]);
    assert!(!regions(&c).contains(&"sd"), "{:?}", regions(&c));
    let c = story("ko", "아프리카 수단 내전 격화", &[]);
    assert!(regions(&c).contains(&"sd"), "{:?}", regions(&c));
}

#[test]
fn katakana_aliases_are_not_part_of_longer_words() {
    let c = story("ja", "アメリカンフットボールの試合", &[]);
    assert!(!regions(&c).contains(&"us"), "{:?}", regions(&c));
    let c = story("ja", "アメリカの景気減速", &[]);
    assert!(regions(&c).contains(&"us"), "{:?}", regions(&c));
    let c = story("ja", "インドネシアで地震", &[]);
    assert!(
        regions(&c).contains(&"id") && !regions(&c).contains(&"in"),
        "{:?}",
        regions(&c)
    );
}

#[test]
fn language_restricted_aliases() {
    // 全国 means "the whole of China" in a Chinese story, "all of Japan" in a Japanese one.
    let c = story("ja", "全国で大雪", &[]);
    assert!(!regions(&c).contains(&"cn"), "{:?}", regions(&c));
    let c = story("zh", "全国秋粮收获过半", &[]);
    assert!(regions(&c).contains(&"cn"), "{:?}", regions(&c));
}

#[test]
fn repeated_mentions_have_diminishing_returns() {
    use polywire::classify::score::BODY_WEIGHT;
    let once = story("en", "", &["Intro.", "Japan said."]);
    assert!(
        !regions(&once).contains(&"jp"),
        "one body mention is not enough"
    );
    let thrice = story(
        "en",
        "",
        &["Intro.", "Japan said. Japan added. Japan warned."],
    );
    let jp = thrice
        .regions
        .iter()
        .find(|t| t.id == "jp")
        .expect("three body mentions tag the story");
    let ev = jp.evidence.iter().find(|e| e.field == Field::Body).unwrap();
    assert_eq!(ev.count, 3);
    assert!(
        (ev.weight - BODY_WEIGHT * (1.0 + 3f32.ln())).abs() < 1e-5,
        "{}",
        ev.weight
    );
    assert!(ev.weight < 3.0 * BODY_WEIGHT);
}

#[test]
fn scores_are_in_range_and_one_primary_per_kind() {
    let stories = load_labeled(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify/eval.jsonl"),
    )
    .unwrap();
    for s in &stories {
        let c = classify(&s.to_article(), &TAXONOMY);
        for tags in [&c.regions, &c.industries] {
            assert!(
                tags.iter().all(|t| (0.0..=1.0).contains(&t.score)),
                "{}",
                s.id
            );
            if !tags.is_empty() {
                assert_eq!(tags.iter().filter(|t| t.primary).count(), 1, "{}", s.id);
                assert!(tags[0].primary, "{}: primary first", s.id);
            }
            assert!(tags.iter().all(|t| !t.evidence.is_empty()), "{}", s.id);
        }
    }
}

#[test]
fn both_scripts_get_the_same_tags() {
    let stories = load_labeled(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/classify/eval.jsonl"),
    )
    .unwrap();
    let mut compared = 0;
    for s in stories.iter().filter(|s| s.lang == "zh-Hant") {
        let hant = s.to_article();
        let hans = Article {
            title: to_simplified(&hant.title),
            body: hant.body.iter().map(|p| to_simplified(p)).collect(),
            dateline: hant.dateline.clone().map(|d| Dateline {
                place: d.place.map(|p| to_simplified(&p)),
                ..d
            }),
            ..hant.clone()
        };
        let (a, b) = (classify(&hant, &TAXONOMY), classify(&hans, &TAXONOMY));
        assert_eq!(regions(&a), regions(&b), "{}", s.id);
        assert_eq!(industries(&a), industries(&b), "{}", s.id);
        compared += 1;
    }
    assert!(compared >= 20);
}
