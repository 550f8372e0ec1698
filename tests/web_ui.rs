//! The web UI's pages through the router: the index, a feed's preview,
//! the page for an unknown feed and the sources page. Each is parsed as
//! HTML and checked for what a reader relies on: structure, `lang` on
//! every story, dates in the reader's terms with the exact time beside
//! them, labels rather than ids, and hostile text kept as text.

mod serve_support;

use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use polywire::model::{Article, Classification, Tag};
use polywire::serve::AppState;
use polywire::store::{SourceState, Store};
use scraper::{ElementRef, Html, Selector};
use serve_support::{BASE, Reply, config, filled_store, get};
use std::sync::{Arc, Mutex};

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

fn text(el: &ElementRef<'_>) -> String {
    el.text().collect::<String>()
}

fn attr(el: &ElementRef<'_>, name: &str) -> String {
    el.value().attr(name).unwrap_or_default().to_string()
}

/// A state over the test configuration and the filled store, with
/// `prepare` run on the store first.
fn state_with(prepare: impl FnOnce(&mut Store)) -> AppState {
    let (config, taxonomy) = config();
    let (mut store, _) = filled_store(Timestamp::now());
    prepare(&mut store);
    AppState::with_shared_store(config, taxonomy, Arc::new(Mutex::new(store)))
}

fn html_ok(reply: &Reply) -> Html {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "text/html; charset=utf-8");
    let csp = reply.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    Html::parse_document(&reply.body)
}

/// Checks every story item: a `lang`, a headline link, and a `<time>`
/// whose `datetime` and `title` are the exact time and whose text is
/// relative.
fn check_stories(doc: &Html) -> usize {
    let stories = all(doc, "li.story");
    for story in &stories {
        let lang = attr(story, "lang");
        assert!(!lang.is_empty(), "story without lang: {}", story.html());
        assert!(story.select(&sel("a.headline[href]")).next().is_some());
        let time = story.select(&sel("time")).next().expect("a time");
        let iso = attr(&time, "datetime");
        assert!(iso.parse::<Timestamp>().is_ok(), "{iso}");
        assert_eq!(attr(&time, "title"), iso);
        let shown = text(&time);
        assert!(
            shown.ends_with(" ago") || shown == "just now" || shown.contains(' '),
            "{shown}"
        );
    }
    stories.len()
}

#[tokio::test]
async fn index_shows_feed_activity_relative_dates_and_lang_per_story() {
    let state = state_with(|_| {});
    let reply = get(&state, "/").await;
    let doc = html_ok(&reply);
    assert_eq!(check_stories(&doc), 10, "every stored story is listed");

    // Stories carry their own language; the interface text inside says it is English.
    let langs: Vec<String> = all(&doc, "li.story")
        .iter()
        .map(|s| attr(s, "lang"))
        .collect();
    for want in ["zh-Hans", "zh-Hant", "ja", "en"] {
        assert!(langs.iter().any(|l| l == want), "{want} in {langs:?}");
    }
    for byline in all(&doc, "li.story .byline") {
        assert_eq!(attr(&byline, "lang"), "en");
    }
    // The story published two hours ago reads so.
    let chinanews = all(&doc, "li.story")
        .into_iter()
        .find(|s| text(s).contains("长三角生物医药产业集群加速发展"))
        .unwrap();
    assert_eq!(attr(&chinanews, "lang"), "zh-Hans");
    let time = chinanews.select(&sel("time")).next().unwrap();
    assert_eq!(text(&time), "2 h ago");
    // Tags show labels in the story's language, the id in the title.
    let tag = chinanews
        .select(&sel(".tags.regions span[title='cn-yrd']"))
        .next()
        .expect("the Yangtze River Delta tag");
    assert_eq!(text(&tag), "长三角");

    // Each feed: a link to its preview, its activity, its subscribe links.
    let card = doc
        .select(&sel("#feed-yrd-biomedicine"))
        .next()
        .expect("the feed's card");
    let preview = card.select(&sel("h3 a")).next().unwrap();
    assert_eq!(attr(&preview, "href"), "feeds/yrd-biomedicine.html");
    let activity = text(&card.select(&sel(".activity")).next().unwrap());
    // Stories 0 and 1 (2 and 3 hours old) are in the last 24 h; story 2
    // (20 hours) too: three in all.
    assert!(
        activity.starts_with("3 stories in 24 h · latest 2 h ago"),
        "{activity}"
    );
    for ext in ["rss", "atom", "json"] {
        assert!(
            card.select(&sel(&format!(
                "a.subscribe-{ext}[href='feeds/yrd-biomedicine.{ext}']"
            )))
            .next()
            .is_some(),
            "{ext}"
        );
    }
    // The navigation reaches the sources page; the form still builds feeds.
    assert!(doc.select(&sel("nav a[href='./sources']")).next().is_some());
    assert!(
        doc.select(&sel("form#filter select#f-region"))
            .next()
            .is_some()
    );
    // The style sheet is inline, dark-mode aware and loads nothing.
    let style = text(&doc.select(&sel("head style")).next().unwrap());
    assert!(style.contains("prefers-color-scheme: dark"));
    assert!(!style.contains("@import") && !style.contains("url("));
    assert!(
        doc.select(&sel("link[rel='stylesheet'], script"))
            .next()
            .is_none()
    );
}

#[tokio::test]
async fn a_busy_feed_counts_to_fifty_and_filtered_indexes_skip_the_counts() {
    let now = Timestamp::now();
    let state = state_with(|store| {
        for i in 0..55 {
            let article = Article {
                url: format!("https://english.news.example/2026/ai-{i}.html"),
                source: "xinhua-en".into(),
                title: format!("AI chip start-up number {i} raises funds"),
                lang: "en".into(),
                published: Some(now - SignedDuration::from_mins(10 + i)),
                zone: "UTC".into(),
                body: vec!["Funding.".into()],
                fingerprint: 0x1000 + i as u64 * 0x0101_0101_0101,
                ..Article::default()
            };
            let tags = Classification {
                regions: Vec::new(),
                industries: vec![Tag {
                    id: "ai".into(),
                    score: 0.9,
                    primary: true,
                    evidence: Vec::new(),
                }],
                dateline_region: None,
            };
            store.upsert(&article, &tags, None).unwrap();
        }
    });
    let doc = html_ok(&get(&state, "/").await);
    let activity = text(&doc.select(&sel("#feed-ai .activity")).next().unwrap());
    // The newest is the fixtures' undated AI story, first seen when stored.
    assert_eq!(activity, "50+ stories in 24 h · latest just now");
    // A filtered index lists the same feeds, without a query per feed.
    let filtered = html_ok(&get(&state, "/?lang=en").await);
    assert_eq!(all(&filtered, "li.feed").len(), all(&doc, "li.feed").len());
    assert!(all(&filtered, ".activity").is_empty());
    // An empty form is the plain index.
    let empty = html_ok(&get(&state, "/?lang=&region=").await);
    assert_eq!(all(&empty, ".activity").len(), all(&doc, ".activity").len());
}

#[tokio::test]
async fn hostile_titles_and_tags_stay_text_on_every_page() {
    let now = Timestamp::now();
    let state = state_with(|store| {
        // A tag id nobody defined is shown as itself: it must stay text too.
        let article = Article {
            url: "https://english.news.example/20261128/hostile-tag.html".into(),
            source: "xinhua-en".into(),
            title: "Quiet <img src=x onerror=alert(1)> headline".into(),
            lang: "en\" onmouseover=\"alert(1)".into(),
            published: Some(now - SignedDuration::from_hours(1)),
            zone: "UTC".into(),
            body: vec!["Body.".into()],
            fingerprint: 0x4242_4242_4242_4242,
            ..Article::default()
        };
        let tag = |id: &str| Tag {
            id: id.into(),
            score: 0.9,
            primary: true,
            evidence: Vec::new(),
        };
        let tags = Classification {
            regions: vec![tag("cn-yrd"), tag("<script>alert('tag')</script>")],
            industries: vec![tag("biomedicine")],
            dateline_region: None,
        };
        store.upsert(&article, &tags, None).unwrap();
        store
            .record_run(&SourceState {
                id: "cna".into(),
                last_run: Some(now),
                last_status: Some("http_5xx".into()),
                last_error: Some("GET https://cna.example/<script>alert(1)</script> failed".into()),
                failures: 1,
                ..SourceState::default()
            })
            .unwrap();
    });
    for path in ["/", "/feeds/yrd-biomedicine.html", "/sources"] {
        let reply = get(&state, path).await;
        let doc = html_ok(&reply);
        assert!(
            all(&doc, "script, img, [onerror], [onmouseover]").is_empty(),
            "{path}: active markup from stored text"
        );
        if path != "/sources" {
            let body = &reply.body;
            assert!(
                body.contains("Quiet &#60;img src=x onerror=alert(1)&#62; headline"),
                "{path}"
            );
            assert!(
                doc.select(&sel("span[title=\"<script>alert('tag')</script>\"]"))
                    .next()
                    .is_some(),
                "{path}: the unknown tag is shown as its id"
            );
            assert!(
                !body.contains('\u{202E}'),
                "direction overrides are removed"
            );
        }
    }
    let sources = get(&state, "/sources").await;
    let doc = Html::parse_document(&sources.body);
    let error = doc.select(&sel("#source-cna .error-text")).next().unwrap();
    assert_eq!(
        text(&error),
        "GET https://cna.example/<script>alert(1)</script> failed"
    );
}

#[tokio::test]
async fn preview_lists_the_feeds_stories_with_labels_siblings_and_every_format() {
    let state = state_with(|_| {});
    let reply = get(&state, "/feeds/yrd-biomedicine.html").await;
    let doc = html_ok(&reply);
    let title = text(&doc.select(&sel("h1")).next().unwrap());
    assert_eq!(title, "Biomedicine in the Yangtze River Delta");
    // Exactly the feed's stories: the three Delta biomedicine ones.
    assert_eq!(check_stories(&doc), 3);
    let headlines: Vec<String> = all(&doc, "li.story a.headline").iter().map(text).collect();
    assert_eq!(
        headlines,
        [
            "长三角生物医药产业集群加速发展",
            "長三角生物醫藥產業集群加速發展",
            "杭州生醫新創獲融資 醫藥研發提速",
        ]
    );
    // Labels, not ids, in each story's own language.
    let hant = all(&doc, "li.story")[1];
    assert_eq!(attr(&hant, "lang"), "zh-Hant");
    let industries: Vec<String> = hant
        .select(&sel(".tags.industries span[title]"))
        .map(|t| text(&t))
        .collect();
    assert_eq!(industries, ["生物醫藥"]);
    // The same story from the other wire is named on each of the pair.
    let also: Vec<String> = all(&doc, "li.story .also").iter().map(text).collect();
    assert_eq!(
        also,
        [
            "also from Central News Agency",
            "also from China News Service"
        ],
        "{}",
        reply.body
    );
    // What the feed is narrowed to, in words.
    let scope = text(&doc.select(&sel("dl.scope")).next().unwrap());
    assert!(
        scope.contains("Yangtze River Delta") && scope.contains("Biomedicine"),
        "{scope}"
    );
    // A link per offered format, relative, with the absolute URL to copy.
    let (config, _) = config();
    let feed = config.feed("yrd-biomedicine").unwrap();
    assert!(feed.formats.len() >= 3, "{:?}", feed.formats);
    assert_eq!(all(&doc, "#subscribe a").len(), feed.formats.len());
    for format in &feed.formats {
        let ext = format.extension();
        let link = doc
            .select(&sel(&format!("#subscribe a.subscribe-{ext}")))
            .next()
            .unwrap_or_else(|| panic!("{ext} link"));
        assert_eq!(attr(&link, "href"), format!("yrd-biomedicine.{ext}"));
        let alternate = doc
            .select(&sel(&format!(
                "head link[rel=alternate][href='yrd-biomedicine.{ext}']"
            )))
            .next();
        assert!(alternate.is_some(), "{ext} autodiscovery");
    }
    let codes: Vec<String> = all(&doc, "#subscribe code").iter().map(text).collect();
    let want: Vec<String> = feed
        .formats
        .iter()
        .map(|f| format!("{BASE}/feeds/yrd-biomedicine.{}", f.extension()))
        .collect();
    assert_eq!(codes, want);
    // Each link leads to a feed the server serves.
    for format in &feed.formats {
        let path = format!("/feeds/yrd-biomedicine.{}", format.extension());
        assert_eq!(get(&state, &path).await.status, StatusCode::OK, "{path}");
    }
    // Parameters are dropped by a redirect, so one copy is cached.
    let tagged = get(&state, "/feeds/yrd-biomedicine.html?utm_source=mail").await;
    assert_eq!(tagged.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(tagged.headers["location"], "yrd-biomedicine.html");
    // Back to the index.
    assert!(
        doc.select(&sel("header nav a[href='../']"))
            .next()
            .is_some()
    );
}

#[tokio::test]
async fn an_unknown_feed_gets_a_404_page_listing_the_known_feeds() {
    let state = state_with(|_| {});
    let reply = get(&state, "/feeds/%3Cb%3Enope%3C%2Fb%3E.html").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.headers["content-type"], "text/html; charset=utf-8");
    assert!(reply.headers.contains_key("content-security-policy"));
    let doc = Html::parse_document(&reply.body);
    assert!(all(&doc, "b").is_empty(), "the name asked for stays text");
    assert_eq!(
        text(&doc.select(&sel("h1")).next().unwrap()),
        "No feed named “<b>nope</b>”"
    );
    let (config, _) = config();
    let links: Vec<String> = all(&doc, "ul.known a")
        .iter()
        .map(|a| attr(a, "href"))
        .collect();
    let want: Vec<String> = config
        .feeds
        .iter()
        .map(|f| format!("{}.html", f.name))
        .collect();
    assert_eq!(links, want);
    // The same style as every page.
    assert!(doc.select(&sel("head style")).next().is_some());
    // Feed files of unknown feeds are still plain 404s.
    assert_eq!(
        get(&state, "/feeds/nope.rss").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sources_page_shows_each_wires_runs_failures_and_disabled_ones() {
    let now = Timestamp::now();
    let (mut config, taxonomy) = config();
    config
        .sources
        .iter_mut()
        .find(|s| s.id == "nikkei")
        .unwrap()
        .enabled = false;
    let (store, _) = filled_store(now);
    let min = |m: i64| SignedDuration::from_mins(m);
    store
        .record_run(&SourceState {
            id: "chinanews".into(),
            last_run: Some(now - min(5)),
            last_status: Some("ok".into()),
            stories_new: 12,
            stories_updated: 3,
            // Half a minute spare: the page is made a moment after `now`.
            next_run: Some(now + min(10) + SignedDuration::from_secs(30)),
            ..SourceState::default()
        })
        .unwrap();
    store
        .record_run(&SourceState {
            id: "cna".into(),
            last_run: Some(now - min(120)),
            last_status: Some("timeout".into()),
            last_error: Some("GET https://cna.example/rss.xml: timed out after 30 s".into()),
            failures: 4,
            next_run: Some(now + min(60)),
            ..SourceState::default()
        })
        .unwrap();
    store
        .record_run(&SourceState {
            id: "retired-wire".into(),
            last_run: Some(now - min(60 * 24 * 3)),
            last_status: Some("ok".into()),
            ..SourceState::default()
        })
        .unwrap();
    let state = AppState::new(config.clone(), taxonomy, store);
    let reply = get(&state, "/sources").await;
    let doc = html_ok(&reply);
    assert_eq!(reply.headers["cache-control"], "no-store");

    let row = |id: &str| {
        doc.select(&sel(&format!("tr#source-{id}")))
            .next()
            .unwrap_or_else(|| panic!("row {id}"))
    };
    let cell = |id: &str, label: &str| {
        let r = row(id);
        let c = r
            .select(&sel(&format!("td[data-label='{label}']")))
            .next()
            .unwrap_or_else(|| panic!("{id} {label}"));
        text(&c)
    };
    // Every configured wire, then the one that ran but is gone.
    let ids: Vec<String> = all(&doc, "tbody tr")
        .iter()
        .map(|r| attr(r, "id").trim_start_matches("source-").to_string())
        .collect();
    let mut want: Vec<String> = config.sources.iter().map(|s| s.id.clone()).collect();
    want.push("retired-wire".into());
    assert_eq!(ids, want);

    assert_eq!(
        cell("chinanews", "State"),
        "ok",
        "the `ok` code is not said twice"
    );
    assert_eq!(cell("chinanews", "Last run"), "5 min ago");
    assert_eq!(cell("chinanews", "New"), "12");
    assert_eq!(cell("chinanews", "Updated"), "3");
    assert_eq!(cell("chinanews", "Next run"), "in 10 min");
    assert_eq!(cell("chinanews", "Last error"), "—");
    let time = row("chinanews").select(&sel("time")).next().unwrap();
    assert_eq!(attr(&time, "title"), attr(&time, "datetime"));

    assert_eq!(cell("cna", "State"), "failing timeout");
    assert_eq!(cell("cna", "Failures"), "4");
    assert_eq!(cell("cna", "Last run"), "2 h ago");
    assert_eq!(
        cell("cna", "Last error"),
        "GET https://cna.example/rss.xml: timed out after 30 s"
    );
    assert_eq!(cell("nikkei", "State"), "disabled");
    assert_eq!(
        cell("nikkei", "Next run"),
        "—",
        "a disabled wire has no next run"
    );
    assert_eq!(cell("xinhua-en", "State"), "waiting");
    assert_eq!(cell("xinhua-en", "Last run"), "never");
    assert_eq!(cell("retired-wire", "State"), "removed");
    assert_eq!(cell("retired-wire", "Last run"), "3 d ago");

    let lede = text(&doc.select(&sel("p.lede")).next().unwrap());
    assert!(
        lede.starts_with("5 wires: 1 ok, 1 failing, 0 retrying, 1 waiting for a first run, 1 disabled; 10 stories stored."),
        "{lede}"
    );
    // The page is reached from the index, and says it is the current one.
    assert_eq!(
        attr(
            &doc.select(&sel("nav a[aria-current=page]")).next().unwrap(),
            "href"
        ),
        "./sources"
    );
}

#[tokio::test]
async fn the_static_export_links_only_to_files_it_writes() {
    let state = state_with(|_| {});
    let dir = tempfile::tempdir().unwrap();
    state.export(dir.path()).unwrap();
    let index = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let doc = Html::parse_document(&index);
    for link in all(&doc, "a[href], link[href]") {
        let href = attr(&link, "href");
        if href.starts_with("http") || href.starts_with('#') || href == "./" {
            continue;
        }
        assert!(dir.path().join(&href).is_file(), "{href} is not exported");
    }
    assert_eq!(check_stories(&doc), 10);
}
