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
fn one_character_abbreviations_count_only_in_compounds_runs_and_affixes() {
    // 沪 of 沪指 (the Shanghai index) and 皖 of 皖北 are parts of words.
    let c = story("zh", "沪指收涨 皖北降雨", &[]);
    let r = regions(&c);
    for id in ["cn-sh", "cn-ah"] {
        assert!(!r.contains(&id), "{id} from a lone abbreviation: {r:?}");
    }
    // Inside a known compound they count: the compound's own tag at full
    // weight, each member at abbreviation weight.
    let c = story("zh", "沪苏浙皖共建科创走廊", &[]);
    let r = regions(&c);
    assert!(r.contains(&"cn-yrd"), "{r:?}");
    let yrd = c.regions.iter().find(|t| t.id == "cn-yrd").unwrap();
    assert!(
        yrd.evidence
            .iter()
            .any(|e| e.alias == "沪苏浙皖" && e.field == Field::Title)
    );
    let zj = c.regions.iter().find(|t| t.id == "cn-zj").expect("cn-zj");
    let member = zj.evidence.iter().find(|e| e.alias == "沪苏浙皖").unwrap();
    assert!((member.weight - 0.4).abs() < 1e-5, "{member:?}");
    let c = story("zh", "京津冀协同发展再提速", &[]);
    assert!(regions(&c).contains(&"cn-jjj"), "{:?}", regions(&c));
    let c = story("zh-Hant", "粵港澳攜手推動金融互通", &[]);
    assert!(regions(&c).contains(&"cn-gba"), "{:?}", regions(&c));
    // A list of abbreviations no compound names: each member (a run).
    let c = story("zh", "闽粤两省加强合作", &[]);
    let r = regions(&c);
    assert!(r.contains(&"cn-fj") && r.contains(&"cn-gd"), "{r:?}");
    let c = story("ja", "米英独、対ロ制裁を強化", &[]);
    let r = regions(&c);
    for id in ["us", "gb", "de"] {
        assert!(r.contains(&id), "{id}: {r:?}");
    }
    let c = story("ko", "美中日 3국 외교장관 회담", &[]);
    let r = regions(&c);
    for id in ["us", "cn", "jp"] {
        assert!(r.contains(&id), "{id}: {r:?}");
    }
    // In Japanese 日中 before a particle is "daytime", not Japan and China.
    let c = story("ja", "日中は気温が上がる", &[]);
    assert!(!regions(&c).contains(&"cn"), "{:?}", regions(&c));
    // An abbreviation before an affix: 韩资 Korean capital, 台系 Taiwanese.
    let c = story("zh", "韩资企业在烟台投资建厂", &[]);
    assert!(regions(&c).contains(&"kr"), "{:?}", regions(&c));
    let c = story("zh", "台系面板厂布局东南亚", &[]);
    assert!(regions(&c).contains(&"tw"), "{:?}", regions(&c));
    // ... but not inside a word (集中资金: 中 + 资 across two words).
    let c = story("zh", "集中资金支持重点项目", &[]);
    assert!(!regions(&c).contains(&"cn"), "{:?}", regions(&c));
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
fn dateline_place_always_counts() {
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
    let seoul = c
        .regions
        .iter()
        .find(|t| t.id == "kr-11")
        .expect("the dateline place alone tags the story");
    assert!(seoul.evidence.iter().any(|e| e.field == Field::Dateline));
    assert!(regions(&c).contains(&"kr"), "{:?}", regions(&c));
    // Without a dateline nothing guesses a place.
    let c = classify(
        &Article {
            dateline: None,
            ..article
        },
        &TAXONOMY,
    );
    assert!(c.regions.is_empty(), "{:?}", regions(&c));
}

#[test]
fn place_inside_an_organization_name_counts_at_reduced_weight() {
    use polywire::classify::score::TITLE_WEIGHT;
    // An institution named after a place is evidence for it, weaker than
    // the place: enough in a short story, with the rule in the evidence.
    for (lang, title, id) in [
        ("zh", "北京大学举办开放日", "cn-bj"),
        ("en", "Bank of Korea holds rates steady", "kr"),
        ("zh", "浙江大学团队研发新型电池", "cn-zj"),
        ("ja", "東京証券取引所、取引時間を延長", "jp-13"),
    ] {
        let c = story(lang, title, &[]);
        let tag = c
            .regions
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("{title}: {:?}", regions(&c)));
        let org = tag
            .evidence
            .iter()
            .find(|e| e.alias.contains("organization"))
            .unwrap_or_else(|| panic!("{title}: {:?}", tag.evidence));
        assert!(org.weight < TITLE_WEIGHT, "{title}: {org:?}");
    }
    let place = story("zh", "北京举办开放日", &[]);
    let bj = place.regions.iter().find(|t| t.id == "cn-bj").unwrap();
    let org = story("zh", "北京大学举办开放日", &[]);
    let bj_org = org.regions.iter().find(|t| t.id == "cn-bj").unwrap();
    assert!(bj_org.score < bj.score);
    // A place in an organization name mentioned once deep in a long story
    // is not enough.
    let filler = "The company said demand was steady across its markets. ".repeat(40);
    let long = story(
        "en",
        "Profits rise",
        &[&filler, "Analysts at Bank of Korea agreed."],
    );
    assert!(!regions(&long).contains(&"kr"), "{:?}", regions(&long));
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
    // A long story: one later-paragraph mention is a side remark.
    let filler = "The report covered prices, wages and demand in detail. ".repeat(40);
    let once = story("en", "", &[&filler, "Japan said."]);
    assert!(
        !regions(&once).contains(&"jp"),
        "one body mention of a long story is not enough"
    );
    let thrice = story(
        "en",
        "",
        &[&filler, "Japan said. Japan added. Japan warned."],
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
fn short_stories_need_one_mention() {
    // A title and two sentences: one mention anywhere is enough.
    for (title, body, id) in [
        (
            "Exports rise",
            "The company, headquartered in Xi'an, said sales grew.",
            "cn-sn-xian",
        ),
        (
            "数字经济峰会开幕",
            "峰会在厦门举行。来自多国的代表参会。",
            "cn-fj-xiamen",
        ),
        (
            "港口企业获得融资",
            "宁波的一家港口物流企业获得新融资。",
            "cn-zj-ningbo",
        ),
    ] {
        let lang = if title.is_ascii() { "en" } else { "zh" };
        let c = story(lang, title, &[body]);
        assert!(regions(&c).contains(&id), "{title}: {:?}", regions(&c));
    }
    // No place at all: no region (the source's country is never guessed).
    let c = story(
        "en",
        "Shares rise on strong demand",
        &["Investors cheered the results."],
    );
    assert!(c.regions.is_empty(), "{:?}", regions(&c));
}

#[test]
fn ambiguous_place_names_need_context() {
    // Common words at the start of a sentence need another place of the
    // same country; mid-sentence (capitalized) they are names.
    for (title, body, id, expected) in [
        (
            "Reading habits shift to audiobooks",
            "Publishers say listeners buy more audio titles.",
            "gb-reading",
            false,
        ),
        (
            "Reading council approves data centre",
            "The site west of London will open in 2027.",
            "gb-reading",
            true,
        ),
        (
            "Nice weather lifts ice cream sales",
            "Retailers reported strong demand.",
            "fr-nice",
            false,
        ),
        (
            "Nice airport traffic recovers",
            "The French Riviera airport handled 14 million passengers.",
            "fr-nice",
            true,
        ),
        (
            "Mobile payments overtake cash",
            "Card networks said tap-to-pay now leads.",
            "us-al-mobile",
            false,
        ),
        (
            "Port expands container terminal",
            "The terminal in Mobile, Alabama will double capacity.",
            "us-al-mobile",
            true,
        ),
        (
            "Split decision on rates",
            "Policymakers were divided.",
            "hr-split",
            false,
        ),
        (
            "Flooding closes roads",
            "Heavy rain swept through Split on Sunday.",
            "hr-split",
            true,
        ),
        (
            "Bath towels sell out",
            "Shoppers stocked up.",
            "gb-bath",
            false,
        ),
        (
            "Sale of state stake delayed",
            "The ministry said markets were weak.",
            "ma-sale",
            false,
        ),
    ] {
        let c = story("en", title, &[body]);
        assert_eq!(
            regions(&c).contains(&id),
            expected,
            "{title}: {:?}",
            regions(&c)
        );
    }
    // A given name before a surname is a person.
    for title in [
        "Victoria Beckham opens a store",
        "Lincoln Navigator recall widens",
    ] {
        let c = story("en", title, &[]);
        assert!(
            !regions(&c)
                .iter()
                .any(|r| r.starts_with("au-vic") || r.ends_with("lincoln")),
            "{title}: {:?}",
            regions(&c)
        );
    }
    // 新城 (Xincheng, "new town") is a word: no place.
    let c = story("zh", "新城控股销售额同比下降", &[]);
    assert!(c.regions.is_empty(), "{:?}", regions(&c));
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

#[test]
fn industry_phrasings_in_every_language() {
    for (lang, title, id) in [
        ("en", "Chipmaker delays new fab", "semiconductors"),
        (
            "en",
            "Drugmaker wins approval for obesity pill",
            "biomedicine",
        ),
        ("en", "EV maker cuts prices again", "automotive"),
        ("en", "Insurer exits flood-prone state", "finance"),
        ("zh", "芯片厂扩产计划推迟", "semiconductors"),
        ("zh", "冷链物流需求旺盛", "logistics"),
        ("zh", "物流园项目开工建设", "logistics"),
        ("ko", "태양광 설비 보급 확대", "renewables"),
        ("ja", "蓄電池の需要が拡大", "batteries"),
        (
            "de",
            "Arzneimittelhersteller warnen vor Engpässen",
            "biomedicine",
        ),
        ("de", "Versicherer erhöhen die Beiträge", "finance"),
        ("de", "Lieferengpässe bei Batterien", "batteries"),
        ("fr", "Les énergies renouvelables progressent", "renewables"),
        (
            "fr",
            "Le constructeur automobile réduit sa production",
            "automotive",
        ),
        ("es", "La farmacéutica amplía su planta", "biomedicine"),
        ("es", "Suben las ventas de coches eléctricos", "automotive"),
    ] {
        let c = story(lang, title, &[]);
        assert!(
            industries(&c).contains(&id),
            "{title}: {:?}",
            industries(&c)
        );
    }
}

#[test]
fn more_specific_industry_is_primary() {
    // `specializes` in industries.toml, not a special case in code: the
    // generic industry is named more often and would win on weight alone.
    for (title, body, primary) in [
        (
            "New factory to make vaccines",
            "The factory will employ 300 people.",
            "biomedicine",
        ),
        (
            "Factory for battery cells opens",
            "The factory supplies carmakers and factories.",
            "batteries",
        ),
        (
            "Factory to build solar panels",
            "The factory is the region's largest.",
            "renewables",
        ),
        (
            "Chip factory expands",
            "The factory adds a second manufacturing line.",
            "semiconductors",
        ),
    ] {
        let c = story("en", title, &[body]);
        let first = c.industries.first().map(|t| (t.id.as_str(), t.primary));
        assert_eq!(
            first,
            Some((primary, true)),
            "{title}: {:?}",
            industries(&c)
        );
    }
}

#[test]
fn county_of_an_economic_region_rolls_up_to_its_city() {
    // County level exists for the YRD, GBA, JJJ and Chengdu-Chongqing members.
    let c = story("zh-Hans", "德清县一家生物医药企业投产", &[]);
    let r = regions(&c);
    for id in [
        "cn-zj-huzhou-deqing",
        "cn-zj-huzhou",
        "cn-zj",
        "cn-yrd",
        "cn",
    ] {
        assert!(r.contains(&id), "{id} missing in {r:?}");
    }
    let c = story("zh-Hant", "順德區家電企業擴產", &[]);
    assert!(regions(&c).contains(&"cn-gba"), "{:?}", regions(&c));
}

#[test]
fn county_name_two_cities_share_names_neither() {
    // 朝阳区 is a district of Beijing and of Changchun: no county tag, no city.
    let c = story("zh-Hans", "朝阳区一家科技公司完成融资", &[]);
    let r = regions(&c);
    assert!(
        !r.iter()
            .any(|id| id.starts_with("cn-bj") || id.starts_with("cn-jl")),
        "{r:?}"
    );
}
