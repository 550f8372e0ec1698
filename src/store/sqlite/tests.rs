use super::*;
use crate::model::{Article, Classification, Evidence, Field, Tag};
use crate::store::feed_query::shown_ids;
use crate::store::{FeedQuery, Store, search};

/// The SQLite backend under a facade, to look inside.
fn inner(store: &Store) -> &SqliteStore {
    store
        .backend
        .as_any()
        .downcast_ref()
        .expect("a SQLite store")
}

/// [`Store::query`] started from a given driver.
fn query_with(store: &Store, q: &FeedQuery, driver: query::Driver) -> Vec<StoredStory> {
    let found = inner(store).matches_with(q, driver).unwrap();
    let mut stories = store.load_stories(&shown_ids(q, found)).unwrap();
    for story in &mut stories {
        if q.collapse_clusters {
            story.also_from = store
                .cluster_sources(story.cluster, &story.article.source)
                .unwrap();
        }
    }
    stories
}

fn article(
    url: &str,
    source: &str,
    lang: &str,
    title: &str,
    body: &str,
    published: i64,
) -> Article {
    Article {
        url: url.into(),
        source: source.into(),
        title: title.into(),
        lang: lang.into(),
        body: body.split('\n').map(String::from).collect(),
        published: Some(Timestamp::from_second(published).unwrap()),
        zone: "Asia/Shanghai".into(),
        ..Article::default()
    }
}

fn tag(id: &str, primary: bool) -> Tag {
    Tag {
        id: id.into(),
        score: if primary { 0.9 } else { 0.5 },
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

fn filled() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let stories = [
        (
            article(
                "https://a/1",
                "chinanews",
                "zh",
                "長三角生物醫藥大會",
                "杭州醫藥港聚集企業",
                1_000,
            ),
            tags(
                &["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"],
                &["biomedicine"],
            ),
        ),
        (
            article(
                "https://a/2",
                "xinhua",
                "en",
                "Chip makers expand",
                "Semiconductor output rose in Suzhou",
                2_000,
            ),
            tags(
                &["cn-js-suzhou", "cn-js", "cn-yrd", "cn"],
                &["semiconductors"],
            ),
        ),
        (
            article(
                "https://a/3",
                "kyodo",
                "ja",
                "半導体工場を新設",
                "熊本県で半導体の新工場",
                3_000,
            ),
            tags(&["jp-43", "jp"], &["semiconductors"]),
        ),
        (
            article(
                "https://a/4",
                "chinanews",
                "zh",
                "深圳人工智能",
                "深圳发布人工智能政策，医药企业关注",
                4_000,
            ),
            tags(
                &["cn-gd-shenzhen", "cn-gd", "cn-gba", "cn"],
                &["ai", "biomedicine"],
            ),
        ),
    ];
    for (a, t) in &stories {
        assert!(matches!(store.upsert(a, t, None).unwrap(), Upsert::New(_)));
    }
    store
}

fn urls(stories: &[StoredStory]) -> Vec<&str> {
    stories.iter().map(|s| s.article.url.as_str()).collect()
}

#[test]
fn refetching_updates_in_place_and_never_duplicates() {
    let mut store = filled();
    let mut again = article(
        "https://a/1",
        "chinanews",
        "zh",
        "長三角生物醫藥大會",
        "杭州醫藥港聚集企業",
        1_000,
    );
    again.fetched_at = Some(Timestamp::now());
    let t = tags(
        &["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"],
        &["biomedicine"],
    );
    assert!(matches!(
        store.upsert(&again, &t, None).unwrap(),
        Upsert::Unchanged(_)
    ));
    again.body.push("新增段落".into());
    assert!(matches!(
        store.upsert(&again, &t, None).unwrap(),
        Upsert::Updated(_)
    ));
    assert_eq!(store.count().unwrap(), 4);
    let stored = store.get_by_url("https://a/1").unwrap().unwrap();
    assert_eq!(stored.article.body.len(), 2);
    // The old body's words are gone from the index, the new ones found.
    let found = store
        .query(&FeedQuery {
            q: Some("新增".into()),
            ..FeedQuery::default()
        })
        .unwrap();
    assert_eq!(urls(&found), ["https://a/1"]);
}

#[test]
fn filters_and_or_and_order_newest_first() {
    let store = filled();
    let all = store.query(&FeedQuery::default()).unwrap();
    assert_eq!(
        urls(&all),
        ["https://a/4", "https://a/3", "https://a/2", "https://a/1"]
    );
    let q = |f: FeedQuery| {
        urls(&store.query(&f).unwrap())
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        q(FeedQuery {
            regions: vec!["cn-yrd".into()],
            ..FeedQuery::default()
        }),
        ["https://a/2", "https://a/1"]
    );
    assert_eq!(
        q(FeedQuery {
            regions: vec!["cn-yrd".into()],
            industries: vec!["biomedicine".into()],
            ..FeedQuery::default()
        }),
        ["https://a/1"]
    );
    assert_eq!(
        q(FeedQuery {
            industries: vec!["semiconductors".into(), "ai".into()],
            ..FeedQuery::default()
        }),
        ["https://a/4", "https://a/3", "https://a/2"]
    );
    assert_eq!(
        q(FeedQuery {
            langs: vec!["ja".into()],
            ..FeedQuery::default()
        }),
        ["https://a/3"]
    );
    assert_eq!(
        q(FeedQuery {
            sources: vec!["chinanews".into()],
            limit: 1,
            ..FeedQuery::default()
        }),
        ["https://a/4"]
    );
    assert_eq!(
        q(FeedQuery {
            since: Some(Timestamp::from_second(2_500).unwrap()),
            ..FeedQuery::default()
        }),
        ["https://a/4", "https://a/3"]
    );
    // biomedicine is primary only for story 1; story 4's primary is ai.
    assert_eq!(
        q(FeedQuery {
            industries: vec!["biomedicine".into()],
            primary_only: true,
            ..FeedQuery::default()
        }),
        ["https://a/1"]
    );
}

#[test]
fn full_text_finds_two_character_chinese_words_in_both_scripts() {
    let store = filled();
    let q = |text: &str| {
        urls(
            &store
                .query(&FeedQuery {
                    q: Some(text.into()),
                    ..FeedQuery::default()
                })
                .unwrap(),
        )
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    // 醫藥 (Traditional) finds the Traditional story and the Simplified 医药 one.
    assert_eq!(q("醫藥"), ["https://a/4", "https://a/1"]);
    assert_eq!(q("医药"), ["https://a/4", "https://a/1"]);
    assert_eq!(q("半導体"), ["https://a/3"]);
    assert_eq!(q("semiconductor"), ["https://a/2"]);
    assert_eq!(q("港"), ["https://a/1"]);
    assert_eq!(q("深圳 政策"), ["https://a/4"]);
    assert!(q("深圳 半导体").is_empty());
    assert!(q("\"").is_empty());
}

#[test]
fn near_duplicates_share_a_cluster_and_collapse() {
    let mut store = Store::open_in_memory().unwrap();
    let mut one = article("https://x/1", "chinanews", "zh", "A", "same story", 1_000);
    one.fingerprint = 0b1011_0000_1111_0000;
    let mut two = article("https://y/1", "cna", "zh", "A'", "same story", 2_000);
    two.fingerprint = 0b1011_0000_1111_0011; // 2 bits apart
    let mut three = article("https://z/1", "xinhua", "en", "B", "other story", 3_000);
    three.fingerprint = 0xFFFF_0000_FFFF_0000;
    // Eight bits from `one`: beyond the banded index, within the recent window.
    let mut four = article("https://w/1", "cna", "zh", "A2", "same story again", 4_000);
    four.fingerprint = one.fingerprint ^ 0x0101_0101_0101_0101;
    // Six bits from `one` (and from `four`), but weeks later: a different story.
    let mut five = article("https://v/1", "cna", "zh", "C", "later", 4_000_000);
    five.fingerprint = one.fingerprint ^ 0x0303_0000_0000_0101;
    for a in [&one, &two, &three, &four, &five] {
        store.upsert(a, &Classification::default(), None).unwrap();
    }
    let first = store.get_by_url("https://x/1").unwrap().unwrap();
    let second = store.get_by_url("https://y/1").unwrap().unwrap();
    let third = store.get_by_url("https://z/1").unwrap().unwrap();
    assert_eq!(first.cluster, second.cluster);
    assert_ne!(first.cluster, third.cluster);
    let fourth = store.get_by_url("https://w/1").unwrap().unwrap();
    let fifth = store.get_by_url("https://v/1").unwrap().unwrap();
    assert_eq!(fourth.cluster, first.cluster);
    assert_ne!(fifth.cluster, first.cluster);
    let collapsed = store
        .query(&FeedQuery {
            collapse_clusters: true,
            ..FeedQuery::default()
        })
        .unwrap();
    assert_eq!(
        urls(&collapsed),
        ["https://v/1", "https://w/1", "https://z/1"]
    );
    assert_eq!(collapsed[1].also_from, ["chinanews"]);
}

#[test]
fn freshness_follows_the_feed_items_updated_stamp() {
    let mut store = Store::open_in_memory().unwrap();
    let a = article("https://x/1", "s", "en", "t", "b", 1_000);
    let t1 = Timestamp::from_second(5_000).unwrap();
    assert!(!store.is_fresh("https://x/1", None).unwrap());
    store
        .upsert(&a, &Classification::default(), Some(t1))
        .unwrap();
    assert!(store.is_fresh("https://x/1", None).unwrap());
    assert!(store.is_fresh("https://x/1", Some(t1)).unwrap());
    assert!(
        !store
            .is_fresh("https://x/1", Some(Timestamp::from_second(6_000).unwrap()))
            .unwrap()
    );
}

#[test]
fn validators_and_source_states_round_trip() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(
        store.validators("https://x/rss").unwrap(),
        Validators::default()
    );
    let v = Validators {
        etag: Some("\"abc\"".into()),
        last_modified: Some("Sun, 29 Nov 2026 08:00:00 GMT".into()),
    };
    store.save_validators("https://x/rss", &v).unwrap();
    assert_eq!(store.validators("https://x/rss").unwrap(), v);
    let state = SourceState {
        id: "s".into(),
        last_run: Some(Timestamp::from_second(100).unwrap()),
        last_status: Some("http_503".into()),
        last_error: Some("HTTP 503".into()),
        stories_new: 0,
        stories_updated: 0,
        failures: 2,
        next_run: Some(Timestamp::from_second(700).unwrap()),
    };
    store.record_run(&state).unwrap();
    assert_eq!(store.source_state("s").unwrap(), Some(state));
}

#[test]
fn retention_removes_old_and_surplus_stories_with_their_rows() {
    let mut store = filled();
    let now = Timestamp::now().as_second();
    store
        .upsert(
            &article("https://a/new", "chinanews", "zh", "新", "新的", now),
            &tags(&["cn"], &[]),
            None,
        )
        .unwrap();
    // Everything but the new story is decades old.
    let rule = |age, count| {
        move |_: &str| crate::config::RetentionConfig {
            max_age_days: age,
            max_per_source: count,
        }
    };
    let removed = store.apply_retention(rule(Some(30), None)).unwrap();
    assert_eq!(
        removed.iter().map(|(_, n)| n).sum::<u64>(),
        4,
        "{removed:?}"
    );
    assert_eq!(store.count().unwrap(), 1);
    let orphans: i64 = inner(&store)
        .conn
        .query_row(
            "SELECT COUNT(*) FROM article_tags WHERE article_id NOT IN (SELECT id FROM articles)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    assert!(
        store
            .query(&FeedQuery {
                q: Some("醫藥".into()),
                ..FeedQuery::default()
            })
            .unwrap()
            .is_empty()
    );
    let mut store = filled();
    // chinanews keeps its newest
    let removed = store.apply_retention(rule(None, Some(1))).unwrap();
    assert_eq!(removed, vec![("chinanews".to_string(), 1)]);
    assert_eq!(store.count().unwrap(), 3);
}

#[test]
fn queries_start_from_an_ordered_index_and_never_sort_everything() {
    let store = filled();
    // Every walk of a query, its plan.
    let plans = |q: &FeedQuery| -> Vec<String> {
        let driver = inner(&store).pick_driver(q).unwrap();
        query::statements(q, driver, q.limit)
            .into_iter()
            .map(|(sql, args)| {
                let sql = format!("EXPLAIN QUERY PLAN {sql}");
                let mut stmt = inner(&store).conn.prepare(&sql).unwrap();
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))
                    .unwrap()
                    .collect::<Result<Vec<_>, _>>()
                    .unwrap();
                rows.join("\n")
            })
            .collect()
    };
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let cases = [
        (FeedQuery::default(), 1, "articles_by_time"),
        (
            FeedQuery {
                regions: strings(&["cn-yrd"]),
                industries: strings(&["biomedicine"]),
                langs: strings(&["zh"]),
                ..FeedQuery::default()
            },
            1,
            "tags_by_tag_lang",
        ),
        // Two industries and two languages: four walks, each in order.
        (
            FeedQuery {
                industries: strings(&["biomedicine", "semiconductors"]),
                langs: strings(&["zh", "en"]),
                ..FeedQuery::default()
            },
            4,
            "tags_by_tag_lang",
        ),
        (
            FeedQuery {
                regions: strings(&["cn", "jp"]),
                ..FeedQuery::default()
            },
            2,
            "tags_by_tag",
        ),
        (
            FeedQuery {
                regions: strings(&["cn-yrd"]),
                industries: strings(&["biomedicine"]),
                primary_only: true,
                primary_region_scope: strings(&["cn-yrd", "cn-zj", "cn-zj-hangzhou", "cn-sh"]),
                ..FeedQuery::default()
            },
            1,
            "articles_by_primary_industry",
        ),
        // Language-only and source-only feeds walk their own index to the
        // end of the order key (id included): no sort of tied timestamps.
        (
            FeedQuery {
                langs: strings(&["zh"]),
                ..FeedQuery::default()
            },
            1,
            "articles_by_lang",
        ),
        (
            FeedQuery {
                sources: strings(&["chinanews"]),
                ..FeedQuery::default()
            },
            1,
            "articles_by_source",
        ),
        (
            FeedQuery {
                since: Some(jiff::Timestamp::from_second(1_700_000_000).unwrap()),
                ..FeedQuery::default()
            },
            1,
            "articles_by_time",
        ),
        (
            FeedQuery {
                q: Some("醫藥".into()),
                langs: strings(&["zh"]),
                ..FeedQuery::default()
            },
            1,
            "VIRTUAL TABLE",
        ),
    ];
    for (q, walks, index) in cases {
        let plans = plans(&q);
        assert_eq!(plans.len(), walks, "{q:?}\n{plans:#?}");
        for plan in plans {
            // "TEMP B-TREE FOR LAST TERM OF ORDER BY" is the sort of ties.
            assert!(!plan.contains("TEMP B-TREE"), "{q:?}\n{plan}");
            assert!(
                plan.contains(index),
                "{q:?} should start from {index}:\n{plan}"
            );
        }
    }
    // The rarer filter drives: biomedicine (2 stories) rather than cn (3).
    let q = FeedQuery {
        regions: vec!["cn".into()],
        industries: vec!["biomedicine".into()],
        ..FeedQuery::default()
    };
    assert_eq!(
        inner(&store).pick_driver(&q).unwrap(),
        query::Driver::Tag("industry")
    );
}

/// A store from before migration 4 (full text through `unicode61`) is
/// re-indexed through the `ascii` tokenizer when it is opened, and every
/// story is found by full text again.
#[test]
fn an_older_stores_full_text_is_rebuilt_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut store = Store::open(&path).unwrap();
        let stories = [
            ("https://a/old1", "臺灣半導體產業", "晶片出口創新高。"),
            (
                "https://a/old2",
                "Café owners",
                "Zürich cafés raise prices.",
            ),
        ];
        for (i, (url, title, body)) in stories.into_iter().enumerate() {
            let a = article(url, "src", "zh", title, body, 1_700_000_000 + i as i64);
            store.upsert(&a, &tags(&["tw"], &[]), None).unwrap();
        }
    }
    {
        // Back to migration 3's schema, as an older polywire left it.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE articles_fts;
             CREATE VIRTUAL TABLE articles_fts USING fts5(text, content = '', contentless_delete = 1,
                 tokenize = 'unicode61 remove_diacritics 2');
             DROP TRIGGER id_block_times_insert;
             DROP TRIGGER id_block_times_update;
             DROP TABLE id_block_times;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let sql: String = inner(&store)
        .conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.contains("'ascii'"), "{sql}");
    for (q, url) in [
        ("半导体", "https://a/old1"),
        ("晶片", "https://a/old1"),
        ("cafe", "https://a/old2"),
        ("ZURICH", "https://a/old2"),
    ] {
        let found = store
            .query(&FeedQuery {
                q: Some(q.into()),
                ..FeedQuery::default()
            })
            .unwrap();
        assert_eq!(urls(&found), [url], "{q}");
    }
    // The rebuilt index holds each story's filters too.
    let filtered = |regions: &[&str], sources: &[&str]| {
        let found = store
            .query(&FeedQuery {
                q: Some("半导体".into()),
                regions: regions.iter().map(|r| r.to_string()).collect(),
                langs: vec!["zh".into()],
                sources: sources.iter().map(|s| s.to_string()).collect(),
                ..FeedQuery::default()
            })
            .unwrap();
        urls(&found)
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(filtered(&["tw"], &["src"]), ["https://a/old1"]);
    assert!(filtered(&["jp"], &[]).is_empty());
    assert!(filtered(&[], &["other"]).is_empty());
    // And the newest date of each block of row ids was read from the stories.
    let blocks: Vec<(i64, i64)> = inner(&store)
        .conn
        .prepare("SELECT block, max_time FROM id_block_times")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(blocks, [(0, 1_700_000_001)]);
}

/// A store where the drivers part ways: a word in every story, one in
/// about a third, one in a few; region and industry tags from common to
/// rare; three stories to each timestamp; a sixth of the stories stored
/// last with early dates (a backfill) and one in fifty stored first with
/// the latest dates, so row ids do not follow time either way; and
/// near-duplicate pairs that collapse. Returns the stories as stored, with
/// the tags they were given.
fn mixed_store(n: usize) -> (Store, Vec<(StoredStory, Classification)>) {
    const REGIONS: &[&[&str]] = &[
        &["cn-zj", "cn-yrd", "cn"],
        &["cn-sh", "cn-yrd", "cn"],
        &["cn-gd", "cn-gba", "cn"],
        &["jp-13", "jp"],
        &["us"],
    ];
    const INDUSTRIES: &[&str] = &["ai", "biomedicine", "finance", "energy", "aerospace"];
    let mut rng = fastrand::Rng::with_seed(3);
    let mut stories = Vec::new();
    let mut last_fingerprint = 1u64;
    for i in 0..n {
        let mut words = vec!["market"];
        if rng.usize(..3) == 0 {
            words.push("battery");
        }
        if rng.usize(..40) == 0 {
            words.push("satellite");
        }
        // Region and industry weights skewed so some are rare.
        let region = REGIONS[[0, 0, 1, 1, 2, 2, 2, 3, 4][rng.usize(..9)]];
        let industries: Vec<&str> = match rng.usize(..10) {
            0 => vec!["aerospace", "ai"],
            1..=3 => vec!["ai"],
            4..=5 => vec!["finance", "energy"],
            6 => vec!["biomedicine"],
            _ => vec![INDUSTRIES[rng.usize(..4)]],
        };
        let mut a = article(
            &format!("https://m/{i}"),
            ["chinanews", "xinhua", "kyodo"][i % 3],
            ["zh", "en", "ja"][rng.usize(..3)],
            &format!("story {i}"),
            &words.join(" "),
            1_000_000 + (i as i64 / 3) * 60,
        );
        a.fingerprint = if i % 4 == 3 {
            last_fingerprint
        } else {
            rng.u64(1..)
        };
        last_fingerprint = a.fingerprint;
        stories.push((a, tags(region, &industries)));
    }
    // A few stories dated after all the others but stored first (a wire
    // that dates ahead), the rest in time order, and then a backfill.
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
    let mut store = Store::open_in_memory().unwrap();
    let (ahead, rest): (Vec<_>, Vec<_>) =
        stories.iter().enumerate().partition(|(i, _)| i % 50 == 7);
    let (backfill, live): (Vec<_>, Vec<_>) = rest.into_iter().partition(|(i, _)| i % 6 == 5);
    for (_, (a, t)) in ahead.into_iter().chain(live).chain(backfill) {
        store.upsert(a, t, None).unwrap();
    }
    let stored = stories
        .into_iter()
        .map(|(a, t)| (store.get_by_url(&a.url).unwrap().unwrap(), t))
        .collect();
    (store, stored)
}

/// What a query should return, worked out from the stories themselves:
/// every filter applied to every story, newest first by (time, id).
fn expected(store: &Store, all: &[(StoredStory, Classification)], q: &FeedQuery) -> Vec<String> {
    let text: Option<std::collections::HashSet<i64>> = q.q.as_deref().map(|text| {
        let expr = search::match_expression(text).unwrap();
        let mut stmt = inner(store)
            .conn
            .prepare("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1")
            .unwrap();
        stmt.query_map([expr], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    });
    let tag_matches = |list: &[Tag], asked: &[String], scope: &[String]| {
        if asked.is_empty() {
            return true;
        }
        if q.primary_only {
            let scope = if scope.is_empty() { asked } else { scope };
            list.iter().any(|t| t.primary && scope.contains(&t.id))
        } else {
            list.iter().any(|t| asked.contains(&t.id))
        }
    };
    let mut hits: Vec<&StoredStory> = all
        .iter()
        .filter(|(s, t)| {
            let a = &s.article;
            tag_matches(&t.regions, &q.regions, &q.primary_region_scope)
                && tag_matches(&t.industries, &q.industries, &q.primary_industry_scope)
                && (q.langs.is_empty() || q.langs.contains(&a.lang))
                && (q.sources.is_empty() || q.sources.contains(&a.source))
                && q.since.is_none_or(|since| a.published.unwrap() >= since)
                && text.as_ref().is_none_or(|ids| ids.contains(&s.id))
        })
        .map(|(s, _)| s)
        .collect();
    hits.sort_by_key(|s| std::cmp::Reverse((s.article.published.unwrap(), s.id)));
    // Collapsing keeps the first of each cluster among four times the limit.
    let window = if q.collapse_clusters {
        q.limit * 4
    } else {
        q.limit
    };
    let mut seen = std::collections::HashSet::new();
    hits.into_iter()
        .take(window)
        .filter(|s| !q.collapse_clusters || seen.insert(s.cluster))
        .take(q.limit)
        .map(|s| s.article.url.clone())
        .collect()
}

#[test]
fn every_driver_returns_the_newest_matches_by_time_then_id() {
    let (store, all) = mixed_store(1_200);
    // The store really is out of order: some row ids are above newer stories'.
    let by_id =
        |a: &StoredStory, b: &StoredStory| a.id > b.id && a.article.published < b.article.published;
    assert!(
        all.iter()
            .any(|(a, _)| all.iter().any(|(b, _)| by_id(a, b)))
    );
    let mut rng = fastrand::Rng::with_seed(5);
    let mut pick = |list: &[&str], most: usize| -> Vec<String> {
        let n = rng.usize(..=most);
        let mut out: Vec<String> = Vec::new();
        for _ in 0..n {
            let v = list[rng.usize(..list.len())].to_string();
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    };
    for round in 0..160 {
        let text = pick(&["market", "battery", "satellite", "market battery"], 1);
        let primary_only = round % 5 == 4;
        let mut q = FeedQuery {
            q: text.into_iter().next(),
            regions: pick(&["cn", "cn-yrd", "cn-zj", "jp", "us", "cn-gba"], 2),
            industries: pick(&["ai", "biomedicine", "finance", "energy", "aerospace"], 2),
            langs: pick(&["zh", "en", "ja"], 2),
            sources: pick(
                &["chinanews", "xinhua", "kyodo"],
                if round % 3 == 0 { 1 } else { 0 },
            ),
            since: (round % 7 == 0).then(|| Timestamp::from_second(1_000_000 + 60 * 250).unwrap()),
            primary_only,
            collapse_clusters: round % 4 == 1,
            limit: [1, 2, 5, 20, 60][round % 5],
            ..FeedQuery::default()
        };
        if primary_only && q.regions.iter().any(|r| r == "cn-yrd") {
            q.primary_region_scope = ["cn-yrd", "cn-zj", "cn-sh"].map(String::from).to_vec();
        }
        let want = expected(&store, &all, &q);
        let mut drivers = vec![query::Driver::Time];
        if q.q.is_some() {
            drivers.push(query::Driver::FullText);
        }
        if primary_only {
            if !q.industries.is_empty() {
                drivers.push(query::Driver::PrimaryIndustry);
            }
        } else {
            if !q.regions.is_empty() {
                drivers.push(query::Driver::Tag("region"));
            }
            if !q.industries.is_empty() {
                drivers.push(query::Driver::Tag("industry"));
            }
        }
        for driver in drivers {
            let got = query_with(&store, &q, driver);
            assert_eq!(urls(&got), want, "{driver:?} {q:?}");
        }
        assert_eq!(urls(&store.query(&q).unwrap()), want, "{q:?}");
    }
}
