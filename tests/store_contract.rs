//! The store's contract, written once and run against every backend:
//! SQLite always, PostgreSQL when `POLYWIRE_TEST_PG_URL` names a server
//! (`scripts/pg-throwaway.sh start` makes one). Without it the PostgreSQL
//! tests fail in CI (`CI` set) and skip with a message elsewhere.
//!
//! Each PostgreSQL test works in a database of its own, created from the
//! URL's server and dropped at the end.

use jiff::Timestamp;
use polywire::config::RetentionConfig;
use polywire::model::{Article, Classification, Evidence, Field, StoredStory, Tag};
use polywire::store::{FeedQuery, Location, SourceState, Store, Upsert, Validators};

/// A backend under test: a fresh, empty store and what cleans it up.
struct Fixture {
    location: Location,
    _dir: Option<tempfile::TempDir>,
    drop_db: Option<(String, String)>,
}

impl Fixture {
    fn sqlite() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        Fixture {
            location: Location::Sqlite(dir.path().join("contract.db")),
            _dir: Some(dir),
            drop_db: None,
        }
    }

    /// A new database on the test server, or `None` (skipped) on a
    /// developer's machine without one.
    fn postgres() -> Option<Fixture> {
        let url = match std::env::var("POLYWIRE_TEST_PG_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ if std::env::var_os("CI").is_some() => panic!(
                "POLYWIRE_TEST_PG_URL is not set: CI must run the PostgreSQL contract tests \
                 (.ci/run starts a server with scripts/pg-throwaway.sh)"
            ),
            _ => {
                eprintln!(
                    "SKIPPED: PostgreSQL contract test; set POLYWIRE_TEST_PG_URL \
                     (eval \"$(scripts/pg-throwaway.sh start)\") to run it"
                );
                return None;
            }
        };
        let name = format!("polywire_test_{}_{}", std::process::id(), fastrand::u64(..));
        admin(&url, &format!("CREATE DATABASE {name}"));
        let (base, _) = url.rsplit_once('/').expect("a URL with a database");
        Some(Fixture {
            location: Location::Postgres(format!("{base}/{name}")),
            _dir: None,
            drop_db: Some((url, name)),
        })
    }

    fn open(&self) -> Store {
        Store::open_location(&self.location).unwrap()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if let Some((url, name)) = self.drop_db.take() {
            admin(
                &url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// Runs one statement on the server's own database.
fn admin(url: &str, sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL server: {e}"));
        let task = tokio::spawn(connection);
        client.batch_execute(sql).await.unwrap();
        drop(client);
        let _ = task.await;
    });
}

/// Each contract test, once per backend.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(&super::Fixture::sqlite()); })*
        }
        mod postgres {
            $(#[test] fn $name() {
                if let Some(fixture) = super::Fixture::postgres() { super::$name(&fixture); }
            })*
        }
    };
}

contract!(
    refetching_updates_in_place_and_never_duplicates,
    retention_trims_each_source_and_leaves_tombstones,
    near_duplicates_share_a_cluster_and_collapse,
    validators_and_source_states_round_trip,
    tags_roll_up_and_primary_scopes,
    full_text_finds_cjk_words_of_any_length_and_folded_latin,
    held_values_list_what_is_stored,
    a_batch_with_the_same_url_twice_keeps_one_story,
    a_huge_story_is_stored_and_found,
);

fn tag(id: &str, primary: bool) -> Tag {
    Tag {
        id: id.into(),
        score: if primary { 0.9 } else { 0.55 },
        primary,
        evidence: vec![Evidence {
            alias: id.into(),
            field: Field::Body,
            count: 1,
            weight: 0.5,
        }],
    }
}

fn tags(regions: &[&str], industries: &[&str]) -> Classification {
    Classification {
        regions: regions
            .iter()
            .enumerate()
            .map(|(i, r)| tag(r, i == 0))
            .collect(),
        industries: industries
            .iter()
            .enumerate()
            .map(|(i, r)| tag(r, i == 0))
            .collect(),
        dateline_region: None,
    }
}

fn story(url: &str, source: &str, lang: &str, title: &str, body: &str, published: i64) -> Article {
    let body: Vec<String> = body.split('\n').map(String::from).collect();
    Article {
        url: url.into(),
        source: source.into(),
        title: title.into(),
        lang: lang.into(),
        fingerprint: polywire::normalize::fingerprint::fingerprint(&body),
        body,
        published: Some(Timestamp::from_second(published).unwrap()),
        zone: "Asia/Shanghai".into(),
        ..Article::default()
    }
}

fn urls(stories: &[StoredStory]) -> Vec<&str> {
    stories.iter().map(|s| s.article.url.as_str()).collect()
}

fn query(store: &Store, q: FeedQuery) -> Vec<String> {
    urls(&store.query(&q).unwrap())
        .into_iter()
        .map(String::from)
        .collect()
}

/// Stories of three wires in four languages, with rolled-up regions.
fn newsroom(store: &mut Store) {
    let stories = [
        (
            story(
                "https://wire.example/zh/1",
                "chinanews",
                "zh",
                "長三角生物醫藥大會在杭州開幕",
                "杭州醫藥港聚集了三百家企業。\n港口物流同步升級。",
                1_700_000_000,
            ),
            tags(
                &["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"],
                &["biomedicine"],
            ),
        ),
        (
            story(
                "https://wire.example/en/2",
                "xinhua",
                "en",
                "Chip makers expand in Suzhou",
                "Semiconductor output rose 12% in Suzhou's industrial park.",
                1_700_000_600,
            ),
            tags(
                &["cn-js-suzhou", "cn-js", "cn-yrd", "cn"],
                &["semiconductors", "manufacturing"],
            ),
        ),
        (
            story(
                "https://wire.example/ja/3",
                "kyodo",
                "ja",
                "熊本県に半導体の新工場",
                "台湾の半導体大手が熊本県で新工場を稼働させた。",
                1_700_001_200,
            ),
            tags(&["jp-43", "jp"], &["semiconductors"]),
        ),
        (
            story(
                "https://wire.example/fr/4",
                "xinhua",
                "fr",
                "Les cafés de Zürich augmentent leurs prix",
                "À Zürich, le café coûte désormais plus cher qu'à Genève.",
                1_700_001_800,
            ),
            tags(&["ch"], &["food"]),
        ),
        (
            story(
                "https://wire.example/zh/5",
                "chinanews",
                "zh",
                "臺灣半導體產業出口創新高",
                "台積電帶動晶片出口。",
                1_700_002_400,
            ),
            tags(&["tw"], &["semiconductors"]),
        ),
    ];
    for (article, tags) in &stories {
        assert!(matches!(
            store.upsert(article, tags, None).unwrap(),
            Upsert::New(_)
        ));
    }
}

fn refetching_updates_in_place_and_never_duplicates(fixture: &Fixture) {
    let mut store = fixture.open();
    let mut a = story(
        "https://w/1",
        "w",
        "en",
        "Title",
        "Body one.",
        1_700_000_000,
    );
    let t = tags(&["cn"], &["ai"]);
    let Upsert::New(id) = store.upsert(&a, &t, None).unwrap() else {
        panic!("first store is new")
    };
    assert_eq!(store.upsert(&a, &t, None).unwrap(), Upsert::Unchanged(id));
    // A new fetch time alone changes nothing readers see.
    a.fetched_at = Some(Timestamp::from_second(1_700_000_500).unwrap());
    assert_eq!(store.upsert(&a, &t, None).unwrap(), Upsert::Unchanged(id));
    a.title = "Title, corrected".into();
    assert_eq!(store.upsert(&a, &t, None).unwrap(), Upsert::Updated(id));
    // New tags are a change too, and replace the old ones.
    let t2 = tags(&["jp"], &["ai", "finance"]);
    assert_eq!(store.upsert(&a, &t2, None).unwrap(), Upsert::Updated(id));
    assert_eq!(store.count().unwrap(), 1);
    let stored = store.get_by_url("https://w/1").unwrap().unwrap();
    assert_eq!(stored.id, id);
    assert_eq!(stored.article.title, "Title, corrected");
    let regions: Vec<&str> = stored.regions.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(regions, ["jp"]);
    assert_eq!(stored.industries.len(), 2);
    assert!(stored.industries[0].primary);
    assert!(store.story_ids(None).unwrap() == [id]);
    // Freshness follows the feed item's own time.
    let t0 = Timestamp::from_second(1_700_000_100).unwrap();
    let t1 = Timestamp::from_second(1_700_000_200).unwrap();
    assert!(!store.is_fresh("https://w/1", Some(t0)).unwrap());
    store.upsert(&a, &t2, Some(t1)).unwrap();
    assert!(store.is_fresh("https://w/1", Some(t0)).unwrap());
    assert!(store.is_fresh("https://w/1", Some(t1)).unwrap());
    assert!(
        !store
            .is_fresh("https://w/1", Some(t1 + jiff::SignedDuration::from_secs(1)))
            .unwrap()
    );
    assert!(!store.is_fresh("https://w/unknown", None).unwrap());
    assert!(store.last_change().unwrap().is_some());
    // A second handle sees what the first wrote.
    assert_eq!(fixture.open().count().unwrap(), 1);
}

fn retention_trims_each_source_and_leaves_tombstones(fixture: &Fixture) {
    let mut store = fixture.open();
    let now = Timestamp::now().as_second();
    let day = 86_400;
    for (i, age) in [1, 2, 3, 10, 40].into_iter().enumerate() {
        for source in ["a", "b"] {
            let article = story(
                &format!("https://{source}/{i}"),
                source,
                "en",
                &format!("Story {i}"),
                &format!("Body of story {i} from {source}."),
                now - age * day,
            );
            store
                .upsert(&article, &tags(&["cn"], &["ai"]), None)
                .unwrap();
        }
    }
    let removed = store
        .apply_retention(|source| match source {
            "a" => RetentionConfig {
                max_age_days: Some(30),
                max_per_source: Some(2),
            },
            _ => RetentionConfig {
                max_age_days: Some(5),
                max_per_source: None,
            },
        })
        .unwrap();
    assert_eq!(removed, [("a".to_string(), 3), ("b".to_string(), 2)]);
    let left: Vec<String> = query(
        &store,
        FeedQuery {
            limit: 100,
            ..FeedQuery::default()
        },
    );
    assert_eq!(
        left,
        // Same times: the later stored (b) first.
        [
            "https://b/0",
            "https://a/0",
            "https://b/1",
            "https://a/1",
            "https://b/2"
        ]
    );
    // Removed stories are refused and count as fresh: not fetched again.
    let gone = story(
        "https://a/4",
        "a",
        "en",
        "Story 4",
        "Body of story 4 from a.",
        now - 40 * day,
    );
    assert_eq!(
        store.upsert(&gone, &tags(&["cn"], &["ai"]), None).unwrap(),
        Upsert::Retired
    );
    assert!(store.is_fresh("https://a/4", None).unwrap());
    // Tags went with their stories.
    let held = store.held_values().unwrap();
    assert_eq!(held.regions, ["cn"]);
    assert_eq!(store.count().unwrap(), 5);
    // A second pass removes nothing.
    assert!(
        store
            .apply_retention(|_| RetentionConfig {
                max_age_days: Some(30),
                max_per_source: Some(2)
            })
            .unwrap()
            .iter()
            .all(|(s, _)| s == "b")
    );
}

fn near_duplicates_share_a_cluster_and_collapse(fixture: &Fixture) {
    let mut store = fixture.open();
    let body = "The central bank kept its benchmark rate unchanged on Tuesday.\nAnalysts had expected the decision after weeks of stable inflation data.";
    let first = story(
        "https://a/rate",
        "reuters",
        "en",
        "Rates held",
        body,
        1_700_000_000,
    );
    let second = story(
        "https://b/rate",
        "xinhua",
        "en",
        "Rates held",
        body,
        1_700_000_300,
    );
    let other = story(
        "https://c/other",
        "kyodo",
        "en",
        "Other",
        "Typhoon nears Okinawa, flights cancelled.",
        1_700_000_200,
    );
    // Far apart in time: found through the band index, not the window.
    let late = story(
        "https://d/rate",
        "afp",
        "en",
        "Rates held",
        body,
        1_700_000_000 + 30 * 86_400,
    );
    let t = tags(&["cn"], &["finance"]);
    let Upsert::New(id1) = store.upsert(&first, &t, None).unwrap() else {
        panic!()
    };
    store.upsert(&second, &t, None).unwrap();
    store.upsert(&other, &t, None).unwrap();
    // A fresh handle: its window is read from the store.
    let mut store = fixture.open();
    store.upsert(&late, &t, None).unwrap();
    let cluster = |url: &str| store.get_by_url(url).unwrap().unwrap().cluster;
    assert_eq!(cluster("https://a/rate"), id1);
    assert_eq!(cluster("https://b/rate"), id1);
    assert_eq!(cluster("https://d/rate"), id1);
    assert_ne!(cluster("https://c/other"), id1);
    let collapsed = store
        .query(&FeedQuery {
            collapse_clusters: true,
            ..FeedQuery::default()
        })
        .unwrap();
    assert_eq!(urls(&collapsed), ["https://d/rate", "https://c/other"]);
    assert_eq!(collapsed[0].also_from, ["reuters", "xinhua"]);
    assert_eq!(
        store.cluster_sources(id1, "reuters").unwrap(),
        ["afp", "xinhua"]
    );
}

fn validators_and_source_states_round_trip(fixture: &Fixture) {
    let store = fixture.open();
    let key = Store::index_key("xinhua", "f1", "https://x/feed");
    assert_eq!(store.validators(&key).unwrap(), Validators::default());
    let v = Validators {
        etag: Some("\"abc\"".into()),
        last_modified: Some("Tue, 07 Dec 2026 10:00:00 GMT".into()),
    };
    store.save_validators(&key, &v).unwrap();
    assert_eq!(store.validators(&key).unwrap(), v);
    let v2 = Validators {
        etag: None,
        last_modified: Some("x".into()),
    };
    store.save_validators(&key, &v2).unwrap();
    assert_eq!(store.validators(&key).unwrap(), v2);
    let state = SourceState {
        id: "xinhua".into(),
        last_run: Some(Timestamp::from_second(1_700_000_000).unwrap()),
        last_status: Some("http_503".into()),
        last_error: Some("server said 503 (重试)".into()),
        stories_new: 3,
        stories_updated: 1,
        failures: 2,
        next_run: Some(Timestamp::from_second(1_700_000_900).unwrap()),
    };
    store.record_run(&state).unwrap();
    store
        .record_run(&SourceState {
            id: "Anews".into(),
            ..SourceState::default()
        })
        .unwrap();
    let states = store.source_states().unwrap();
    assert_eq!(
        states.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["Anews", "xinhua"]
    );
    assert_eq!(store.source_state("xinhua").unwrap().unwrap(), state);
}

fn tags_roll_up_and_primary_scopes(fixture: &Fixture) {
    let mut store = fixture.open();
    newsroom(&mut store);
    let region = |ids: &[&str]| {
        query(
            &store,
            FeedQuery {
                regions: ids.iter().map(|s| s.to_string()).collect(),
                ..FeedQuery::default()
            },
        )
    };
    // A parent region finds the stories of every place below it.
    assert_eq!(
        region(&["cn-yrd"]),
        ["https://wire.example/en/2", "https://wire.example/zh/1"]
    );
    assert_eq!(
        region(&["cn-zj", "jp"]),
        ["https://wire.example/ja/3", "https://wire.example/zh/1"]
    );
    assert!(region(&["us"]).is_empty());
    // Different filters AND.
    let semis_in_cn = query(
        &store,
        FeedQuery {
            regions: vec!["cn".into()],
            industries: vec!["semiconductors".into()],
            ..FeedQuery::default()
        },
    );
    assert_eq!(semis_in_cn, ["https://wire.example/en/2"]);
    // Primary only: `manufacturing` is a secondary industry of story 2.
    let primary = |industries: &[&str], scope: &[&str]| {
        query(
            &store,
            FeedQuery {
                industries: industries.iter().map(|s| s.to_string()).collect(),
                primary_industry_scope: scope.iter().map(|s| s.to_string()).collect(),
                primary_only: true,
                ..FeedQuery::default()
            },
        )
    };
    assert!(primary(&["manufacturing"], &[]).is_empty());
    assert_eq!(primary(&["semiconductors"], &[]).len(), 3);
    assert_eq!(
        primary(&["tech"], &["tech", "food"]),
        ["https://wire.example/fr/4"]
    );
    let primary_region = query(
        &store,
        FeedQuery {
            regions: vec!["cn-yrd".into()],
            primary_region_scope: vec!["cn-yrd".into(), "cn-zj-hangzhou".into()],
            primary_only: true,
            ..FeedQuery::default()
        },
    );
    assert_eq!(primary_region, ["https://wire.example/zh/1"]);
    // Languages, sources, since and limit.
    let q = query(
        &store,
        FeedQuery {
            langs: vec!["zh".into(), "ja".into()],
            sources: vec!["chinanews".into()],
            since: Some(Timestamp::from_second(1_700_000_001).unwrap()),
            limit: 5,
            ..FeedQuery::default()
        },
    );
    assert_eq!(q, ["https://wire.example/zh/5"]);
    let newest_two = query(
        &store,
        FeedQuery {
            limit: 2,
            ..FeedQuery::default()
        },
    );
    assert_eq!(
        newest_two,
        ["https://wire.example/zh/5", "https://wire.example/fr/4"]
    );
    // Tags load best first, with scores and the primary flag.
    let s = store
        .get_by_url("https://wire.example/en/2")
        .unwrap()
        .unwrap();
    assert_eq!(s.regions[0].id, "cn-js-suzhou");
    assert!(s.regions[0].primary && !s.regions[1].primary);
    assert_eq!(s.regions[0].score, 0.9);
    let rest: Vec<&str> = s.regions[1..].iter().map(|t| t.id.as_str()).collect();
    assert_eq!(rest, ["cn", "cn-js", "cn-yrd"]);
}

fn full_text_finds_cjk_words_of_any_length_and_folded_latin(fixture: &Fixture) {
    let mut store = fixture.open();
    newsroom(&mut store);
    let q = |text: &str| {
        query(
            &store,
            FeedQuery {
                q: Some(text.into()),
                ..FeedQuery::default()
            },
        )
    };
    // Two characters, in either script.
    assert_eq!(q("醫藥"), ["https://wire.example/zh/1"]);
    assert_eq!(q("医药"), ["https://wire.example/zh/1"]);
    // One character: as a word's start or a run's end.
    assert_eq!(q("港"), ["https://wire.example/zh/1"]);
    // Three and more, and Japanese (半導体 folds as 半导体 does).
    assert_eq!(
        q("半導體"),
        ["https://wire.example/zh/5", "https://wire.example/ja/3"]
    );
    assert_eq!(q("熊本県"), ["https://wire.example/ja/3"]);
    assert_eq!(q("生物醫藥大會"), ["https://wire.example/zh/1"]);
    // Bigrams must be adjacent: both appear, apart.
    assert!(q("醫港").is_empty());
    // Latin: case and diacritics folded; every term must appear.
    assert_eq!(q("ZURICH café"), ["https://wire.example/fr/4"]);
    assert_eq!(q("chip suzhou"), ["https://wire.example/en/2"]);
    assert!(q("chip okinawa").is_empty());
    assert!(q("  ").is_empty());
    // A filter value is never a text match: `s78696e687561` is the source
    // token of xinhua, not a word of any story.
    assert!(q("s78696e687561").is_empty());
    // Text with filters.
    let filtered = query(
        &store,
        FeedQuery {
            q: Some("半導體".into()),
            langs: vec!["ja".into()],
            regions: vec!["jp".into()],
            ..FeedQuery::default()
        },
    );
    assert_eq!(filtered, ["https://wire.example/ja/3"]);
    let by_source = query(
        &store,
        FeedQuery {
            q: Some("半導體".into()),
            sources: vec!["kyodo".into(), "xinhua".into()],
            ..FeedQuery::default()
        },
    );
    assert_eq!(by_source, ["https://wire.example/ja/3"]);
}

fn held_values_list_what_is_stored(fixture: &Fixture) {
    let mut store = fixture.open();
    assert_eq!(store.held_values().unwrap(), Default::default());
    newsroom(&mut store);
    let held = store.held_values().unwrap();
    assert_eq!(held.langs, ["en", "fr", "ja", "zh"]);
    assert_eq!(held.sources, ["chinanews", "kyodo", "xinhua"]);
    assert_eq!(
        held.industries,
        ["biomedicine", "food", "manufacturing", "semiconductors"]
    );
    assert_eq!(
        held.regions,
        [
            "ch",
            "cn",
            "cn-js",
            "cn-js-suzhou",
            "cn-yrd",
            "cn-zj",
            "cn-zj-hangzhou",
            "jp",
            "jp-43",
            "tw"
        ]
    );
}

fn a_batch_with_the_same_url_twice_keeps_one_story(fixture: &Fixture) {
    let mut store = fixture.open();
    let a = story(
        "https://w/dup",
        "w",
        "en",
        "First",
        "Same story.",
        1_700_000_000,
    );
    let b = Article {
        title: "Second".into(),
        ..a.clone()
    };
    let t = tags(&["cn"], &["ai"]);
    let rows = [
        polywire::store::StoryRow::new(a.clone(), t.clone()).unwrap(),
        polywire::store::StoryRow::new(a, t.clone()).unwrap(),
        polywire::store::StoryRow::new(b, t).unwrap(),
    ];
    let batch: Vec<_> = rows.iter().map(|r| (r, None)).collect();
    let outcomes = store.upsert_rows(&batch).unwrap();
    let Upsert::New(id) = outcomes[0] else {
        panic!("{outcomes:?}")
    };
    assert_eq!(outcomes[1..], [Upsert::Unchanged(id), Upsert::Updated(id)]);
    assert_eq!(store.count().unwrap(), 1);
    assert_eq!(
        store
            .get_by_url("https://w/dup")
            .unwrap()
            .unwrap()
            .article
            .title,
        "Second"
    );
}

/// A story far larger than any wire sends (200,000 distinct words, a word
/// of 3,000 letters) is stored whole and found by its first words; on
/// PostgreSQL its index stays within `tsvector`'s limits (text.rs).
fn a_huge_story_is_stored_and_found(fixture: &Fixture) {
    let mut store = fixture.open();
    let words: String = (0..200_000).map(|i| format!("w{i:07} ")).collect();
    let body = format!("Needle haystack.\n{}\n{words}", "x".repeat(3_000));
    let a = story("https://w/huge", "w", "en", "Huge", &body, 1_700_000_000);
    let t = tags(&["cn"], &["ai"]);
    assert!(matches!(
        store.upsert(&a, &t, None).unwrap(),
        Upsert::New(_)
    ));
    let found = query(
        &store,
        FeedQuery {
            q: Some("needle haystack".into()),
            regions: vec!["cn".into()],
            ..FeedQuery::default()
        },
    );
    assert_eq!(found, ["https://w/huge"]);
    let stored = store.get_by_url("https://w/huge").unwrap().unwrap();
    assert_eq!(stored.article.body.len(), 3);
}

/// Stories where the query plans part ways: words in every story, in a
/// third, in a few (Latin with diacritics, Chinese in both scripts,
/// Japanese, Korean); region roll-ups and industries from common to
/// rare; three stories to a timestamp; a backfill of old stories stored
/// last and a few future-dated ones stored first; near-duplicate pairs.
fn mixed_stories(n: usize) -> Vec<(Article, Classification)> {
    const REGIONS: &[&[&str]] = &[
        &["cn-zj", "cn-yrd", "cn"],
        &["cn-sh", "cn-yrd", "cn"],
        &["cn-gd", "cn-gba", "cn"],
        &["jp-13", "jp"],
        &["us"],
    ];
    const WORDS: &[&str] = &[
        "市場",
        "电池",
        "衛星",
        "半導體",
        "東京",
        "배터리",
        "Café",
        "résumé",
        "satellite",
        "港",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    let mut stories = Vec::new();
    let mut last_body = String::new();
    for i in 0..n {
        let mut words = vec!["market"];
        for (k, word) in WORDS.iter().enumerate() {
            if rng.usize(..(k + 2)) == 0 {
                words.push(word);
            }
        }
        let region = REGIONS[[0, 0, 1, 1, 2, 2, 2, 3, 4][rng.usize(..9)]];
        let industries: Vec<&str> = match rng.usize(..10) {
            0 => vec!["aerospace", "ai"],
            1..=3 => vec!["ai"],
            4..=5 => vec!["finance", "energy"],
            6 => vec!["biomedicine"],
            _ => vec![["ai", "biomedicine", "finance", "energy"][rng.usize(..4)]],
        };
        // Every fourth story repeats the one before (a near-duplicate).
        let body = if i % 4 == 3 {
            last_body.clone()
        } else {
            format!("{} story {i} {}", words.join(" "), rng.u64(..))
        };
        last_body = body.clone();
        let article = story(
            &format!("https://m.example/{i}"),
            ["chinanews", "xinhua", "kyodo"][i % 3],
            ["zh", "en", "ja", "ko"][rng.usize(..4)],
            &format!("Story {i} {}", words[rng.usize(..words.len())]),
            &body,
            1_700_000_000 + (i as i64 / 3) * 60,
        );
        stories.push((article, tags(region, &industries)));
    }
    let newest = stories
        .iter()
        .filter_map(|(a, _)| a.published)
        .max()
        .unwrap();
    for (i, (a, _)) in stories.iter_mut().enumerate() {
        if i % 50 == 7 {
            a.published = Some(newest + jiff::SignedDuration::from_secs(60 * i as i64));
        }
    }
    let (ahead, rest): (Vec<_>, Vec<_>) = stories
        .into_iter()
        .enumerate()
        .partition(|(i, _)| i % 50 == 7);
    let (backfill, live): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(i, _)| i % 6 == 5);
    ahead
        .into_iter()
        .chain(live)
        .chain(backfill)
        .map(|(_, s)| s)
        .collect()
}

/// The same stories in both backends answer every feed alike: the same
/// stories (by id and URL), in the same order, with the same clusters
/// and the same other sources when collapsed; and the same held values.
#[test]
fn both_backends_return_the_same_feeds_for_the_same_stories() {
    let Some(pg) = Fixture::postgres() else {
        return;
    };
    let lite = Fixture::sqlite();
    let (mut a, mut b) = (lite.open(), pg.open());
    let stories = mixed_stories(900);
    // In batches, as the pipeline's writer stores them.
    for chunk in stories.chunks(64) {
        let rows: Vec<polywire::store::StoryRow> = chunk
            .iter()
            .map(|(article, tags)| {
                polywire::store::StoryRow::new(article.clone(), tags.clone()).unwrap()
            })
            .collect();
        let batch: Vec<_> = rows.iter().map(|r| (r, None)).collect();
        assert_eq!(
            a.upsert_rows(&batch).unwrap(),
            b.upsert_rows(&batch).unwrap()
        );
    }
    assert_eq!(a.held_values().unwrap(), b.held_values().unwrap());
    assert_eq!(a.story_ids(None).unwrap(), b.story_ids(None).unwrap());
    assert_same_feeds(&a, &b);
    // And a story loads the same on both, tags and all.
    for id in [1, 100, 450, 899] {
        let (x, y) = (
            a.load_stories(&[id]).unwrap(),
            b.load_stories(&[id]).unwrap(),
        );
        assert_eq!(x.len(), 1);
        assert_eq!(x[0].article, y[0].article);
        assert_eq!(x[0].regions, y[0].regions);
        assert_eq!(x[0].industries, y[0].industries);
        assert_eq!(x[0].cluster, y[0].cluster);
    }
}

/// 240 random feeds (region, industry, lang, source, q, since, limit,
/// primary scopes, collapse) answer alike from two stores holding the
/// same stories: ids, URLs, order, clusters and collapsed sources.
fn assert_same_feeds(a: &Store, b: &Store) {
    let mut rng = fastrand::Rng::with_seed(11);
    let mut pick = |list: &[&str], most: usize| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for _ in 0..rng.usize(..=most) {
            let v = list[rng.usize(..list.len())].to_string();
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    };
    let texts = [
        "market",
        "市场",
        "市場",
        "電池",
        "卫星",
        "半导体",
        "半導",
        "港",
        "東京",
        "배터리",
        "CAFE",
        "résumé",
        "cafe market",
        "satellite 港",
        "nothing-here",
        "story 42",
    ];
    let mut compared = 0;
    for round in 0..240 {
        let primary_only = round % 5 == 4;
        let mut q = FeedQuery {
            q: pick(&texts, 1).into_iter().next(),
            regions: pick(&["cn", "cn-yrd", "cn-zj", "jp", "us", "cn-gba"], 2),
            industries: pick(&["ai", "biomedicine", "finance", "energy", "aerospace"], 2),
            langs: pick(&["zh", "en", "ja", "ko"], 2),
            sources: pick(
                &["chinanews", "xinhua", "kyodo"],
                usize::from(round % 3 == 0),
            ),
            since: (round % 7 == 0)
                .then(|| Timestamp::from_second(1_700_000_000 + 60 * 100).unwrap()),
            primary_only,
            collapse_clusters: round % 4 == 1,
            limit: [1, 2, 5, 20, 60, 200][round % 6],
            ..FeedQuery::default()
        };
        if primary_only && q.regions.iter().any(|r| r == "cn-yrd") {
            q.primary_region_scope = ["cn-yrd", "cn-zj", "cn-sh"].map(String::from).to_vec();
        }
        let shown = |store: &Store| -> Vec<(i64, String, i64, Vec<String>)> {
            store
                .query(&q)
                .unwrap()
                .into_iter()
                .map(|s| (s.id, s.article.url, s.cluster, s.also_from))
                .collect()
        };
        let (from_sqlite, from_postgres) = (shown(a), shown(b));
        assert_eq!(from_sqlite, from_postgres, "{q:?}");
        compared += usize::from(!from_sqlite.is_empty());
    }
    // Most queries match something: the comparison is not of empty lists.
    assert!(compared > 120, "{compared} of 240 queries matched anything");
}

/// `polywire store copy` moves everything, both ways, and a copy that
/// stopped half-way continues where it stopped.
#[test]
fn copy_moves_everything_both_ways_and_resumes() {
    let Some(pg) = Fixture::postgres() else {
        return;
    };
    let (lite, back) = (Fixture::sqlite(), Fixture::sqlite());
    let mut original = lite.open();
    for (article, tags) in mixed_stories(700) {
        original.upsert(&article, &tags, None).unwrap();
    }
    // Side tables: validators, source states, tombstones.
    original
        .save_validators(
            "k1",
            &Validators {
                etag: Some("\"e\"".into()),
                last_modified: None,
            },
        )
        .unwrap();
    original
        .record_run(&SourceState {
            id: "xinhua".into(),
            failures: 3,
            ..SourceState::default()
        })
        .unwrap();
    let removed = original
        .apply_retention(|_| RetentionConfig {
            max_age_days: None,
            max_per_source: Some(200),
        })
        .unwrap();
    assert!(!removed.is_empty());
    let gone = "https://m.example/0";
    assert!(original.get_by_url(gone).unwrap().is_none() || original.is_fresh(gone, None).unwrap());

    // Stopped after the first batch (the progress report panics)...
    let mut target = pg.open();
    let stopped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        original
            .copy_to(&mut target, 100, &mut |_| panic!("interrupted"))
            .ok();
    }));
    assert!(stopped.is_err());
    assert_eq!(pg.open().count().unwrap(), 100);
    // ...and run again: it continues, reporting progress up to the total.
    let mut target = pg.open();
    let mut reports = Vec::new();
    let report = original
        .copy_to(&mut target, 100, &mut |p| reports.push(p))
        .unwrap();
    assert_eq!(report.resumed_after, 100);
    assert_eq!(report.stories + 100, original.count().unwrap());
    assert_eq!(
        reports.last().unwrap().copied,
        reports.last().unwrap().total
    );
    // A third run has nothing left to copy.
    assert_eq!(
        original
            .copy_to(&mut target, 100, &mut |_| {})
            .unwrap()
            .stories,
        0
    );
    assert_same_copy(&original, &target);
    // New stories in the copy take ids above the copied ones, and a
    // near-duplicate of a copied story joins its cluster.
    let max = *original.story_ids(None).unwrap().last().unwrap();
    let copied = original.load_stories(&[max]).unwrap().remove(0);
    let again = Article {
        url: "https://elsewhere.example/1".into(),
        ..copied.article.clone()
    };
    let mut writer = pg.open();
    let Upsert::New(id) = writer
        .upsert(&again, &tags(&["cn"], &["ai"]), None)
        .unwrap()
    else {
        panic!("a new story")
    };
    assert!(id > max);
    assert_eq!(
        writer.get_by_url(&again.url).unwrap().unwrap().cluster,
        copied.cluster
    );

    // Back to a new SQLite file through the command line.
    let Location::Postgres(url) = &pg.location else {
        unreachable!()
    };
    let Location::Sqlite(path) = &back.location else {
        unreachable!()
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_polywire"))
        .args(["store", "copy", "--from", url, "--to"])
        .arg(format!("sqlite:{}", path.display()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let total = original.count().unwrap() + 1;
    assert!(
        stderr.contains(&format!("copied {total}/{total} stories")),
        "{stderr}"
    );
    let back = back.open();
    assert_eq!(back.count().unwrap(), original.count().unwrap() + 1);
    assert!(back.get_by_url(&again.url).unwrap().is_some());
    // Copying into a store holding other stories is refused.
    let other = Fixture::sqlite();
    let mut foreign = other.open();
    foreign
        .upsert(
            &story("https://x/1", "x", "en", "X", "Other store.", 1),
            &tags(&[], &[]),
            None,
        )
        .unwrap();
    assert!(original.copy_to(&mut foreign, 100, &mut |_| {}).is_err());
}

/// Two stores hold the same stories, side tables and feeds; new stories
/// get ids above the copied ones and join their clusters.
fn assert_same_copy(a: &Store, b: &Store) {
    assert_eq!(a.story_ids(None).unwrap(), b.story_ids(None).unwrap());
    assert_eq!(a.held_values().unwrap(), b.held_values().unwrap());
    assert_eq!(a.source_states().unwrap(), b.source_states().unwrap());
    assert_eq!(a.validators("k1").unwrap(), b.validators("k1").unwrap());
    let ids = a.story_ids(None).unwrap();
    let (x, y) = (a.load_stories(&ids).unwrap(), b.load_stories(&ids).unwrap());
    for (x, y) in x.iter().zip(&y) {
        assert_eq!((x.id, &x.article, x.cluster), (y.id, &y.article, y.cluster));
        assert_eq!((&x.regions, &x.industries), (&y.regions, &y.industries));
        assert_eq!(
            (x.first_seen, x.updated, x.item_updated),
            (y.first_seen, y.updated, y.item_updated)
        );
    }
    // Tombstones came along: a removed story is not taken back.
    let retired: Vec<i64> = (0..700)
        .filter(|i| {
            a.get_by_url(&format!("https://m.example/{i}"))
                .unwrap()
                .is_none()
        })
        .collect();
    assert!(!retired.is_empty());
    for i in retired.iter().take(5) {
        assert!(b.is_fresh(&format!("https://m.example/{i}"), None).unwrap());
    }
    assert_same_feeds(a, b);
}
