//! A story's whole way: local wire → fetch → extract → normalize → classify
//! → store, through the library and through the `polywire` binary.

mod support;

use polywire::store::{FeedQuery, Store};
use std::process::Command;
use std::sync::{Arc, Mutex};
use support::{TestConfig, WireServer, fixture, wire_sources};
use tokio_util::sync::CancellationToken;

async fn run_cycle(config: &TestConfig) -> Vec<polywire::pipeline::RunReport> {
    let loaded = polywire::app::load(&config.path).unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(&config.db()).unwrap();
    let pipeline = polywire::app::pipeline(&loaded, Arc::new(Mutex::new(store))).unwrap();
    let shutdown = CancellationToken::new();
    let mut reports = Vec::new();
    for source in &loaded.config.sources {
        reports.push(pipeline.run_source(source, &shutdown).await);
    }
    reports
}

/// `polywire fetch` shows `n/m stories` per source from the pipeline's
/// progress calls (issue 19, item 7): one call per story, counting up to
/// the stories the run fetched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_counts_each_story_of_each_source() {
    let wire = WireServer::start(fixture("wire")).await;
    let config = TestConfig::new(&wire_sources(&wire.base));
    let loaded = polywire::app::load(&config.path).unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(&config.db()).unwrap();
    let mut pipeline = polywire::app::pipeline(&loaded, Arc::new(Mutex::new(store))).unwrap();
    let calls: Arc<Mutex<Vec<(String, usize, usize)>>> = Arc::default();
    let seen = calls.clone();
    pipeline.progress = Some(Arc::new(move |source: &str, done, total| {
        seen.lock().unwrap().push((source.to_string(), done, total));
    }));
    let shutdown = CancellationToken::new();
    let mut stored = 0;
    for source in &loaded.config.sources {
        let report = pipeline.run_source(source, &shutdown).await;
        let calls: Vec<(usize, usize)> = calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(id, _, _)| *id == source.id)
            .map(|&(_, done, total)| (done, total))
            .collect();
        let fetched = (report.new + report.updated + report.failed) as usize;
        assert_eq!(
            calls,
            (1..=fetched).map(|n| (n, fetched)).collect::<Vec<_>>(),
            "{}: {report:?}",
            source.id
        );
        stored += report.new;
    }
    assert_eq!(stored, 7);
}

fn tags(story: &polywire::model::StoredStory) -> (Vec<String>, Vec<String>) {
    (
        story.regions.iter().map(|t| t.id.clone()).collect(),
        story.industries.iter().map(|t| t.id.clone()).collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_cycle_stores_every_story_once_with_tags() {
    let wire = WireServer::start(fixture("wire")).await;
    let config = TestConfig::new(&wire_sources(&wire.base));

    let reports = run_cycle(&config).await;
    for report in &reports {
        assert_eq!(report.status, "ok", "{report:?}");
        assert_eq!(report.failed, 0, "{report:?}");
    }
    let new: u64 = reports.iter().map(|r| r.new).sum();
    assert_eq!(new, 7, "{reports:?}");

    let store = Store::open(&config.db()).unwrap();
    assert_eq!(store.count().unwrap(), 7);

    // The RSS source scrapes its pages: title from h1, body without the
    // navigation or share widget, tracking parameters gone from the URL.
    let a1 = store
        .get_by_url(&format!("{}/articles/a1.html", wire.base))
        .unwrap()
        .expect("a1 stored");
    assert_eq!(a1.article.title, "长三角生物医药创新联盟在杭州成立");
    assert!(
        a1.article
            .body
            .iter()
            .any(|p| p.contains("生物医药创新联盟"))
    );
    assert!(
        !a1.article
            .body
            .iter()
            .any(|p| p.contains("分享到") || p.contains("首页"))
    );
    let (regions, industries) = tags(&a1);
    for region in ["cn-zj-hangzhou", "cn-zj", "cn-yrd", "cn"] {
        assert!(regions.contains(&region.to_string()), "{regions:?}");
    }
    assert_eq!(
        industries.first().map(String::as_str),
        Some("biomedicine"),
        "{industries:?}"
    );

    let a2 = store
        .get_by_url(&format!("{}/articles/a2.html", wire.base))
        .unwrap()
        .expect("a2 stored without utm_source");
    assert!(tags(&a2).1.contains(&"semiconductors".to_string()));
    assert!(tags(&a2).0.contains(&"cn-sh".to_string()));

    // The Atom source's own content is the story.
    let chips = store
        .get_by_url(&format!("{}/en/japan-chips.html", wire.base))
        .unwrap()
        .expect("atom entry");
    assert_eq!(chips.article.lang, "en");
    assert!(tags(&chips).0.contains(&"jp".to_string()));
    assert!(tags(&chips).1.contains(&"semiconductors".to_string()));
    assert_eq!(
        wire.hits("en/japan-chips.html"),
        0,
        "atom content needs no page fetch"
    );

    // The HTML listing's links are followed, javascript: links are not.
    let n1 = store
        .get_by_url(&format!("{}/news/n1.html", wire.base))
        .unwrap()
        .expect("listing story");
    assert_eq!(n1.article.lang, "ko");
    assert!(n1.article.title.contains("반도체"));
    assert!(tags(&n1).0.contains(&"kr".to_string()));

    // Filters over the stored stories.
    let yrd = polywire::app::load(&config.path)
        .unwrap()
        .taxonomy
        .region_descendants("cn-yrd");
    let found = store
        .query(&FeedQuery {
            regions: yrd,
            industries: vec!["biomedicine".into()],
            ..FeedQuery::default()
        })
        .unwrap();
    let urls: Vec<&str> = found.iter().map(|s| s.article.url.as_str()).collect();
    assert!(urls.contains(&a1.article.url.as_str()), "{urls:?}");
    assert!(!urls.contains(&a2.article.url.as_str()), "{urls:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_cycle_adds_no_duplicates_and_refetches_no_pages() {
    let wire = WireServer::start(fixture("wire")).await;
    let config = TestConfig::new(&wire_sources(&wire.base));
    run_cycle(&config).await;
    let page_hits = wire.hits("articles/a1.html");
    assert_eq!(page_hits, 1);

    let reports = run_cycle(&config).await;
    assert_eq!(
        reports.iter().map(|r| r.new + r.updated).sum::<u64>(),
        0,
        "{reports:?}"
    );
    assert_eq!(Store::open(&config.db()).unwrap().count().unwrap(), 7);
    assert_eq!(
        wire.hits("articles/a1.html"),
        page_hits,
        "a stored page is not fetched again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_fetches_and_prints_a_filtered_atom_feed() {
    let wire = WireServer::start(fixture("wire")).await;
    let config = TestConfig::new(&wire_sources(&wire.base));
    let bin = env!("CARGO_BIN_EXE_polywire");

    let out = Command::new(bin)
        .args(["fetch", "--config"])
        .arg(&config.path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ["cns", "xinhua", "yna"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(id) && l.contains(" ok ")),
            "{stdout}"
        );
    }
    assert_eq!(Store::open(&config.db()).unwrap().count().unwrap(), 7);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(" stories") && !stderr.contains('\r'),
        "no progress line when stderr is not a terminal: {stderr}"
    );

    let out = Command::new(bin)
        .args(["feed", "--config"])
        .arg(&config.path)
        .args(["--region", "cn-yrd", "--format", "atom"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let atom = String::from_utf8(out.stdout).unwrap();
    let feed = feed_rs::parser::parse(atom.as_bytes()).expect("well-formed Atom");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert!(
        titles.contains(&"长三角生物医药创新联盟在杭州成立".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"上海集成电路产业规模突破三千亿元".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Hangzhou hosts Yangtze River Delta biomedicine forum".to_string()),
        "{titles:?}"
    );
    assert!(
        !titles
            .iter()
            .any(|t| t.contains("深圳") || t.contains("Japan") || t.contains("삼성")),
        "{titles:?}"
    );
    // Strict XML: every event parses.
    let mut reader = quick_xml::Reader::from_str(&atom);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
    }

    // And a second run through the binary duplicates nothing.
    let out = Command::new(bin)
        .args(["fetch", "--config"])
        .arg(&config.path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(Store::open(&config.db()).unwrap().count().unwrap(), 7);
}

/// Wires keep listing stories retention has removed; those must stay gone,
/// not come back as new on the next cycle and go again at the next pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stories_retention_removed_are_not_stored_again() {
    let wire = WireServer::start(fixture("wire")).await;
    let config = TestConfig::new(&wire_sources(&wire.base));
    let first: u64 = run_cycle(&config).await.iter().map(|r| r.new).sum();
    assert_eq!(first, 7);

    let removed: u64 = {
        let mut store = Store::open(&config.db()).unwrap();
        let keep_one = polywire::config::RetentionConfig {
            max_age_days: None,
            max_per_source: Some(1),
        };
        let removed = store.apply_retention(|_| keep_one).unwrap();
        removed.iter().map(|(_, n)| n).sum()
    };
    assert!(removed >= 3, "{removed} removed");
    let kept = Store::open(&config.db()).unwrap().count().unwrap();
    assert_eq!(kept, 7 - removed);
    let a1_hits = wire.hits("articles/a1.html");

    let reports = run_cycle(&config).await;
    for report in &reports {
        assert_eq!(report.status, "ok", "{report:?}");
        assert_eq!((report.new, report.failed), (0, 0), "{report:?}");
    }
    assert_eq!(Store::open(&config.db()).unwrap().count().unwrap(), kept);
    // Kept or removed, a1's page is not fetched again.
    assert_eq!(wire.hits("articles/a1.html"), a1_hits);
}

/// A run of more stories than the write queue holds (four batches of 64):
/// stories join while earlier batches are written, some wait for the store,
/// and every one is stored once and counted once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_larger_than_the_write_queue_stores_every_story() {
    const STORIES: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let mut rss = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>big</title><link>{{BASE}}/</link><description>d</description>"#,
    );
    for i in 0..STORIES {
        rss.push_str(&format!(
            "<item><title>Story {i}</title><link>{{{{BASE}}}}/p/{i}.html</link></item>"
        ));
        let page = format!(
            "<html><head><title>Port report {i}</title></head><body><article><h1>Port report {i}</h1>\
             <p>Container volume at the port rose for the {i}th week in a row, the operator said on Monday.</p>\
             <p>Shipping lines added {i} sailings to the route, and freight rates fell by {} percent.</p>\
             <p>Analysts expect the trend to continue into the next quarter as demand from exporters holds up.</p>\
             </article></body></html>",
            i % 17
        );
        std::fs::create_dir_all(dir.path().join("p")).unwrap();
        std::fs::write(dir.path().join(format!("p/{i}.html")), page).unwrap();
    }
    rss.push_str("</channel></rss>");
    std::fs::write(dir.path().join("rss.xml"), rss).unwrap();
    let wire = WireServer::start(dir.path().to_path_buf()).await;
    let source = format!(
        "id = \"big\"\nname = \"Big\"\nlanguage = \"en\"\ntimezone = \"UTC\"\nschedule = \"0 0 * * * *\"\n[index]\nkind = \"rss\"\nurl = \"{}/rss.xml\"\n[article]\n",
        wire.base
    );
    let config = TestConfig::new(&[("big", source)]);
    let mut text = std::fs::read_to_string(&config.path).unwrap();
    text.push_str("[limits]\nmax_items_per_index = 1000\nmax_stories_per_run = 1000\n");
    std::fs::write(&config.path, text).unwrap();

    let reports = run_cycle(&config).await;
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert_eq!(report.status, "ok", "{report:?}");
    assert_eq!(report.entries, STORIES, "{report:?}");
    assert_eq!(report.new as usize, STORIES, "{report:?}");
    assert_eq!(
        report.failed + report.updated + report.unchanged,
        0,
        "{report:?}"
    );
    let store = Store::open(&config.db()).unwrap();
    assert_eq!(store.count().unwrap() as usize, STORIES);
    for i in [0, 63, 64, 255, 256, STORIES - 1] {
        let story = store
            .get_by_url(&format!("{}/p/{i}.html", wire.base))
            .unwrap()
            .unwrap_or_else(|| panic!("story {i} stored"));
        assert_eq!(story.article.title, format!("Port report {i}"));
    }
}
