//! `polywire add URL`: discovery on local sites of each shape (a feed in
//! the `<head>`, a feed only at a usual path, a sitemap only, a listing
//! with dated URLs, a robots.txt disallow, a feed redirecting to a private
//! address), the preview, and the command end to end.

mod fetch_support;

use fetch_support::{Reply, TestServer};
use polywire::config::{FetchConfig, IndexKind};
use polywire::discover::{self, DiscoverError};
use polywire::fetch::Fetcher;
use std::net::{IpAddr, Ipv4Addr};
use url::Url;

fn fetch_config() -> FetchConfig {
    FetchConfig {
        timeout_secs: 5,
        connect_timeout_secs: 2,
        first_byte_timeout_secs: 2,
        per_host_delay_ms: 0,
        retries: 0,
        ..FetchConfig::default()
    }
}

/// Production rule, except that the test site at 127.0.0.1 counts as a
/// public site: redirects from it to other private addresses stay refused.
fn trust_test_site(ip: IpAddr) -> bool {
    ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || polywire::fetch::guard::is_public(ip)
}

fn fetcher() -> Fetcher {
    Fetcher::with_address_rule(&fetch_config(), trust_test_site).unwrap()
}

fn rss(base: &str, n: usize) -> String {
    let items: String = (1..=n)
        .map(|i| {
            format!(
                "<item><title>Zhejiang chip exports climb for the {i} time this year</title>\
                 <link>{base}/2026/12/0{i}/story-{i}.html</link>\
                 <pubDate>Mon, 0{i} Dec 2026 08:00:00 +0800</pubDate>\
                 <description>Chip exports from Zhejiang province rose again in November, \
                 customs data showed, as semiconductor makers in Hangzhou expanded output.</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Test wire</title>\
         <link>{base}/</link><description>d</description>{items}</channel></rss>"
    )
}

fn home(head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Test Wire | Home</title>{head}</head>\
         <body>{body}<p>The business wire of the test city, with news about markets and industry.</p></body></html>"
    )
}

fn story_page(title: &str) -> String {
    let para = "Chip exports from Zhejiang province rose 18 percent in November from a year \
                earlier, customs data showed on Monday, as semiconductor makers in Hangzhou \
                expanded their output and lenders increased credit to the sector.";
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title></head><body>\
         <nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\
         <p>{para}</p><p>{para}</p><p>{para}</p></article></body></html>"
    )
}

#[tokio::test]
async fn a_feed_declared_in_the_head() {
    let site = TestServer::start().await;
    let base = site.url("");
    let base = base.trim_end_matches('/');
    site.route(
        "/",
        vec![Reply::ok(home(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/news/feed.xml\">",
            "",
        ))],
    );
    site.route("/news/feed.xml", vec![Reply::ok(rss(base, 3))]);
    let found = discover::discover(&fetcher(), &Url::parse(&site.url("/")).unwrap())
        .await
        .unwrap();
    assert_eq!(found.kind, IndexKind::Rss);
    assert_eq!(found.index_url.as_str(), site.url("/news/feed.xml"));
    assert_eq!(found.entries.len(), 3);
    assert!(
        found.found_by.contains("rel=\"alternate\""),
        "{}",
        found.found_by
    );
    assert_eq!(found.name, "Test Wire");
    assert_eq!(found.language, "en");
    assert_eq!(
        site.hits("/rss"),
        0,
        "no guessing when the page declares its feed"
    );
}

#[tokio::test]
async fn a_feed_only_at_a_usual_path() {
    let site = TestServer::start().await;
    let base = site.url("");
    site.route("/", vec![Reply::ok(home("", ""))]);
    site.route(
        "/rss.xml",
        vec![Reply::ok(rss(base.trim_end_matches('/'), 2))],
    );
    let found = discover::discover(&fetcher(), &Url::parse(&site.url("/")).unwrap())
        .await
        .unwrap();
    assert_eq!(found.index_url.as_str(), site.url("/rss.xml"));
    assert_eq!(found.found_by, "a usual feed path");
    let refused: Vec<&str> = found.refused.iter().map(|(u, _)| u.as_str()).collect();
    assert!(refused.contains(&site.url("/rss").as_str()), "{refused:?}");
}

#[tokio::test]
async fn a_sitemap_only() {
    let site = TestServer::start().await;
    let base = site.url("");
    let base = base.trim_end_matches('/');
    site.route("/", vec![Reply::ok(home("", "<p>No feed here.</p>"))]);
    site.route(
        "/robots.txt",
        vec![Reply::ok(format!(
            "User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap-index.xml\n"
        ))],
    );
    site.route(
        "/sitemap-index.xml",
        vec![Reply::ok(format!(
            "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
             <sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>"
        ))],
    );
    site.route(
        "/sitemap-news.xml",
        vec![Reply::ok(format!(
            "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\
             <url><loc>{base}/2026/12/07/a.html</loc><news:news><news:publication><news:name>T</news:name>\
             <news:language>en</news:language></news:publication>\
             <news:publication_date>2026-12-07T08:00:00+08:00</news:publication_date>\
             <news:title>Zhejiang chip exports climb</news:title></news:news></url>\
             <url><loc>{base}/2026/12/07/b.html</loc></url></urlset>"
        ))],
    );
    site.route(
        "/2026/12/07/a.html",
        vec![Reply::ok(story_page("Zhejiang chip exports climb"))],
    );
    let fetcher = fetcher();
    let found = discover::discover(&fetcher, &Url::parse(&site.url("/")).unwrap())
        .await
        .unwrap();
    assert_eq!(found.kind, IndexKind::Sitemap);
    assert_eq!(
        found.index_url.as_str(),
        format!("{base}/sitemap-index.xml")
    );
    assert_eq!(found.entries.len(), 2);

    let taxonomy = polywire::classify::Taxonomy::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy"),
    )
    .unwrap();
    let preview = discover::preview::preview(&fetcher, &found, &taxonomy).await;
    assert_eq!(preview.len(), 2);
    let a = &preview[0];
    assert_eq!(a.title, "Zhejiang chip exports climb");
    assert!(a.regions.contains(&"cn-zj".to_string()), "{a:?}");
    assert!(
        a.industries.contains(&"semiconductors".to_string()),
        "{a:?}"
    );
    assert!(!a.needs_selectors, "{a:?}");
    assert!(
        preview[1].error.is_some(),
        "b.html is a 404: {:?}",
        preview[1]
    );
    let text = discover::preview::render(&preview);
    assert!(text.contains("regions cn-zj"), "{text}");
}

#[tokio::test]
async fn a_listing_with_dated_story_links() {
    let site = TestServer::start().await;
    let links: String = (1..=4)
        .map(|i| {
            format!(
                "<li><a href=\"/2026/12-0{i}/1023456{i}.shtml\">长三角生物医药产业联盟第{i}次会议在杭州举行</a></li>"
            )
        })
        .collect();
    let page = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><title>测试新闻网_首页</title></head><body>\
         <div class=\"nav\"><a href=\"/news/\">新闻</a><a href=\"/about.html\">关于</a></div>\
         <ul class=\"news-list\">{links}</ul><div class=\"foot\"><a href=\"/contact.html\">联系我们</a></div>\
         </body></html>"
    );
    site.route("/", vec![Reply::ok(page)]);
    let found = discover::discover(&fetcher(), &Url::parse(&site.url("/")).unwrap())
        .await
        .unwrap();
    assert_eq!(found.kind, IndexKind::Html);
    assert_eq!(found.links.as_deref(), Some("ul.news-list a[href]"));
    assert_eq!(found.entries.len(), 4);
    assert_eq!(found.language, "zh-Hans");
    assert_eq!(found.name, "测试新闻网");
    let toml = found.to_toml("test-listing", true);
    assert!(toml.contains("kind = \"html\"") && toml.contains("links = \"ul.news-list a[href]\""));
    assert!(toml.contains("[article] selectors"), "{toml}");
    polywire::config::parse_source(std::path::Path::new("test-listing.toml"), &toml)
        .unwrap_or_else(|e| panic!("{e}\n{toml}"));
}

#[tokio::test]
async fn a_site_behind_a_robots_disallow() {
    let site = TestServer::start().await;
    site.route(
        "/robots.txt",
        vec![Reply::ok("User-agent: *\nDisallow: /\n")],
    );
    site.route(
        "/",
        vec![Reply::ok(home(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/rss.xml\">",
            "",
        ))],
    );
    let err = discover::discover(&fetcher(), &Url::parse(&site.url("/")).unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, DiscoverError::Page { source, .. } if source.reason() == "robots_disallowed"),
        "{err:?}"
    );
    assert_eq!(site.hits("/"), 0, "the page itself is never fetched");
}

#[tokio::test]
async fn a_feed_redirecting_to_a_private_address_is_refused() {
    let site = TestServer::start().await;
    let internal = format!("http://127.0.0.2:{}/feed.xml", site.port());
    site.route(
        "/",
        vec![Reply::ok(home(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\">",
            "",
        ))],
    );
    site.route("/feed.xml", vec![Reply::redirect(302, &internal)]);
    let err = discover::discover(&fetcher(), &Url::parse(&site.url("/")).unwrap())
        .await
        .unwrap_err();
    let DiscoverError::Nothing { refused, .. } = &err else {
        panic!("{err:?}");
    };
    let (url, why) = &refused[0];
    assert_eq!(url, &site.url("/feed.xml"));
    assert!(why.contains("non-public address"), "{why}");
    assert_eq!(site.hits("/feed.xml"), 1);
}

#[test]
fn add_from_the_command_line_writes_and_checks() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let site = rt.block_on(TestServer::start());
    let base = site.url("");
    site.route(
        "/",
        vec![Reply::ok(home(
            "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/feed.xml\">",
            "",
        ))],
    );
    site.route(
        "/feed.xml",
        vec![Reply::ok(rss(base.trim_end_matches('/'), 3))],
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("sources")).unwrap();
    std::fs::create_dir_all(config.join("feeds")).unwrap();
    std::fs::write(
        config.join("polywire.toml"),
        format!(
            "[store]\npath = \"{}\"\n[fetch]\nallow_private_addresses = true\nper_host_delay_ms = 0\nretries = 0\n\
             [paths]\nsources = \"sources\"\nfeeds = \"feeds\"\ntaxonomy = \"{}\"\n",
            dir.path().join("db.sqlite").display(),
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/taxonomy").display()
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_polywire"))
            .args(args)
            .arg("--config")
            .arg(config.join("polywire.toml"))
            .output()
            .unwrap()
    };
    let url = site.url("/");
    let out = run(&["add", &url, "--id", "test-wire", "--dry-run"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Zhejiang chip exports climb"),
        "the preview: {stdout}"
    );
    assert!(!config.join("sources/test-wire.toml").exists());

    let out = run(&["add", &url, "--id", "test-wire"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("ok (1 sources"), "check ran: {stdout}");
    let written = std::fs::read_to_string(config.join("sources/test-wire.toml")).unwrap();
    assert!(
        written.contains(&format!("url = \"{}\"", site.url("/feed.xml"))),
        "{written}"
    );
}
