//! Every kind of document the server emits, read back strictly: a
//! well-formedness parse with quick-xml (any error fails), a feed parse
//! with feed-rs, and the W3C feed validator's main rules (required
//! elements, date formats, unique ids, self link = request URL). Hostile
//! stories must come out inert in every format.

mod serve_support;

use axum::http::StatusCode;
use polywire::emit::sanitize::one_line;
use serve_support::xml::{Node, parse_strict};
use serve_support::*;
use std::collections::HashSet;

fn assert_rfc3339(s: &str) {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("`{s}` is not RFC 3339: {e}"));
}

fn assert_rfc822(s: &str) {
    chrono::DateTime::parse_from_rfc2822(s).unwrap_or_else(|e| panic!("`{s}` is not RFC 822: {e}"));
    assert!(s.ends_with("+0000"), "{s}");
}

/// W3C rules for RSS 2.0; returns the items.
fn check_rss(doc: &Node, url: &str) -> Vec<Node> {
    assert_eq!(doc.name, "rss");
    assert_eq!(doc.attr("version"), Some("2.0"));
    let channel = doc.one("channel");
    for required in ["title", "link", "description"] {
        assert!(
            !channel.one(required).text.trim().is_empty(),
            "channel {required}"
        );
    }
    assert_rfc822(&channel.one("lastBuildDate").text);
    let self_links: Vec<&Node> = channel
        .all("atom:link")
        .into_iter()
        .filter(|l| l.attr("rel") == Some("self"))
        .collect();
    assert_eq!(self_links.len(), 1);
    assert_eq!(
        self_links[0].attr("href"),
        Some(url),
        "self link = request URL"
    );
    assert_eq!(self_links[0].attr("type"), Some("application/rss+xml"));
    let mut guids = HashSet::new();
    let items: Vec<Node> = channel.all("item").into_iter().cloned().collect();
    for item in &items {
        assert!(!item.one("title").text.is_empty());
        assert!(item.one("link").text.starts_with("http"));
        assert!(guids.insert(item.one("guid").text.clone()), "guids unique");
        for date in item.all("pubDate") {
            assert_rfc822(&date.text);
        }
        for cat in item.all("category") {
            if let Some(domain) = cat.attr("domain") {
                assert!(domain.starts_with(BASE), "{domain}");
            }
        }
    }
    items
}

/// W3C rules for Atom 1.0; returns the entries.
fn check_atom(doc: &Node, url: &str) -> Vec<Node> {
    assert_eq!(doc.name, "feed");
    assert_eq!(doc.attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
    assert!(
        doc.one("id")
            .text
            .starts_with("tag:feeds.polywire.test,2026:")
    );
    assert!(!doc.one("title").text.is_empty());
    assert_rfc3339(&doc.one("updated").text);
    assert!(
        !doc.all("author").is_empty(),
        "feed-level author covers entries"
    );
    let links = doc.all("link");
    let me: Vec<&&Node> = links
        .iter()
        .filter(|l| l.attr("rel") == Some("self"))
        .collect();
    assert_eq!(me.len(), 1);
    assert_eq!(me[0].attr("href"), Some(url), "self link = request URL");
    let mut ids = HashSet::new();
    let mut updated = HashSet::new();
    let entries: Vec<Node> = doc.all("entry").into_iter().cloned().collect();
    for e in &entries {
        // The validator warns "Two entries with the same value for
        // atom:updated": a story's updated is its own last change, not
        // the time a batch was stored.
        assert!(
            updated.insert(e.one("updated").text.clone()),
            "{url}: two entries updated at {}",
            e.one("updated").text
        );
        for p in e.all("published") {
            assert!(
                p.text <= e.one("updated").text,
                "{url}: published after updated"
            );
        }
        let id = &e.one("id").text;
        assert!(
            id.starts_with("tag:feeds.polywire.test,2026:story/"),
            "{id}"
        );
        assert!(ids.insert(id.clone()), "entry ids unique");
        assert!(e.attr("xml:lang").is_some_and(|l| !l.is_empty()));
        assert!(!e.one("title").text.is_empty());
        assert_rfc3339(&e.one("updated").text);
        for p in e.all("published") {
            assert_rfc3339(&p.text);
        }
        let alternate: Vec<&Node> = e
            .all("link")
            .into_iter()
            .filter(|l| l.attr("rel") == Some("alternate"))
            .collect();
        assert_eq!(alternate.len(), 1);
        for cat in e.all("category") {
            assert!(cat.attr("term").is_some_and(|t| !t.is_empty()));
            assert!(cat.attr("label").is_some());
        }
        if let Some(content) = e.all("content").first() {
            assert_eq!(content.attr("type"), Some("html"));
        }
    }
    entries
}

/// JSON Feed 1.1 rules; returns the items.
fn check_json(body: &str, url: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(body).expect("valid JSON");
    assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
    assert!(v["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(v["feed_url"], url, "feed_url = request URL");
    let items = v["items"].as_array().expect("items").clone();
    let mut ids = HashSet::new();
    for item in &items {
        assert!(ids.insert(item["id"].as_str().expect("id").to_string()));
        assert!(item["content_html"].is_string() || item["content_text"].is_string());
        for key in ["date_published", "date_modified"] {
            if let Some(d) = item[key].as_str() {
                assert_rfc3339(d);
            }
        }
        assert!(item["tags"].is_array());
        assert!(item["language"].is_string());
    }
    items
}

/// Every feed URL the server offers: the ad-hoc feed in three formats and
/// with filters, every named feed in each of its formats.
fn feed_urls() -> Vec<String> {
    let (config, _) = config();
    let mut urls = vec![
        "/feed.rss".to_string(),
        "/feed.atom".into(),
        "/feed.json".into(),
        "/feed.atom?region=cn-yrd&script=hant&collapse=clusters".into(),
        "/feed.rss?filter=%E9%86%AB|AI&filter_case_sensitive=false&limit=3".into(),
    ];
    for feed in &config.feeds {
        for f in &feed.formats {
            urls.push(format!("/feeds/{}.{}", feed.name, f.extension()));
        }
    }
    urls
}

#[tokio::test]
async fn every_feed_is_strictly_valid_and_parses_as_a_feed() {
    let (state, _) = state();
    let urls = feed_urls();
    assert!(urls.len() >= 26 * 3, "every named feed in every format");
    for uri in urls {
        let reply = get(&state, &uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{uri}");
        // The self link is the feed's canonical URL (parameters sorted).
        let (path, query) = uri
            .split_once('?')
            .map_or((uri.as_str(), None), |(p, q)| (p, Some(q)));
        let url = format!(
            "{BASE}{}",
            polywire::serve::cache::canonical_key(path, query)
        );
        let ct = reply.headers["content-type"].to_str().unwrap().to_string();
        let count = if uri.contains(".json") {
            assert_eq!(ct, "application/feed+json; charset=utf-8");
            check_json(&reply.body, &url).len()
        } else if uri.contains(".atom") {
            assert_eq!(ct, "application/atom+xml; charset=utf-8");
            check_atom(&parse_strict(&reply.body), &url).len()
        } else {
            assert_eq!(ct, "application/rss+xml; charset=utf-8");
            check_rss(&parse_strict(&reply.body), &url).len()
        };
        let parsed = feed_rs::parser::parse(reply.body.as_bytes())
            .unwrap_or_else(|e| panic!("{uri}: feed-rs cannot parse: {e}"));
        assert_eq!(parsed.entries.len(), count, "{uri}");
        assert!(parsed.title.is_some(), "{uri}");
        for entry in &parsed.entries {
            assert!(!entry.links.is_empty(), "{uri}: entry link");
        }
    }
}

#[tokio::test]
async fn entry_ids_are_stable_across_restarts() {
    // Two independent stores (a "restart"), stories stored in another order.
    let id_of = |state_reply: &str| -> Vec<String> {
        let doc = parse_strict(state_reply);
        let mut ids: Vec<String> = doc
            .all("entry")
            .iter()
            .map(|e| e.one("id").text.clone())
            .collect();
        ids.sort();
        ids
    };
    let (state_a, _) = state();
    let a = get(&state_a, "/feed.atom").await.body;
    let (config, taxonomy) = config();
    let mut store = polywire::store::Store::open_in_memory().unwrap();
    for f in stories(jiff::Timestamp::now()).iter().rev() {
        store.upsert(&f.article, &f.tags, None).unwrap();
    }
    let state_b = polywire::serve::AppState::new(config, taxonomy, store);
    let b = get(&state_b, "/feed.atom").await.body;
    assert_eq!(id_of(&a), id_of(&b));
}

/// Parses an HTML fragment and fails on anything active in it.
fn assert_inert_html(html: &str, context: &str) {
    assert_no_active_html(html, context, &["style", "form"]);
}

/// Fails on scripts, plugins, event handlers and script URLs; `forbidden`
/// adds element names that must not appear either.
fn assert_no_active_html(html: &str, context: &str, forbidden: &[&str]) {
    let doc = scraper::Html::parse_fragment(html);
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = el.value().name();
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed") && !forbidden.contains(&name),
            "{context}: <{name}> survived in {html}"
        );
        for (attr, value) in el.value().attrs() {
            assert!(!attr.starts_with("on"), "{context}: {attr}= survived");
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !(v.starts_with("javascript:")
                    || v.starts_with("data:")
                    || v.starts_with("vbscript:")),
                "{context}: {attr}={value} survived"
            );
        }
    }
}

fn assert_clean_text(text: &str, context: &str) {
    for c in text.chars() {
        assert!(
            !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
            "{context}: U+{:04X} survived",
            c as u32
        );
    }
}

#[tokio::test]
async fn hostile_stories_come_out_inert_in_all_formats() {
    let (state, _) = state();
    let expected_title = one_line(HOSTILE_TITLE);
    assert_eq!(
        expected_title,
        "Chip <script>alert('t')</script> ]]> & gnp.exe news"
    );

    let rss = get(&state, "/feed.rss?filter_author=Mallory").await.body;
    assert!(!rss.contains("<script"), "no raw markup in the XML");
    let doc = parse_strict(&rss);
    let items = check_rss(&doc, &format!("{BASE}/feed.rss?filter_author=Mallory"));
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(
        item.one("title").text,
        expected_title,
        "the title stays text"
    );
    assert_inert_html(&item.one("content:encoded").text, "rss content");
    assert_clean_text(&rss, "rss");
    assert_eq!(item.one("dc:creator").text, "<b>Mallory</b>");

    let atom = get(&state, "/feed.atom?filter_author=Mallory").await.body;
    assert!(!atom.contains("<script"));
    let doc = parse_strict(&atom);
    let entries = check_atom(&doc, &format!("{BASE}/feed.atom?filter_author=Mallory"));
    assert_eq!(entries[0].one("title").text, expected_title);
    assert_inert_html(&entries[0].one("content").text, "atom content");
    assert_clean_text(&atom, "atom");

    let json = get(&state, "/feed.json?filter_author=Mallory").await.body;
    let items = check_json(&json, &format!("{BASE}/feed.json?filter_author=Mallory"));
    assert_eq!(items[0]["title"], expected_title.as_str());
    let html = items[0]["content_html"].as_str().unwrap();
    assert_inert_html(html, "json content_html");
    assert_clean_text(html, "json");
    assert_clean_text(items[0]["title"].as_str().unwrap(), "json title");
    // The markup survives as visible text, not as elements.
    assert!(
        html.contains("&lt;script&gt;alert('body')&lt;/script&gt;"),
        "{html}"
    );

    let page = get(&state, "/").await.body;
    // The page has its own style sheet and form; nothing from a story.
    assert_no_active_html(&page, "index page", &[]);
    assert_clean_text(&page, "index page");
    assert!(
        page.contains("Chip &#60;script&#62;"),
        "askama escapes with numeric references"
    );
}

#[tokio::test]
async fn hostile_links_and_images_are_dropped_or_made_absolute() {
    use polywire::emit::FeedItem;
    use polywire::model::{Article, StoredStory};
    let (_, taxonomy) = config();
    let mut story = StoredStory {
        id: 1,
        article: Article {
            url: "https://wire.example/news/2026/a.html".into(),
            source: "wire".into(),
            title: "t".into(),
            lang: "en".into(),
            body: vec!["p".into()],
            image: Some("../img/lead.jpg".into()),
            ..Article::default()
        },
        regions: vec![],
        industries: vec![],
        cluster: 1,
        first_seen: jiff::Timestamp::UNIX_EPOCH,
        updated: jiff::Timestamp::UNIX_EPOCH,
        item_updated: None,
        also_from: vec![],
    };
    let item = FeedItem::from_story(&story, &taxonomy, "x.test", None);
    assert_eq!(
        item.image.as_deref(),
        Some("https://wire.example/news/img/lead.jpg")
    );
    assert!(
        item.content_html
            .contains("src=\"https://wire.example/news/img/lead.jpg\"")
    );
    story.article.image = Some("javascript:alert(1)".into());
    let item = FeedItem::from_story(&story, &taxonomy, "x.test", None);
    assert_eq!(item.image, None);
    assert!(!item.content_html.contains("javascript"));
}

#[tokio::test]
async fn opml_lists_every_named_feed_and_parses() {
    let (state, _) = state();
    let (config, _) = config();
    for uri in ["/opml", "/opml.xml"] {
        let reply = get(&state, uri).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.headers["content-type"], "text/x-opml; charset=utf-8");
        let doc = parse_strict(&reply.body);
        assert_eq!(doc.name, "opml");
        assert_eq!(doc.attr("version"), Some("2.0"));
        assert!(!doc.one("head").one("title").text.is_empty());
        assert_rfc822(&doc.one("head").one("dateCreated").text);
        let outlines = doc.one("body").all("outline");
        assert_eq!(outlines.len(), config.feeds.len());
        for (o, feed) in outlines.iter().zip(&config.feeds) {
            assert_eq!(o.attr("type"), Some("rss"));
            assert_eq!(o.attr("text"), Some(feed.title.as_str()));
            assert_eq!(
                o.attr("xmlUrl").unwrap(),
                format!("{BASE}/feeds/{}.rss", feed.name)
            );
        }
    }
}

#[tokio::test]
async fn script_converts_the_feed_title_as_well_as_its_entries() {
    let (state, _) = state();
    let doc = parse_strict(
        &get(&state, "/feed.atom?q=%E9%86%AB%E8%97%A5&script=hans")
            .await
            .body,
    );
    let title = &doc.one("title").text;
    assert!(title.contains("医药"), "{title}");
    assert!(!title.contains("醫藥"), "{title}");
}
