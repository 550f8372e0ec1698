//! The golden test of the normalization issue: the real China News Service
//! story in `shared/seed` through `polywire inspect`, as a user runs it.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn inspect_seed() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_polywire"))
        .current_dir(root)
        .args([
            "inspect",
            "tests/fixtures/seed/000_44b2adcac121026c.txt",
            "--source",
            "chinanews",
        ])
        .args(["--fetched-at", "2025-12-23T18:00:00+08:00"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_seed_story_comes_out_clean_and_tagged() {
    let v = inspect_seed();
    assert_eq!(v["lang"], "zh");
    assert_eq!(v["script"], "Hant");

    let dateline = &v["dateline"];
    assert_eq!(dateline["agency"], "中新網");
    assert_eq!(dateline["place"], "杭州");
    assert_eq!(dateline["region"], "cn-zj-hangzhou");
    assert_eq!(dateline["date"], "2025-12-23");
    assert_eq!(strings(&v["authors"]), ["王逸飛"]);
    assert_eq!(strings(&v["photographers"]), ["王剛"]);
    assert_eq!(
        strings(&v["captions"]),
        [
            "2025長三角產業創新發展大會在杭州市錢塘區舉行。",
            "大會現場揭牌成立“生物醫藥創新聯盟”。"
        ]
    );

    let body = strings(&v["body"]);
    let all = body.join("\n");
    // No pinyin left anywhere: no Latin letter with a tone mark, no (xxx) after Han.
    assert!(
        !all.chars().any(|c| "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c)),
        "{all}"
    );
    for leak in ["(wǎng)", "(chǎn)", "(yè)", "(dāng)"] {
        assert!(!all.contains(leak));
    }
    assert!(
        all.contains("中新社(北京)國際傳播集團"),
        "legitimate parentheses kept"
    );
    assert!(all.contains("(WOYLC)"));
    assert!(!all.contains("中新網杭州12月23日電"), "dateline removed");
    assert!(!all.contains("記者 王逸飛"), "byline removed");
    assert!(!all.contains("王剛 攝"), "credit removed");
    assert!(!all.contains("(完)"), "end marker removed");
    assert!(
        body[0].starts_with("23日")
            && body[0].contains("2025長三角產業創新發展大會在杭州市錢塘區舉行"),
        "{}",
        body[0]
    );
    assert_eq!(
        body.iter().filter(|p| p.starts_with("當前")).count(),
        1,
        "{body:#?}"
    );
    assert!(
        body.iter().any(|p| p.starts_with("為進一步賦能長三角")),
        "{body:#?}"
    );
    for caption in strings(&v["captions"]) {
        assert!(
            !body.iter().any(|p| p == &caption),
            "caption left as a paragraph"
        );
    }

    let regions = ids(&v["regions"]);
    for region in ["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"] {
        assert!(regions.contains(&region.to_string()), "{regions:?}");
    }
    let industries = ids(&v["industries"]);
    assert_eq!(industries[0], "biomedicine", "{industries:?}");
    for industry in ["ai", "esg", "culture-tourism", "healthcare"] {
        assert!(industries.contains(&industry.to_string()), "{industries:?}");
    }
    // Explanations name what was found.
    assert!(
        !v["industries"][0]["evidence"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}
