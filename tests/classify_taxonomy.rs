//! The shipped taxonomy loads and covers what it promises; broken taxonomy
//! files give every problem with its file and line.

use polywire::classify::Taxonomy;
use polywire::config::ConfigErrors;
use polywire::model::TagKind;
use std::path::Path;

fn shipped() -> Taxonomy {
    Taxonomy::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy"))
        .unwrap_or_else(|e| panic!("shipped taxonomy does not load:\n{e}"))
}

const MINIMAL_INDUSTRIES: &str = r#"
[[industry]]
id = "ai"
[industry.names]
en = ["artificial intelligence"]
"#;

fn load_with(regions: &str, industries: &str) -> Result<Taxonomy, ConfigErrors> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("regions.toml"), regions).unwrap();
    std::fs::write(dir.path().join("industries.toml"), industries).unwrap();
    Taxonomy::load(dir.path())
}

/// (file name, line, message) of every error.
fn located(errors: &ConfigErrors) -> Vec<(String, usize, String)> {
    errors
        .0
        .iter()
        .map(|e| {
            (
                e.file.file_name().unwrap().to_string_lossy().into_owned(),
                e.line.expect("error has a line"),
                e.message.clone(),
            )
        })
        .collect()
}

#[test]
fn unknown_parent_is_reported_at_its_line() {
    let regions = r#"
[[region]]
id = "cn"
[region.names]
en = ["China"]

[[region]]
id = "cn-zj"
parents = ["cn", "cn-yrdd"]
[region.names]
en = ["Zhejiang"]
"#;
    let errors = located(&load_with(regions, MINIMAL_INDUSTRIES).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    let (file, line, message) = &errors[0];
    assert_eq!((file.as_str(), *line), ("regions.toml", 9));
    assert!(message.contains("unknown parent `cn-yrdd`"), "{message}");
}

#[test]
fn parent_cycle_is_reported() {
    let regions = r#"
[[region]]
id = "a"
parents = ["b"]
[region.names]
en = ["Alpha"]

[[region]]
id = "b"
parents = ["a"]
[region.names]
en = ["Beta"]
"#;
    let errors = located(&load_with(regions, MINIMAL_INDUSTRIES).unwrap_err());
    assert!(!errors.is_empty());
    for (file, line, message) in &errors {
        assert_eq!(file, "regions.toml");
        assert!([3, 9].contains(line), "{line}");
        assert!(message.contains("cycle"), "{message}");
    }
}

#[test]
fn alias_claimed_twice_needs_a_rule() {
    let regions = r#"
[[region]]
id = "ge"
[region.names]
en = ["Georgia"]

[[region]]
id = "us-ga"
[region.names]
en = ["Georgia State", "georgia"]
"#;
    let errors = located(&load_with(regions, MINIMAL_INDUSTRIES).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].1, 10);
    assert!(
        errors[0].2.contains("also claimed by `ge`"),
        "{}",
        errors[0].2
    );

    let with_rule = format!(
        "[[shared_alias]]\nalias = \"Georgia\"\ntags = [\"ge\", \"us-ga\"]\nmode = \"first\"\n{regions}"
    );
    let tax = load_with(&with_rule, MINIMAL_INDUSTRIES).expect("rule resolves the claim");
    assert!(tax.has_region("ge") && tax.has_region("us-ga"));
}

#[test]
fn script_variants_of_one_alias_are_the_same_alias() {
    // 臺灣 and 台湾 fold to the same key: two tags claiming them collide.
    let regions = r#"
[[region]]
id = "tw"
[region.names]
"zh-Hans" = ["台湾"]

[[region]]
id = "cn-tw"
[region.names]
"zh-Hant" = ["臺灣"]
"#;
    let errors = located(&load_with(regions, MINIMAL_INDUSTRIES).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].1, 10);
}

#[test]
fn unknown_keys_and_bad_values_are_located() {
    let regions = r#"
[[region]]
id = "cn"
threshold = 1.5
[region.names]
en = ["China"]
"#;
    let errors = located(&load_with(regions, MINIMAL_INDUSTRIES).unwrap_err());
    assert_eq!(errors[0].1, 4, "{errors:?}");
    let industries = r#"
[[industry]]
id = "ai"
synonyms = ["AI"]
"#;
    let errors = located(&load_with("", industries).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "industries.toml");
    assert_eq!(errors[0].1, 4);
    assert!(errors[0].2.contains("synonyms"), "{}", errors[0].2);
}

#[test]
fn compounds_and_rules_name_known_tags() {
    let regions = r#"
[[compound]]
text = "京津冀"
tags = ["cn-jjj"]

[[region]]
id = "cn"
[region.names]
en = ["China"]
"#;
    let errors = located(&load_with(regions, MINIMAL_INDUSTRIES).unwrap_err());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].1, 2);
    assert!(errors[0].2.contains("unknown tag `cn-jjj`"));
}

#[test]
fn missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Taxonomy::load(dir.path()).unwrap_err();
    assert_eq!(err.0.len(), 2, "{err}");
}

#[test]
fn shipped_taxonomy_covers_every_country_in_five_languages() {
    let tax = shipped();
    let countries: Vec<_> = tax
        .region_ids()
        .filter(|id| id.len() == 2 && *id != "eu")
        .collect();
    assert_eq!(countries.len(), 249, "ISO 3166-1 has 249 codes");
    for id in &countries {
        let def = tax.def(TagKind::Region, id).unwrap();
        for lang in ["en", "zh-Hans", "zh-Hant", "ja", "ko"] {
            assert!(
                def.names.get(lang).is_some_and(|n| !n.is_empty()),
                "{id} lacks {lang}"
            );
        }
    }
    assert_eq!(tax.label("cn", "zh-Hans"), "中国");
    assert_eq!(tax.label("kr", "ko"), "대한민국");
    assert_eq!(tax.label("de", "ja"), "ドイツ");
}

#[test]
fn world_gazetteer_rolls_cities_up_to_subdivision_and_country() {
    let tax = shipped();
    for (city, parent, country) in [
        ("gb-sheffield", "gb-eng", "gb"),
        ("jp-hamamatsu", "jp-22", "jp"),
        ("jp-sendai", "jp-04", "jp"),
        ("kr-cheongju", "kr-43", "kr"),
        ("us-pa-pittsburgh", "us-pa", "us"),
        ("de-berlin", "de-be", "de"),
        ("fr-lyon", "fr", "fr"),
        ("pl-gdansk", "pl", "pl"),
        ("mx-guadalajara", "mx", "mx"),
    ] {
        let up = tax.ancestors(TagKind::Region, city);
        assert!(up.contains(&parent.to_string()), "{city}: {up:?}");
        assert!(up.contains(&country.to_string()), "{city}: {up:?}");
    }
    assert!(
        tax.ancestors(TagKind::Region, "de-koln")
            .contains(&"eu".to_string())
    );
    // Every first-level subdivision of ISO 3166-2, with its local name.
    for (id, name) in [
        ("de-by", "Bayern"),
        ("es-ct", "Catalunya"),
        ("au-vic", "Victoria"),
        ("br-mg", "Minas Gerais"),
    ] {
        let def = tax
            .def(TagKind::Region, id)
            .unwrap_or_else(|| panic!("{id}"));
        assert!(
            def.names.values().flatten().any(|n| n == name),
            "{id}: {:?}",
            def.names
        );
    }
    // Country names in de, fr, es, pt and demonyms (CLDR, i18n-nationality).
    for (lang, name, id) in [
        ("de", "Deutschland", "de"),
        ("es", "Alemania", "de"),
        ("fr", "Royaume-Uni", "gb"),
        ("pt", "Alemanha", "de"),
        ("fr", "allemand", "de"),
        ("es", "brasileño", "br"),
        ("de", "japanische", "jp"),
    ] {
        let def = tax.def(TagKind::Region, id).unwrap();
        assert!(
            def.names
                .get(lang)
                .is_some_and(|v| v.iter().any(|n| n == name)),
            "{id} {lang} {name}: {:?}",
            def.names.get(lang)
        );
    }
}

#[test]
fn shipped_taxonomy_covers_subdivisions_cities_and_economic_regions() {
    let tax = shipped();
    let count = |prefix: &str, dashes: usize| {
        tax.region_ids()
            .filter(|id| id.starts_with(prefix) && id.matches('-').count() == dashes)
            .count()
    };
    assert_eq!(
        count("cn-", 1) - 4,
        34,
        "34 provincial divisions (+ yrd, gba, jjj, chengyu)"
    );
    let numbered = |prefix: &str| {
        tax.region_ids()
            .filter(|id| {
                id.strip_prefix(prefix)
                    .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()))
            })
            .count()
    };
    assert_eq!(numbered("jp-"), 47);
    assert_eq!(numbered("kr-"), 17);
    assert_eq!(
        tax.region_ids()
            .filter(|id| id.starts_with("us-") && id.len() == 5)
            .count(),
        51
    );
    assert_eq!(count("cn-js-", 2), 13);
    assert_eq!(count("cn-zj-", 2), 11);
    assert_eq!(count("cn-ah-", 2), 16);
    assert_eq!(count("cn-he-", 2), 11);
    // Guangdong: 21 prefecture-level cities (GB/T 2260), 9 of them in the GBA.
    assert_eq!(count("cn-gd-", 2), 21);
    assert_eq!(count("tw-", 1), 22, "ISO 3166-2:TW");
    for capital in [
        "cn-ha-zhengzhou",
        "cn-yn-kunming",
        "cn-xz-lhasa",
        "cn-hl-harbin",
    ] {
        assert!(tax.has_region(capital), "{capital}");
    }
    assert_eq!(tax.place_region("台北"), Some("tw-tpe"));
    assert_eq!(tax.place_region("鄭州"), Some("cn-ha-zhengzhou"));
    let yrd = tax.region_descendants("cn-yrd");
    assert!(yrd.contains(&"cn-zj-hangzhou".to_string()) && yrd.contains(&"cn-sh".to_string()));
    // itself, Shanghai and three provinces, 40 cities, 284 county-level divisions (GB/T 2260)
    assert_eq!(yrd.len(), 1 + 4 + 40 + 284);
    let gba = tax.region_descendants("cn-gba");
    assert_eq!(gba.len(), 1 + 9 + 2 + 43, "{gba:?}");
    let jjj = tax.region_descendants("cn-jjj");
    assert_eq!(jjj.len(), 1 + 3 + 11 + 166, "{jjj:?}");
    // county level only inside the four economic regions: Henan's 巩义市 is not listed
    assert_eq!(
        tax.ancestors(TagKind::Region, "cn-zj-huzhou-deqing")
            .iter()
            .filter(|a| *a == "cn-yrd")
            .count(),
        1
    );
    assert!(
        !tax.region_ids()
            .any(|id| id.starts_with("cn-ha-zhengzhou-"))
    );
    assert!(
        tax.region_descendants("eu")
            .contains(&"fr-paris".to_string())
    );
    assert_eq!(
        tax.region_descendants("asean")
            .iter()
            .filter(|id| id.len() == 2)
            .count(),
        11
    );
    assert!(
        tax.ancestors(TagKind::Region, "cn-zj")
            .contains(&"cn-yrd".to_string())
    );
    // The 30 largest cities, by their own id or the subdivision they coincide with.
    for id in [
        "jp-13",
        "in-delhi",
        "cn-sh",
        "br-sao-paulo",
        "mx-mexico-city",
        "eg-cairo",
        "in-mumbai",
        "cn-bj",
        "bd-dhaka",
        "jp-27",
        "us-ny-new-york",
        "pk-karachi",
        "ar-buenos-aires",
        "cn-cq",
        "tr-istanbul",
        "in-kolkata",
        "ph-manila",
        "ng-lagos",
        "br-rio-de-janeiro",
        "cn-tj",
        "cd-kinshasa",
        "cn-gd-guangzhou",
        "us-ca-los-angeles",
        "ru-moscow",
        "cn-gd-shenzhen",
        "pk-lahore",
        "in-bengaluru",
        "fr-paris",
        "co-bogota",
        "id-jakarta",
    ] {
        assert!(tax.has_region(id), "{id}");
    }
    assert_eq!(tax.label("cn-zj-hangzhou", "zh-Hans"), "杭州");
    assert_eq!(tax.label("cn-zj-hangzhou", "zh-TW"), "杭州");
    assert_eq!(
        tax.label("cn-zj-hangzhou", "fr"),
        "Hangzhou",
        "falls back to English"
    );
    assert_eq!(tax.label("no-such-id", "en"), "no-such-id");
}

#[test]
fn shipped_industries_are_the_22_keyed_and_multilingual() {
    let tax = shipped();
    let ids: Vec<_> = tax.industry_ids().collect();
    assert_eq!(
        ids,
        [
            "biomedicine",
            "healthcare",
            "ai",
            "semiconductors",
            "robotics",
            "automotive",
            "batteries",
            "renewables",
            "energy",
            "digital-economy",
            "telecom",
            "finance",
            "esg",
            "culture-tourism",
            "manufacturing",
            "logistics",
            "agriculture",
            "real-estate",
            "aerospace",
            "education",
            "consumer",
            "materials",
        ]
    );
    for id in ids {
        let def = tax.def(TagKind::Industry, id).unwrap();
        let standard = def.standard.as_deref().unwrap_or_default();
        assert!(
            standard.contains("GICS") || standard.contains("ISIC"),
            "{id}: {standard}"
        );
        let aliases: usize = def.names.values().map(Vec::len).sum();
        assert!(aliases >= 15, "{id} has {aliases} aliases");
        for lang in ["en", "zh-Hans", "zh-Hant", "ja", "ko"] {
            assert!(def.names.contains_key(lang), "{id} lacks {lang}");
        }
    }
    assert_eq!(
        tax.label("ai", "en"),
        "artificial intelligence",
        "industry wins over Anguilla"
    );
    assert!(
        tax.industry_descendants("energy")
            .contains(&"renewables".to_string())
    );
}

/// A region filter matches a region and everything below it: over the
/// whole shipped gazetteer, the descendants of every region are exactly the
/// regions that name it among their ancestors (the feed filter's expansion
/// and the classifier's roll-up agree).
#[test]
fn descendants_are_the_regions_that_roll_up_to_them() {
    use std::collections::{BTreeSet, HashMap};
    let taxonomy = Taxonomy::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy"))
        .expect("shipped taxonomy loads");
    let ids: Vec<String> = taxonomy.region_ids().map(str::to_string).collect();
    let mut below: HashMap<String, BTreeSet<String>> = HashMap::new();
    for id in &ids {
        below.entry(id.clone()).or_default().insert(id.clone());
        for ancestor in taxonomy.ancestors(TagKind::Region, id) {
            below.entry(ancestor).or_default().insert(id.clone());
        }
    }
    for id in &ids {
        let found: BTreeSet<String> = taxonomy.region_descendants(id).into_iter().collect();
        assert_eq!(found, below[id], "descendants of {id}");
    }
    assert!(
        below["cn"].len() > 100,
        "China has its provinces and cities below it"
    );
}
