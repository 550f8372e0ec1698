//! Hostile input from the network: bounded, inert, never a crash.

mod support;

use polywire::config::IndexKind;
use polywire::model::RawDocument;
use polywire::store::Store;
use std::sync::{Arc, Mutex};
use support::{TestConfig, WireServer};

fn doc(text: String) -> RawDocument {
    RawDocument {
        url: url::Url::parse("https://wire.example/feed.xml").unwrap(),
        content_type: None,
        text,
        charset: "UTF-8",
        fetched_at: jiff::Timestamp::now(),
    }
}

#[test]
fn entity_expansion_is_never_performed() {
    // "Billion laughs": nine levels of ten-fold expansion.
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
    }
    let feed = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE rss [{dtd}]><rss version=\"2.0\"><channel><title>t</title>\
         <item><title>&lol9;</title><link>https://wire.example/a</link><description>&lol9;</description></item></channel></rss>"
    );
    let entries =
        polywire::extract::parse_index(&doc(feed), IndexKind::Rss, None, "UTC").unwrap_or_default();
    for entry in &entries {
        let title = entry.title.clone().unwrap_or_default();
        assert!(
            title.len() < 100,
            "entity expanded to {} bytes",
            title.len()
        );
        assert!(entry.summary_html.as_deref().unwrap_or("").len() < 100);
    }
}

#[test]
fn a_ten_megabyte_paragraph_is_normalized_and_classified_without_growing() {
    let sentence = "杭州生物医药企业发布新药研发进展，长三角产业协同加快。";
    let paragraph = sentence.repeat(10 * 1024 * 1024 / sentence.len());
    let story = polywire::model::ExtractedArticle {
        url: "https://wire.example/huge".into(),
        title: "巨型段落".into(),
        body: vec![paragraph.clone()],
        ..Default::default()
    };
    let ctx = polywire::normalize::NormalizeContext {
        source: "t".into(),
        language: "zh-Hans".into(),
        timezone: "Asia/Shanghai".into(),
        fetched_at: jiff::Timestamp::now(),
    };
    let article = polywire::normalize::normalize(story, &ctx);
    let total: usize = article.body.iter().map(String::len).sum();
    assert!(total <= paragraph.len(), "normalization grew the text");
    assert!(article.summary.len() < 4096, "summary is bounded");
    let taxonomy =
        polywire::classify::Taxonomy::load(&support::repo_config().join("taxonomy")).unwrap();
    let tags = polywire::classify::classify(&article, &taxonomy);
    assert!(tags.regions.iter().all(|t| (0.0..=1.0).contains(&t.score)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_items_are_cut_to_the_configured_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let mut rss = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Flood</title><link>{{BASE}}/</link><description>d</description>",
    );
    for i in 0..100_000 {
        rss.push_str(&format!("<item><title>Flood {i}</title><link>{{{{BASE}}}}/s/{i}</link><description>Port of Shanghai item {i}</description></item>"));
    }
    rss.push_str("</channel></rss>");
    std::fs::write(dir.path().join("rss.xml"), rss).unwrap();
    let wire = WireServer::start(dir.path().to_path_buf()).await;
    let source = format!(
        "id = \"flood\"\nname = \"Flood\"\nlanguage = \"en\"\ntimezone = \"UTC\"\nschedule = \"0 * * * * *\"\n[index]\nkind = \"rss\"\nurl = \"{}/rss.xml\"\n",
        wire.base
    );
    let config = TestConfig::new(&[("flood", source)]);
    // The flood is larger than the default 5 MiB cap: first it is refused...
    let loaded = polywire::app::load(&config.path).unwrap();
    let store = Arc::new(Mutex::new(Store::open(&config.db()).unwrap()));
    let pipeline = polywire::app::pipeline(&loaded, store.clone()).unwrap();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let report = pipeline
        .run_source(&loaded.config.sources[0], &shutdown)
        .await;
    assert_eq!(report.status, "too_large", "{report:?}");
    assert_eq!(store.lock().unwrap().count().unwrap(), 0);

    // ...and with the cap raised, entries and stories are cut to the limits.
    let text = std::fs::read_to_string(&config.path)
        .unwrap()
        .replace("[fetch]\n", "[fetch]\nmax_body_bytes = 20000000\n");
    std::fs::write(
        &config.path,
        text + "[limits]\nmax_items_per_index = 1000\nmax_stories_per_run = 150\n",
    )
    .unwrap();
    let loaded = polywire::app::load(&config.path).unwrap();
    let pipeline = polywire::app::pipeline(&loaded, store.clone()).unwrap();
    let report = pipeline
        .run_source(&loaded.config.sources[0], &shutdown)
        .await;
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(report.entries, 1000);
    assert_eq!(report.new, 150);
    assert_eq!(store.lock().unwrap().count().unwrap(), 150);
}
