//! Store at scale: fill a database to N stories (default 1,000,000) through
//! the real upsert path, then measure filtered feed queries at p50 / p99,
//! resident memory and database size per story.
//!
//! ```text
//! cargo bench --bench scale                       # 1,000,000 stories
//! POLYWIRE_BENCH_STORIES=100000 cargo bench --bench scale
//! POLYWIRE_BENCH_DB=/tmp/pw.db cargo bench --bench scale   # reuse a filled db
//! ```

use jiff::Timestamp;
use polywire::model::{Article, Classification, Tag};
use polywire::store::{FeedQuery, Store};
use std::time::{Duration, Instant};

/// Leaf regions with their rolled-up ancestors, as classification stores them.
const REGIONS: &[&[&str]] = &[
    &["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"],
    &["cn-js-suzhou", "cn-js", "cn-yrd", "cn"],
    &["cn-sh", "cn-yrd", "cn"],
    &["cn-ah-hefei", "cn-ah", "cn-yrd", "cn"],
    &["cn-gd-shenzhen", "cn-gd", "cn-gba", "cn"],
    &["cn-gd-guangzhou", "cn-gd", "cn-gba", "cn"],
    &["cn-hk", "cn-gba", "cn"],
    &["cn-bj", "cn-jjj", "cn"],
    &["cn-sc-chengdu", "cn-sc", "cn-chengyu", "cn"],
    &["jp-13", "jp"],
    &["jp-27", "jp"],
    &["kr-11", "kr"],
    &["us-ca", "us"],
    &["us-ny", "us"],
    &["gb"],
    &["de", "eu"],
    &["fr", "eu"],
    &["sg", "asean"],
    &["vn", "asean"],
    &["in"],
];

const INDUSTRIES: &[&str] = &[
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
];

const ZH_WORDS: &[&str] = &[
    "产业",
    "创新",
    "发展",
    "医药",
    "生物",
    "芯片",
    "半导体",
    "人工智能",
    "新能源",
    "汽车",
    "电池",
    "企业",
    "市场",
    "政策",
    "投资",
    "合作",
    "长三角",
    "大湾区",
    "数字经济",
    "制造业",
    "物流",
    "港口",
    "金融",
    "绿色",
    "低碳",
    "旅游",
    "文化",
    "科技",
    "研发",
    "平台",
    "项目",
    "会议",
    "协同",
    "区域",
    "增长",
    "规模",
    "突破",
    "亿元",
    "园区",
    "联盟",
];
const EN_WORDS: &[&str] = &[
    "market",
    "company",
    "growth",
    "chip",
    "semiconductor",
    "vaccine",
    "drug",
    "battery",
    "electric",
    "vehicle",
    "investment",
    "policy",
    "bank",
    "trade",
    "port",
    "shipping",
    "solar",
    "wind",
    "power",
    "grid",
    "robot",
    "factory",
    "tourism",
    "carbon",
    "emissions",
    "data",
    "cloud",
    "telecom",
    "satellite",
    "rocket",
    "housing",
];
const JA_WORDS: &[&str] = &[
    "半導体",
    "工場",
    "政府",
    "企業",
    "投資",
    "電池",
    "自動車",
    "観光",
    "銀行",
    "市場",
    "発表",
    "増加",
];
const KO_WORDS: &[&str] = &[
    "반도체",
    "공장",
    "정부",
    "기업",
    "투자",
    "배터리",
    "자동차",
    "관광",
    "은행",
    "시장",
    "발표",
    "증가",
];

fn story(i: u64, rng: &mut fastrand::Rng) -> (Article, Classification) {
    let lang = ["zh", "zh", "en", "ja", "ko"][rng.usize(..5)];
    let (words, sep): (&[&str], &str) = match lang {
        "zh" => (ZH_WORDS, ""),
        "en" => (EN_WORDS, " "),
        "ja" => (JA_WORDS, ""),
        _ => (KO_WORDS, " "),
    };
    let sentence = |rng: &mut fastrand::Rng, n: usize| {
        (0..n)
            .map(|_| words[rng.usize(..words.len())])
            .collect::<Vec<_>>()
            .join(sep)
    };
    let title = sentence(rng, 6);
    let body: Vec<String> = (0..6).map(|_| sentence(rng, 40)).collect();
    let region = REGIONS[rng.usize(..REGIONS.len())];
    let industries: Vec<&str> = (0..1 + rng.usize(..2))
        .map(|_| INDUSTRIES[rng.usize(..INDUSTRIES.len())])
        .collect();
    let tag = |id: &str, primary: bool| Tag {
        id: id.into(),
        score: 0.8,
        primary,
        evidence: Vec::new(),
    };
    let published = Timestamp::from_second(1_700_000_000 + (i as i64) * 30).unwrap();
    let article = Article {
        url: format!("https://wire{}.example/story/{i}", i % 50),
        source: format!("wire{}", i % 50),
        title,
        lang: lang.into(),
        published: Some(published),
        zone: "Asia/Shanghai".into(),
        summary: body[0].chars().take(120).collect(),
        body,
        fingerprint: rng.u64(..),
        ..Article::default()
    };
    let mut seen = std::collections::HashSet::new();
    let tags = Classification {
        regions: region
            .iter()
            .enumerate()
            .map(|(n, r)| tag(r, n == 0))
            .collect(),
        industries: industries
            .iter()
            .filter(|i| seen.insert(**i))
            .enumerate()
            .map(|(n, i)| tag(i, n == 0))
            .collect(),
        dateline_region: None,
    };
    (article, tags)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse()
                    .unwrap_or(0)
            })
        })
        .unwrap_or(0)
}

fn main() {
    let target: u64 = std::env::var("POLYWIRE_BENCH_STORIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let tmp = tempfile::tempdir().unwrap();
    let path = std::env::var("POLYWIRE_BENCH_DB")
        .map(Into::into)
        .unwrap_or_else(|_| tmp.path().join("scale.db"));
    let mut store = Store::open(&path).unwrap();
    let have = store.count().unwrap();
    let mut rng = fastrand::Rng::with_seed(7);
    let fill_start = Instant::now();
    for i in have..target {
        let (article, tags) = story(i, &mut rng);
        store.upsert(&article, &tags, None).unwrap();
        if i > 0 && i % 100_000 == 0 {
            eprintln!(
                "filled {i} stories ({:.0}/s)",
                (i - have) as f64 / fill_start.elapsed().as_secs_f64()
            );
        }
    }
    let filled = target.saturating_sub(have);
    let fill_rate = filled as f64 / fill_start.elapsed().as_secs_f64().max(1e-9);
    drop(store);

    // A fresh handle, as the server has: memory below is what serving costs.
    let rss_before = rss_kib("VmRSS:");
    let store = Store::open(&path).unwrap();
    let mut rng = fastrand::Rng::with_seed(11);
    let mut measure = |name: &str, make: &mut dyn FnMut(&mut fastrand::Rng) -> FeedQuery| {
        let mut times = Vec::new();
        let mut returned = 0;
        for _ in 0..400 {
            let q = make(&mut rng);
            let start = Instant::now();
            returned += store.query(&q).unwrap().len();
            times.push(start.elapsed());
        }
        times.sort();
        (
            name.to_string(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            returned as f64 / times.len() as f64,
        )
    };
    let parents = ["cn-yrd", "cn-gba", "cn", "jp", "eu", "cn-zj", "us"];
    let rows = vec![
        measure("latest 50", &mut |_| FeedQuery::default()),
        measure("region + industry + lang", &mut |r| FeedQuery {
            regions: vec![parents[r.usize(..parents.len())].into()],
            industries: vec![INDUSTRIES[r.usize(..INDUSTRIES.len())].into()],
            langs: vec![["zh", "en", "ja", "ko"][r.usize(..4)].into()],
            ..FeedQuery::default()
        }),
        measure("region + industry (primary)", &mut |r| FeedQuery {
            regions: vec![parents[r.usize(..parents.len())].into()],
            industries: vec![INDUSTRIES[r.usize(..INDUSTRIES.len())].into()],
            primary_only: true,
            ..FeedQuery::default()
        }),
        measure("q= two-char CJK word", &mut |r| FeedQuery {
            q: Some(ZH_WORDS[r.usize(..ZH_WORDS.len())].into()),
            ..FeedQuery::default()
        }),
        measure("q= English word + lang", &mut |r| FeedQuery {
            q: Some(EN_WORDS[r.usize(..EN_WORDS.len())].into()),
            langs: vec!["en".into()],
            ..FeedQuery::default()
        }),
        measure("q= rare CJK phrase", &mut |r| FeedQuery {
            q: Some(format!(
                "{}{}",
                ZH_WORDS[r.usize(..ZH_WORDS.len())],
                ZH_WORDS[r.usize(..ZH_WORDS.len())]
            )),
            ..FeedQuery::default()
        }),
    ];
    let rss_after = rss_kib("VmRSS:");
    let count = store.count().unwrap();
    let bytes: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|m| m.len())
        .sum();

    println!("\n## Store at scale ({count} stories)\n");
    if filled > 0 {
        println!("fill through Store::upsert: {filled} stories at {fill_rate:.0} stories/s\n");
    }
    println!("| query | p50 | p99 | stories returned (mean) |\n|---|---|---|---|");
    for (name, p50, p99, returned) in &rows {
        println!(
            "| {name} | {:.2} ms | {:.2} ms | {returned:.1} |",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    println!("\n| measure | value |\n|---|---|");
    println!(
        "| database size | {:.1} MiB ({:.0} bytes/story) |",
        bytes as f64 / 1048576.0,
        bytes as f64 / count.max(1) as f64
    );
    println!(
        "| resident memory after opening + {} queries | {:.1} MiB (VmRSS; {:.1} MiB before opening) |",
        rows.len() * 400,
        rss_after as f64 / 1024.0,
        rss_before as f64 / 1024.0
    );
    println!(
        "| peak resident memory of this process | {:.1} MiB (VmHWM, includes the fill) |",
        rss_kib("VmHWM:") as f64 / 1024.0
    );
}
