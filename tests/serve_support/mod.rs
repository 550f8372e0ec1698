//! Shared fixtures of the serve/emit tests: the test configuration (the
//! shipped `feeds/` plus a small taxonomy), a store filled with
//! real-shaped stories, and helpers to call the router.
#![allow(dead_code)]

pub mod xml;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use jiff::{SignedDuration, Timestamp};
use polywire::classify::Taxonomy;
use polywire::config::Config;
use polywire::model::{Article, Classification, Script, Tag};
use polywire::serve::AppState;
use polywire::store::Store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// Folder of the serve fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve")
}

/// The test configuration and taxonomy.
pub fn config() -> (Config, Taxonomy) {
    let config = Config::load(&fixtures().join("config/polywire.toml")).expect("test config loads");
    let taxonomy = Taxonomy::load(&config.taxonomy_dir).expect("test taxonomy loads");
    (config, taxonomy)
}

/// Base URL of the test configuration.
pub const BASE: &str = "http://feeds.polywire.test";

/// A story to store: the article and its tags.
pub struct Fixture {
    pub article: Article,
    pub tags: Classification,
}

fn tag(id: &str, primary: bool, score: f32) -> Tag {
    Tag {
        id: id.into(),
        score,
        primary,
        evidence: Vec::new(),
    }
}

fn tags(regions: &[&str], industries: &[&str]) -> Classification {
    let list = |ids: &[&str]| -> Vec<Tag> {
        ids.iter()
            .enumerate()
            .map(|(i, id)| tag(id, i == 0, 0.9 - i as f32 * 0.1))
            .collect()
    };
    Classification {
        regions: list(regions),
        industries: list(industries),
        dateline_region: None,
    }
}

/// Hours before `now`.
pub fn ago(now: Timestamp, hours: i64) -> Timestamp {
    now - SignedDuration::from_hours(hours)
}

struct A<'a> {
    url: &'a str,
    source: &'a str,
    lang: &'a str,
    script: Option<Script>,
    title: &'a str,
    body: &'a [&'a str],
    authors: &'a [&'a str],
    published: Option<Timestamp>,
    fingerprint: u64,
}

fn article(a: A<'_>) -> Article {
    Article {
        url: a.url.into(),
        source: a.source.into(),
        title: a.title.into(),
        lang: a.lang.into(),
        script: a.script,
        published: a.published,
        zone: "UTC".into(),
        authors: a.authors.iter().map(|s| s.to_string()).collect(),
        body: a.body.iter().map(|s| s.to_string()).collect(),
        summary: a.body.first().map(|s| s.to_string()).unwrap_or_default(),
        fingerprint: a.fingerprint,
        ..Article::default()
    }
}

/// The title of the hostile story, as stored.
pub const HOSTILE_TITLE: &str =
    "Chip <script>alert('t')</script> ]]> & \u{1}\u{202E}gnp.exe\u{202C} news";

/// Real-shaped stories: Simplified and Traditional Chinese, Japanese,
/// English, a near-duplicate pair, an undated story, an old story and a
/// hostile one. Times are relative to `now`.
pub fn stories(now: Timestamp) -> Vec<Fixture> {
    let mut out = Vec::new();
    let mut push = |a: A<'_>, regions: &[&str], industries: &[&str]| {
        out.push(Fixture {
            article: article(a),
            tags: tags(regions, industries),
        })
    };
    // 0
    push(
        A {
            url: "https://www.chinanews.example/cj/2026/11-28/10001.shtml",
            source: "chinanews",
            lang: "zh",
            script: Some(Script::Hans),
            title: "长三角生物医药产业集群加速发展",
            body: &[
                "上海、江苏、浙江、安徽四地生物医药企业在沪签署合作协议，共建创新药研发平台。",
                "业内人士表示，长三角医药产业规模已占全国三成以上。",
            ],
            authors: &["李明"],
            published: Some(ago(now, 2)),
            fingerprint: 0x1234_5678_9abc_def0,
        },
        &["cn-sh", "cn-yrd", "cn"],
        &["biomedicine"],
    );
    // 1: near-duplicate of 0 from another wire, in Traditional script.
    push(
        A {
            url: "https://www.cna.example/news/afe/202611280001.aspx",
            source: "cna",
            lang: "zh",
            script: Some(Script::Hant),
            title: "長三角生物醫藥產業集群加速發展",
            body: &["上海、江蘇、浙江、安徽四地生物醫藥企業簽署合作協議，共建創新藥研發平台。"],
            authors: &["王小華"],
            published: Some(ago(now, 3)),
            fingerprint: 0x1234_5678_9abc_def1,
        },
        &["cn-sh", "cn-yrd", "cn"],
        &["biomedicine"],
    );
    // 2
    push(
        A {
            url: "https://www.cna.example/news/afe/202611270002.aspx",
            source: "cna",
            lang: "zh",
            script: Some(Script::Hant),
            title: "杭州生醫新創獲融資 醫藥研發提速",
            body: &["杭州一家生醫新創公司完成新一輪融資，將投入抗體藥物研發。"],
            authors: &[],
            published: Some(ago(now, 20)),
            fingerprint: 0x0f0f_0f0f_0000_1111,
        },
        &["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"],
        &["biomedicine", "finance"],
    );
    // 3
    push(
        A {
            url: "https://english.news.example/20261128/shenzhen-robotics.html",
            source: "xinhua-en",
            lang: "en",
            script: None,
            title: "Shenzhen robotics makers expand AI chip partnerships",
            body: &[
                "SHENZHEN -- Robotics companies in Shenzhen are signing new supply deals with domestic AI chip designers.",
                "Analysts expect humanoid robot shipments to double next year.",
            ],
            authors: &["Zhang Wei", "Li Na"],
            published: Some(ago(now, 5)),
            fingerprint: 0x7777_0000_3333_5555,
        },
        &["cn-gd-shenzhen", "cn-gd", "cn-gba", "cn"],
        &["robotics", "ai", "semiconductors"],
    );
    // 4
    push(
        A {
            url: "https://www.nikkei.example/article/DGXZQO0001.html",
            source: "nikkei",
            lang: "ja",
            script: None,
            title: "東京の半導体装置メーカー、設備投資を拡大",
            body: &["東京エレクトロンなど半導体製造装置各社が設備投資を積み増す。"],
            authors: &["日経太郎"],
            published: Some(ago(now, 8)),
            fingerprint: 0x2222_4444_6666_8888,
        },
        // Only the leaf region: a filter on `jp` must find it through the graph.
        &["jp-13", "jp"],
        &["semiconductors", "manufacturing"],
    );
    // 5
    push(
        A {
            url: "https://www.chinanews.example/cj/2026/11-27/10002.shtml",
            source: "chinanews",
            lang: "zh",
            script: Some(Script::Hans),
            title: "北京发布绿色金融与ESG信息披露新规",
            body: &["北京市发布新规，要求重点企业披露环境、社会和治理信息。"],
            authors: &[],
            published: Some(ago(now, 30)),
            fingerprint: 0x5555_aaaa_5555_aaaa,
        },
        &["cn-bj", "cn"],
        &["esg", "finance"],
    );
    // 6
    push(
        A {
            url: "https://english.news.example/20261126/hk-fintech.html",
            source: "xinhua-en",
            lang: "en",
            script: None,
            title: "Hong Kong FinTech Week draws record attendance",
            body: &["HONG KONG -- The city's fintech week drew a record number of visitors."],
            authors: &[],
            published: Some(ago(now, 50)),
            fingerprint: 0x1111_2222_3333_4444,
        },
        &["cn-hk", "cn-gba", "cn"],
        &["finance"],
    );
    // 7: hostile
    push(
        A {
            url: "https://english.news.example/20261128/hostile.html",
            source: "xinhua-en",
            lang: "en",
            script: None,
            title: HOSTILE_TITLE,
            body: &[
                "<script>alert('body')</script><a href=\"javascript:alert(1)\">click</a> ]]> \u{0}\u{8}",
                "<img src=x onerror=alert(1)> end \u{2066}isolated\u{2069}",
            ],
            authors: &["<b>Mallory</b>\u{7}"],
            published: Some(ago(now, 1)),
            fingerprint: 0x0bad_0bad_0bad_0bad,
        },
        &["us"],
        &["ai"],
    );
    // 8: undated
    push(
        A {
            url: "https://www.chinanews.example/gn/2026/11-28/10003.shtml",
            source: "chinanews",
            lang: "zh",
            script: Some(Script::Hans),
            title: "上海人工智能大会开幕",
            body: &["世界人工智能大会在上海开幕，展示大模型与机器人应用。"],
            authors: &[],
            published: None,
            fingerprint: 0x3c3c_3c3c_c3c3_c3c3,
        },
        &["cn-sh", "cn-yrd", "cn"],
        &["ai"],
    );
    // 9: old
    push(
        A {
            url: "https://www.nikkei.example/article/DGXZQO0002.html",
            source: "nikkei",
            lang: "ja",
            script: None,
            title: "日本の電池メーカー、全固体電池の量産へ",
            body: &["国内電池大手が全固体電池の量産計画を発表した。"],
            authors: &[],
            published: Some(ago(now, 24 * 300)),
            fingerprint: 0x6969_9696_6969_9696,
        },
        &["jp"],
        &["batteries"],
    );
    out
}

/// A store holding [`stories`], and its fixtures.
pub fn filled_store(now: Timestamp) -> (Store, Vec<Fixture>) {
    let mut store = Store::open_in_memory().expect("store opens");
    let fixtures = stories(now);
    for f in &fixtures {
        store.upsert(&f.article, &f.tags, None).expect("upsert");
    }
    (store, fixtures)
}

/// Server state over the test config and a filled store.
pub fn state() -> (AppState, Arc<Mutex<Store>>) {
    let (config, taxonomy) = config();
    let (store, _) = filled_store(Timestamp::now());
    let store = Arc::new(Mutex::new(store));
    (
        AppState::with_shared_store(config, taxonomy, store.clone()),
        store,
    )
}

/// A response as tests look at it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

/// Sends one request through the router (no network).
pub async fn call(state: &AppState, method: &str, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = polywire::serve::router(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// GET with no extra headers.
pub async fn get(state: &AppState, uri: &str) -> Reply {
    call(state, "GET", uri, &[]).await
}

/// Titles of the items of a JSON Feed body.
pub fn json_titles(body: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(body).expect("JSON Feed parses");
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}
